#pragma once
// One invoice line in fixed point. Quantities, unit prices and tax rates all carry four
// decimals (scale 10^4): 1.5 h is 15000, 120.00 is 1200000, 8.875 % is 88750.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace cp::billing {

inline constexpr int32_t kQuantityScale = 4;      // up to 4 decimals ("0.0125")
inline constexpr int32_t kUnitPriceScale = 4;     // up to 4 decimals, see core-unit-prices.md
inline constexpr int32_t kTaxRateScale = 4;       // percent with up to 4 decimals ("9.975")
inline constexpr int64_t kMaxTaxRate = 100'0000;  // 100 % at scale 4

enum class LineKind { package_fee, time, expense, adjustment, late_fee };

std::optional<LineKind> line_kind_from_string(std::string_view s);
std::string_view to_string(LineKind k);

struct LineItem {
    LineKind kind = LineKind::adjustment;
    std::string description;
    int64_t quantity = 0;    // scale 10^4, may be negative (credits)
    int64_t unit_price = 0;  // scale 10^4, may be negative (discounts)
    int64_t tax_rate = 0;    // percent at scale 10^4, 0..100 %
};

}  // namespace cp::billing
