#pragma once
// Autopay retries after a failed charge: at +3, +7 and +14 days after the *first* failure,
// at the same local time of day in the client's time zone. Days are calendar days in
// that zone, so a retry across a DST change keeps its wall-clock time (10:00 stays 10:00)
// and the UTC instant moves by the hour. Wall times that fall in a DST gap are pushed
// forward by the gap; ambiguous ones take the earlier instant (time/time_zone.hpp).
#include <array>

#include "shared/core/error.hpp"
#include "shared/time/civil.hpp"
#include "shared/time/time_zone.hpp"

namespace cp::schedule {

inline constexpr std::array<int32_t, 3> kRetryDelayDays{3, 7, 14};

// OUT_OF_RANGE (field first_failure) when an attempt would fall after year 9999.
Result<std::array<time::Instant, 3>> retry_schedule(time::Instant first_failure, const time::TimeZone& zone);

}  // namespace cp::schedule
