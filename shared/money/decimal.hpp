#pragma once
// Fixed-point decimal strings <-> scaled integers. "1.5" with scale 4 is 15000.
// Grammar (strict on purpose, so every consumer agrees on what a value means):
//   -?[0-9]+(\.[0-9]+)?   no '+', no exponent, no spaces, no leading or trailing '.'
// At most `scale` digits after the point (TOO_MANY_DECIMALS, trailing zeros count) and at
// most kMaxIntegerDigits significant digits before it (OUT_OF_RANGE).
#include <cstdint>
#include <string>
#include <string_view>

#include "shared/core/error.hpp"

namespace cp::money {

// 10^14 keeps any value at scale <= 4 below 10^18, inside int64 with room to add.
inline constexpr int32_t kMaxIntegerDigits = 14;

// Errors carry an empty field: the caller knows the JSON path and fills it in.
Result<int64_t> parse_fixed(std::string_view text, int32_t scale);

// Exactly `scale` digits after the point ("-0.05", "120.00", "7" for scale 0).
std::string format_fixed(int64_t value, int32_t scale);

// 10^n for 0 <= n <= 18.
int64_t pow10(int32_t n);

}  // namespace cp::money
