#include "shared/money/currency.hpp"

#include <array>

namespace cp::money {

namespace {

// Sorted by code for readability; the table is small enough that a linear scan is fastest.
constexpr std::array<Currency, 36> kCurrencies{{
    {"AED", 2}, {"AUD", 2}, {"BHD", 3}, {"BRL", 2}, {"CAD", 2}, {"CHF", 2}, {"CLP", 0},
    {"CNY", 2}, {"CZK", 2}, {"DKK", 2}, {"EUR", 2}, {"GBP", 2}, {"HKD", 2}, {"HUF", 2},
    {"IDR", 2}, {"ILS", 2}, {"INR", 2}, {"ISK", 0}, {"JOD", 3}, {"JPY", 0}, {"KRW", 0},
    {"KWD", 3}, {"MXN", 2}, {"NOK", 2}, {"NZD", 2}, {"OMR", 3}, {"PLN", 2}, {"SAR", 2},
    {"SEK", 2}, {"SGD", 2}, {"TND", 3}, {"TRY", 2}, {"UGX", 0}, {"USD", 2}, {"VND", 0},
    {"ZAR", 2},
}};

}  // namespace

const Currency* find_currency(std::string_view code) {
    for (const Currency& c : kCurrencies) {
        if (c.code == code) return &c;
    }
    return nullptr;
}

}  // namespace cp::money
