#pragma once
// Engagement renewal dates (DOMAIN.md): the new version starts the day after the old one
// ends and, unless an end is given, runs 365 days from its start (end = start + 365 days).
#include <optional>

#include "shared/core/error.hpp"
#include "shared/schedule/billing_period.hpp"

namespace cp::schedule {

inline constexpr int32_t kDefaultRenewalDays = 365;

// END_BEFORE_START (field end_date) when a given end precedes the new start;
// OUT_OF_RANGE when the dates would pass year 9999.
Result<Period> renewal_period(const time::Date& old_end, std::optional<time::Date> new_end = std::nullopt);

}  // namespace cp::schedule
