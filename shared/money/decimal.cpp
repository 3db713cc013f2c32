#include "shared/money/decimal.hpp"

namespace cp::money {

int64_t pow10(int32_t n) {
    int64_t r = 1;
    for (int32_t i = 0; i < n; ++i) r *= 10;
    return r;
}

Result<int64_t> parse_fixed(std::string_view text, int32_t scale) {
    auto invalid = [&] { return Error{"INVALID_DECIMAL", "", "must be a decimal string like \"12.50\""}; };
    size_t i = 0;
    bool negative = false;
    if (i < text.size() && text[i] == '-') {
        negative = true;
        ++i;
    }
    const size_t int_begin = i;
    while (i < text.size() && text[i] >= '0' && text[i] <= '9') ++i;
    const size_t int_end = i;
    if (int_end == int_begin) return invalid();
    size_t frac_begin = i, frac_end = i;
    if (i < text.size() && text[i] == '.') {
        frac_begin = ++i;
        while (i < text.size() && text[i] >= '0' && text[i] <= '9') ++i;
        frac_end = i;
        if (frac_end == frac_begin) return invalid();
    }
    if (i != text.size()) return invalid();

    if (static_cast<int32_t>(frac_end - frac_begin) > scale) {
        return Error{"TOO_MANY_DECIMALS", "",
                     "at most " + std::to_string(scale) + " digits after the decimal point"};
    }
    size_t significant = int_begin;
    while (significant < int_end && text[significant] == '0') ++significant;
    if (int_end - significant > static_cast<size_t>(kMaxIntegerDigits)) {
        return Error{"OUT_OF_RANGE", "",
                     "at most " + std::to_string(kMaxIntegerDigits) + " digits before the decimal point"};
    }
    int64_t value = 0;
    for (size_t k = significant; k < int_end; ++k) value = value * 10 + (text[k] - '0');
    int32_t frac_digits = 0;
    for (size_t k = frac_begin; k < frac_end; ++k, ++frac_digits) value = value * 10 + (text[k] - '0');
    value *= pow10(scale - frac_digits);
    return negative ? -value : value;
}

std::string format_fixed(int64_t value, int32_t scale) {
    // Work on the unsigned magnitude so INT64_MIN cannot overflow on negation.
    const bool negative = value < 0;
    uint64_t mag = negative ? (~static_cast<uint64_t>(value) + 1) : static_cast<uint64_t>(value);
    char buf[48];
    int pos = sizeof(buf);
    int digits = 0;
    do {
        buf[--pos] = static_cast<char>('0' + mag % 10);
        mag /= 10;
        ++digits;
        if (digits == scale) buf[--pos] = '.';
    } while (mag != 0 || digits <= scale);
    if (buf[pos] == '.') buf[--pos] = '0';
    if (negative) {
        // "-0.00" never appears: a zero value has no sign.
        buf[--pos] = '-';
    }
    return std::string(buf + pos, sizeof(buf) - pos);
}

}  // namespace cp::money
