#pragma once
// An IANA time zone parsed from TZif bytes (RFC 8536, versions 1 to 4). The bytes come
// from outside the core (the native CLI and server read /usr/share/zoneinfo; the Wasm CLI
// does the same through NODERAWFS; the portal can fetch them as assets), so shared/ stays
// free of I/O. See docs/decisions/core-time-zones.md.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "shared/core/error.hpp"
#include "shared/time/civil.hpp"
#include "shared/time/posix_tz.hpp"

namespace cp::time {

struct LocalTimeType {
    int32_t utc_offset = 0;  // seconds east of UTC
    bool is_dst = false;
    std::string abbreviation;
};

// A wall-clock reading: seconds since 1970-01-01T00:00 *local* time.
using LocalSeconds = int64_t;

class TimeZone {
public:
    // Parses a TZif file; TIME_ZONE_DATA error when the bytes are not a valid TZif file.
    static Result<TimeZone> from_tzif(std::string_view bytes);
    // A zone that is always `offset` seconds east of UTC (tests, "UTC" without data).
    static TimeZone fixed(int32_t offset, std::string abbreviation);

    int32_t offset_at(Instant t) const;
    LocalSeconds to_local(Instant t) const { return t + offset_at(t); }
    Date local_date(Instant t) const { return civil_from_days(floor_div(to_local(t), 86400)); }

    // The instant a wall-clock reading denotes. Ambiguous readings (clocks going back)
    // take the earlier instant; readings in a gap (clocks going forward) are read with the
    // offset before the gap, i.e. pushed forward by the gap's length. This is what RFC 5545,
    // Temporal's "compatible" and Python's fold=0 do.
    Instant to_utc(LocalSeconds local) const;

private:
    std::vector<Instant> transitions_;  // ascending
    std::vector<uint8_t> types_at_;     // type index in effect from transitions_[i]
    std::vector<LocalTimeType> types_;  // at least one
    std::optional<PosixTz> footer_;     // rule after the last transition
};

}  // namespace cp::time
