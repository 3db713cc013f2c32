#include "shared/money/rounding.hpp"

namespace cp::money {

std::optional<Rounding> rounding_from_string(std::string_view s) {
    if (s == "half_up") return Rounding::half_up;
    if (s == "half_even") return Rounding::half_even;
    return std::nullopt;
}

std::string_view to_string(Rounding r) { return r == Rounding::half_even ? "half_even" : "half_up"; }

namespace {

// C++ division truncates toward zero; fix up the magnitude from the remainder.
template <class Int>
Int round_quotient(Int num, Int den, Rounding mode) {
    Int q = num / den;
    Int r = num % den;
    if (r == 0) return q;
    Int twice = (r < 0 ? -r : r) * 2;  // |r| < den, so 2|r| cannot overflow for our ranges
    bool away = twice > den || (twice == den && (mode == Rounding::half_up || (q % 2) != 0));
    if (away) q += (num < 0) ? -1 : 1;
    return q;
}

}  // namespace

int128 divide_rounded(int128 num, int128 den, Rounding mode) {
    return round_quotient<int128>(num, den, mode);
}

int64_t divide_rounded64(int64_t num, int64_t den, Rounding mode) {
    return round_quotient<int64_t>(num, den, mode);
}

}  // namespace cp::money
