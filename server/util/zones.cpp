#include "server/util/zones.hpp"

#include <stdexcept>
#include <string>

#include "server/util/zoneinfo.hpp"

namespace cp::server {

Zones::Zones() : cache_(read_zone_file) {}

const time::TimeZone& Zones::zone(std::string_view name) {
    std::lock_guard lock(mutex_);
    auto found = cache_.find(name);
    if (!found) throw std::runtime_error("time zone unavailable: " + std::string(name));
    return **found;  // stable for the cache's lifetime
}

time::Date Zones::local_date(std::string_view name, std::int64_t now) { return zone(name).local_date(now); }

}  // namespace cp::server
