#pragma once
// Overdue is decided in the client's time zone: an invoice due on 2024-03-31 is overdue
// from the first instant of 2024-04-01 on the client's wall clock, not in UTC. Also the
// AR-aging bucket of an open invoice.
#include <string_view>

#include "shared/time/civil.hpp"
#include "shared/time/time_zone.hpp"

namespace cp::schedule {

// Days past due on the client's local calendar (0 or negative when not yet overdue).
int64_t days_past_due(const time::Date& due, time::Instant now, const time::TimeZone& client_zone);

inline bool is_overdue(const time::Date& due, time::Instant now, const time::TimeZone& client_zone) {
    return days_past_due(due, now, client_zone) > 0;
}

// "current" (not overdue), "1_30", "31_60", "61_90", "over_90".
std::string_view aging_bucket(int64_t days_past_due);

}  // namespace cp::schedule
