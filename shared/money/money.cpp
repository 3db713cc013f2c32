#include "shared/money/money.hpp"

namespace cp::money {

std::optional<Money> checked_add(const Money& a, const Money& b) {
    if (a.currency != b.currency) return std::nullopt;
    int64_t sum = 0;
    if (__builtin_add_overflow(a.minor, b.minor, &sum) || !within_amount_limit(sum)) {
        return std::nullopt;
    }
    return Money{sum, a.currency};
}

std::optional<Money> checked_sub(const Money& a, const Money& b) {
    if (a.currency != b.currency) return std::nullopt;
    int64_t diff = 0;
    if (__builtin_sub_overflow(a.minor, b.minor, &diff) || !within_amount_limit(diff)) {
        return std::nullopt;
    }
    return Money{diff, a.currency};
}

Result<Money> parse_money(std::string_view text, const Currency& currency) {
    Result<int64_t> v = parse_fixed(text, currency.minor_digits);
    if (!v) return v.error();
    if (!within_amount_limit(*v)) {
        return Error{"OUT_OF_RANGE", "", "amount is too large"};
    }
    return Money{*v, &currency};
}

}  // namespace cp::money
