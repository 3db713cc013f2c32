#include "shared/billing/billable_amounts.hpp"

#include "shared/money/decimal.hpp"
#include "shared/money/int128.hpp"
#include "shared/money/money.hpp"

namespace cp::billing {

namespace {

Result<int64_t> checked(int128 v, const char* field) {
    if (v > money::kMaxMinorUnits || v < -money::kMaxMinorUnits) {
        return Error{"AMOUNT_OVERFLOW", field, "amount exceeds the supported range"};
    }
    return static_cast<int64_t>(v);
}

}  // namespace

Result<int64_t> time_entry_amount(int64_t hours, int64_t rate, const money::Currency& currency,
                                  money::Rounding rounding) {
    // hours (10^2) x rate (10^4) is at scale 10^6.
    const int64_t den = money::pow10(6 - currency.minor_digits);
    return checked(money::divide_rounded(static_cast<int128>(hours) * rate, den, rounding), "amount");
}

Result<int64_t> expense_billed_amount(int64_t amount, int64_t markup, money::Rounding rounding) {
    constexpr int64_t kWhole = 100 * 10'000;  // 100 % at scale 10^4
    return checked(money::divide_rounded(static_cast<int128>(amount) * (kWhole + markup), kWhole, rounding),
                   "amount");
}

Result<int64_t> prorated_fee(int64_t fee, const schedule::Period& billed, const schedule::Period& full,
                             money::Rounding rounding) {
    if (billed.start < full.start || full.end < billed.end || billed.end < billed.start) {
        return Error{"OUT_OF_RANGE", "period", "the billed period must lie within the full period"};
    }
    const int64_t billed_days = time::days_from_civil(billed.end) - time::days_from_civil(billed.start) + 1;
    const int64_t full_days = time::days_from_civil(full.end) - time::days_from_civil(full.start) + 1;
    return checked(money::divide_rounded(static_cast<int128>(fee) * billed_days, full_days, rounding),
                   "amount");
}

}  // namespace cp::billing
