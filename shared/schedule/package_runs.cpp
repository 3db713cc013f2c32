#include "shared/schedule/package_runs.hpp"

namespace cp::schedule {

using time::Date;

Result<std::vector<Period>> package_run_periods(BillingSchedule schedule, const EngagementDates& engagement,
                                                const Date& from, const Date& to) {
    if (to < from) return Error{"END_BEFORE_START", "to", "must be on or after from"};
    if (!engagement.start) return Error{"VALIDATION_REQUIRED", "engagement_start", "is required"};
    if (engagement.end && *engagement.end < *engagement.start) {
        return Error{"END_BEFORE_START", "engagement_end", "must be on or after engagement_start"};
    }
    // Checked up front, as billing_period would: the answer must not depend on the window.
    if (schedule == BillingSchedule::one_time && !engagement.end) {
        return Error{"VALIDATION_REQUIRED", "engagement_end", "is required for one_time"};
    }
    std::vector<Period> out;
    // Walk period by period from the engagement start; each next period starts the day
    // after the previous one ends, which handles month ends and leap years for free.
    Date cursor = *engagement.start;
    if (from > cursor) {
        // Jump to the period containing `from` instead of walking years of history.
        cursor = schedule == BillingSchedule::one_time ? cursor : calendar_period(schedule, from).start;
        if (cursor < *engagement.start) cursor = *engagement.start;
    }
    while (out.size() < kMaxRunDates) {
        if (cursor > to || (engagement.end && cursor > *engagement.end)) break;
        Result<Period> p = billing_period(schedule, cursor, engagement);
        if (!p) return p.error();
        if (p->start >= from) out.push_back(*p);
        // Stop after the period that ends on the last representable day (9999-12-31), not
        // at the first one ending in 9999: its later quarters and months are still runs.
        if (schedule == BillingSchedule::one_time || p->end >= time::Date{time::kMaxYear, 12, 31}) break;
        cursor = time::add_days(p->end, 1);
    }
    return out;
}

}  // namespace cp::schedule
