#pragma once
// Parsed zones by name, loaded on first use through a caller-supplied byte loader (the
// only I/O, and it lives outside shared/). Owned by main (or a server), never global.
// Not thread-safe: use one per thread, or guard it with a mutex.
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "shared/core/error.hpp"
#include "shared/time/time_zone.hpp"

namespace cp::time {

// TZif bytes for a (validated) zone name, or nullopt when there is no such zone.
using ZoneBytesLoader = std::function<std::optional<std::string>(std::string_view name)>;

class ZoneCache {
public:
    explicit ZoneCache(ZoneBytesLoader loader) : loader_(std::move(loader)) {}

    // INVALID_TIME_ZONE for names that are not zone-shaped (never passed to the loader),
    // UNKNOWN_TIME_ZONE when the loader has nothing or the bytes are not TZif.
    // Errors carry field "time_zone". The pointer stays valid for the cache's lifetime.
    Result<const TimeZone*> find(std::string_view name);

private:
    ZoneBytesLoader loader_;
    std::map<std::string, std::unique_ptr<TimeZone>, std::less<>> zones_;
};

}  // namespace cp::time
