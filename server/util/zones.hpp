#pragma once
// The server's parsed time zones: the core's ZoneCache over the system zoneinfo, behind a
// mutex because the transport calls the app from several threads. Owned by the App.
#include <cstdint>
#include <mutex>
#include <string_view>

#include "shared/time/civil.hpp"
#include "shared/time/time_zone.hpp"
#include "shared/time/zone_cache.hpp"

namespace cp::server {

class Zones {
public:
    Zones();
    // The zone's local calendar date at `now`. Zones are checked when firms and clients are
    // written, so a missing one here is a broken installation: it throws (a 500).
    time::Date local_date(std::string_view zone, std::int64_t now);
    const time::TimeZone& zone(std::string_view name);

private:
    std::mutex mutex_;
    time::ZoneCache cache_;
};

}  // namespace cp::server
