#pragma once
// Named rounding policies. Every division that loses digits in money math goes through
// divide_rounded, so the policy is always explicit at the call site.
#include <cstdint>
#include <optional>
#include <string_view>

#include "shared/money/int128.hpp"

namespace cp::money {

enum class Rounding {
    half_up,    // ties away from zero: 0.005 -> 0.01, -0.005 -> -0.01 (the default)
    half_even,  // ties to the even neighbour: 0.005 -> 0.00, 0.015 -> 0.02 (banker's)
};

std::optional<Rounding> rounding_from_string(std::string_view s);
std::string_view to_string(Rounding r);

// round(num / den) under `mode`; den must be > 0. Exact for every int128 input.
int128 divide_rounded(int128 num, int128 den, Rounding mode);

// Same for int64 operands: the hot path when products fit in 64 bits (much cheaper than
// a 128-bit division, especially on wasm32).
int64_t divide_rounded64(int64_t num, int64_t den, Rounding mode);

}  // namespace cp::money
