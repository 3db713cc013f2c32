#pragma once
// Amounts that become invoice lines, each rounded exactly once (DOMAIN.md):
//   time:    hours x rate
//   expense: amount x (1 + markup %)
//   package: the fee, or prorated by days when the firm enables proration for a period
//            clipped by the engagement (otherwise the full fee is billed).
// All return minor units or AMOUNT_OVERFLOW; nothing wraps.
#include <cstdint>

#include "shared/core/error.hpp"
#include "shared/money/currency.hpp"
#include "shared/money/rounding.hpp"
#include "shared/schedule/billing_period.hpp"

namespace cp::billing {

// hours at scale 10^2 (1.25 h = 125), rate at scale 10^4 per hour.
Result<int64_t> time_entry_amount(int64_t hours, int64_t rate, const money::Currency& currency,
                                  money::Rounding rounding);

// amount in minor units, markup percent at scale 10^4 (15 % = 150000).
Result<int64_t> expense_billed_amount(int64_t amount, int64_t markup, money::Rounding rounding);

// fee x (days in `billed`) / (days in `full`); `billed` must lie within `full`.
Result<int64_t> prorated_fee(int64_t fee, const schedule::Period& billed, const schedule::Period& full,
                             money::Rounding rounding);

}  // namespace cp::billing
