#pragma once
// Billing periods for package fees: the calendar period containing a date, clipped to
// the engagement. monthly = 1st..last day of the month; quarterly = Jan/Apr/Jul/Oct 1 ..
// last day of the third month; annual = Jan 1..Dec 31; one_time = engagement start..end.
#include <optional>
#include <string_view>

#include "shared/core/error.hpp"
#include "shared/time/civil.hpp"

namespace cp::schedule {

enum class BillingSchedule { monthly, quarterly, annual, one_time };

std::optional<BillingSchedule> billing_schedule_from_string(std::string_view s);
std::string_view to_string(BillingSchedule s);

struct Period {
    time::Date start;
    time::Date end;  // inclusive
    friend bool operator==(const Period&, const Period&) = default;
};

struct EngagementDates {
    std::optional<time::Date> start;  // open-ended when absent (one_time needs both)
    std::optional<time::Date> end;
};

// The unclipped calendar period containing `date` (not defined for one_time).
Period calendar_period(BillingSchedule schedule, const time::Date& date);

// Errors: END_BEFORE_START (engagement_end), VALIDATION_REQUIRED (engagement_start /
// engagement_end for one_time), DATE_OUTSIDE_ENGAGEMENT (date).
Result<Period> billing_period(BillingSchedule schedule, const time::Date& date,
                              const EngagementDates& engagement);

}  // namespace cp::schedule
