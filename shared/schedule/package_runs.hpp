#pragma once
// When the daily package-fee job produces an invoice: it bills the period containing the
// run date when none exists yet for (engagement, period start), so each period is billed
// on its first run date inside the engagement, i.e. on its clipped start. These helpers
// list those dates (for previews, dry runs and tests) and the invoice due date.
#include <cstddef>
#include <vector>

#include "shared/core/error.hpp"
#include "shared/schedule/billing_period.hpp"

namespace cp::schedule {

inline constexpr int32_t kDefaultPaymentTermsDays = 30;
inline constexpr size_t kMaxRunDates = 1000;

// Clipped starts of every billing period that begins within [from, to] (inclusive) and
// inside the engagement; at most kMaxRunDates. Errors as billing_period's, plus
// END_BEFORE_START for `to` before `from`.
Result<std::vector<Period>> package_run_periods(BillingSchedule schedule, const EngagementDates& engagement,
                                                const time::Date& from, const time::Date& to);

// Issue date + payment terms (30 days unless the engagement says otherwise).
inline time::Date due_date(const time::Date& issued, int32_t terms_days = kDefaultPaymentTermsDays) {
    return time::add_days(issued, terms_days);
}

}  // namespace cp::schedule
