#pragma once
// Money: an integer count of minor units in one currency. Amounts are bounded so that
// they stay exact everywhere they travel, including JavaScript numbers (2^53 > 10^15).
#include <cstdint>
#include <optional>
#include <string>

#include "shared/money/currency.hpp"
#include "shared/money/decimal.hpp"

namespace cp::money {

// Largest magnitude of any amount we compute or accept, in minor units.
inline constexpr int64_t kMaxMinorUnits = 999'999'999'999'999;

inline bool within_amount_limit(int64_t minor) { return minor >= -kMaxMinorUnits && minor <= kMaxMinorUnits; }

struct Money {
    int64_t minor = 0;
    const Currency* currency = nullptr;  // never null in a Money built by the helpers below
};

// a + b, or nullopt when currencies differ or the sum leaves the amount limit.
std::optional<Money> checked_add(const Money& a, const Money& b);
std::optional<Money> checked_sub(const Money& a, const Money& b);

// "12.34" in the currency's minor digits (TOO_MANY_DECIMALS, OUT_OF_RANGE, INVALID_DECIMAL).
Result<Money> parse_money(std::string_view text, const Currency& currency);

inline std::string format_money(const Money& m) { return format_fixed(m.minor, m.currency->minor_digits); }

}  // namespace cp::money
