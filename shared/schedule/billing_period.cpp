#include "shared/schedule/billing_period.hpp"

namespace cp::schedule {

using time::Date;

std::optional<BillingSchedule> billing_schedule_from_string(std::string_view s) {
    if (s == "monthly") return BillingSchedule::monthly;
    if (s == "quarterly") return BillingSchedule::quarterly;
    if (s == "annual") return BillingSchedule::annual;
    if (s == "one_time") return BillingSchedule::one_time;
    return std::nullopt;
}

std::string_view to_string(BillingSchedule s) {
    switch (s) {
        case BillingSchedule::quarterly:
            return "quarterly";
        case BillingSchedule::annual:
            return "annual";
        case BillingSchedule::one_time:
            return "one_time";
        case BillingSchedule::monthly:
        default:
            return "monthly";
    }
}

Period calendar_period(BillingSchedule schedule, const Date& d) {
    switch (schedule) {
        case BillingSchedule::quarterly: {
            const int32_t first = (d.month - 1) / 3 * 3 + 1;
            return {Date{d.year, first, 1}, Date{d.year, first + 2, time::days_in_month(d.year, first + 2)}};
        }
        case BillingSchedule::annual:
            return {Date{d.year, 1, 1}, Date{d.year, 12, 31}};
        case BillingSchedule::monthly:
        case BillingSchedule::one_time:
        default:
            return {Date{d.year, d.month, 1}, Date{d.year, d.month, time::days_in_month(d.year, d.month)}};
    }
}

Result<Period> billing_period(BillingSchedule schedule, const Date& date, const EngagementDates& engagement) {
    if (engagement.start && engagement.end && *engagement.end < *engagement.start) {
        return Error{"END_BEFORE_START", "engagement_end", "must be on or after engagement_start"};
    }
    if (schedule == BillingSchedule::one_time) {
        if (!engagement.start)
            return Error{"VALIDATION_REQUIRED", "engagement_start", "is required for one_time"};
        if (!engagement.end)
            return Error{"VALIDATION_REQUIRED", "engagement_end", "is required for one_time"};
    }
    if ((engagement.start && date < *engagement.start) || (engagement.end && date > *engagement.end)) {
        return Error{"DATE_OUTSIDE_ENGAGEMENT", "date", "is outside the engagement's dates"};
    }
    if (schedule == BillingSchedule::one_time) return Period{*engagement.start, *engagement.end};
    Period p = calendar_period(schedule, date);
    if (engagement.start && p.start < *engagement.start) p.start = *engagement.start;
    if (engagement.end && p.end > *engagement.end) p.end = *engagement.end;
    return p;
}

}  // namespace cp::schedule
