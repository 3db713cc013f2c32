#pragma once
// ISO 4217 currencies we bill in, with their number of minor digits. Money is always an
// integer count of minor units, so the digit count is what turns "12.34" into 1234.
#include <cstdint>
#include <string_view>

namespace cp::money {

struct Currency {
    std::string_view code;  // upper-case ISO 4217 code, e.g. "USD"
    int32_t minor_digits;   // 0 (JPY), 2 (USD) or 3 (KWD)
};

// nullptr when the code is not in our table (codes are case-sensitive, upper case only).
const Currency* find_currency(std::string_view code);

}  // namespace cp::money
