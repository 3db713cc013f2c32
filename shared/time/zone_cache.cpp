#include "shared/time/zone_cache.hpp"

#include "shared/time/zone_name.hpp"

namespace cp::time {

Result<const TimeZone*> ZoneCache::find(std::string_view name) {
    if (!is_iana_zone_name(name)) {
        return Error{"INVALID_TIME_ZONE", "time_zone",
                     "must be an IANA time zone name like \"America/New_York\""};
    }
    auto it = zones_.find(name);
    if (it == zones_.end()) {
        std::unique_ptr<TimeZone> zone;
        if (std::optional<std::string> bytes = loader_ ? loader_(name) : std::nullopt) {
            Result<TimeZone> parsed = TimeZone::from_tzif(*bytes);
            if (parsed) zone = std::make_unique<TimeZone>(std::move(parsed).value());
        }
        // Only real zones are kept (a bounded set: the tz database's); unknown names are
        // asked again each time so hostile input cannot grow memory.
        if (!zone) return Error{"UNKNOWN_TIME_ZONE", "time_zone", "is not a known IANA time zone"};
        it = zones_.emplace(std::string(name), std::move(zone)).first;
    }
    return static_cast<const TimeZone*>(it->second.get());
}

}  // namespace cp::time
