#pragma once
// POSIX TZ rule strings, as found in the footer of TZif v2+ files
// ("EST5EDT,M3.2.0,M11.1.0", "<+03>-3", "GMT0BST,M3.5.0/1,M10.5.0"). They say what the
// offset is for instants after the file's last transition, so the tz table never "ends".
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "shared/time/civil.hpp"

namespace cp::time {

// A day-of-year rule: Jn (1..365, Feb 29 never counted), n (0..365, counted), or Mm.w.d.
struct PosixDateRule {
    enum class Kind { julian_no_leap, zero_based, month_week_day } kind = Kind::month_week_day;
    int32_t day = 0;      // Jn / n
    int32_t month = 0;    // Mm.w.d
    int32_t week = 0;     // 1..5 (5 = last)
    int32_t weekday = 0;  // 0 = Sunday
    int32_t time = 7200;  // seconds after local midnight (may be negative or > 24 h in v3)
};

struct PosixTz {
    std::string std_abbr;
    int32_t std_offset = 0;  // seconds east of UTC (note: the string itself counts west)
    bool has_dst = false;
    std::string dst_abbr;
    int32_t dst_offset = 0;
    PosixDateRule start;  // DST begins (in standard local time)
    PosixDateRule end;    // DST ends (in daylight local time)
};

std::optional<PosixTz> parse_posix_tz(std::string_view text);

// UTC offset (seconds east) in effect at `t` under the rule.
int32_t posix_offset_at(const PosixTz& tz, Instant t);
bool posix_is_dst_at(const PosixTz& tz, Instant t);

}  // namespace cp::time
