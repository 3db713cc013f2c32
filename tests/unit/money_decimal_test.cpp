// Decimal strings <-> fixed point, currencies, rounding policies.
#include <gtest/gtest.h>

#include "shared/money/currency.hpp"
#include "shared/money/decimal.hpp"
#include "shared/money/money.hpp"
#include "shared/money/rounding.hpp"

using namespace cp::money;

TEST(Currency, KnowsDigitsOfRequiredCurrencies) {
    for (const char* c : {"USD", "EUR", "GBP", "CAD", "AUD", "CHF"}) {
        ASSERT_NE(find_currency(c), nullptr) << c;
        EXPECT_EQ(find_currency(c)->minor_digits, 2) << c;
    }
    for (const char* c : {"JPY", "CLP", "KRW"}) EXPECT_EQ(find_currency(c)->minor_digits, 0) << c;
    for (const char* c : {"KWD", "BHD"}) EXPECT_EQ(find_currency(c)->minor_digits, 3) << c;
    EXPECT_EQ(find_currency("usd"), nullptr);
    EXPECT_EQ(find_currency("XXX"), nullptr);
    EXPECT_EQ(find_currency(""), nullptr);
}

TEST(ParseFixed, AcceptsPlainDecimals) {
    EXPECT_EQ(*parse_fixed("1.5", 4), 15000);
    EXPECT_EQ(*parse_fixed("120.00", 4), 1200000);
    EXPECT_EQ(*parse_fixed("-0.0001", 4), -1);
    EXPECT_EQ(*parse_fixed("0", 0), 0);
    EXPECT_EQ(*parse_fixed("-0", 2), 0);
    EXPECT_EQ(*parse_fixed("007.50", 2), 750);
    EXPECT_EQ(*parse_fixed("99999999999999.9999", 4), 999999999999999999);
    EXPECT_EQ(*parse_fixed("00000000000000000001", 2), 100);  // leading zeros are not digits
}

TEST(ParseFixed, RejectsMalformedText) {
    for (const char* s :
         {"", "-", ".5", "5.", "1e3", "+1", " 1", "1 ", "1,5", "1.2.3", "--1", "0x10", "NaN", "inf", "١"}) {
        auto r = parse_fixed(s, 4);
        ASSERT_FALSE(r.ok()) << s;
        EXPECT_EQ(r.error().code, "INVALID_DECIMAL") << s;
    }
}

TEST(ParseFixed, TooManyDecimalsCountsTrailingZeros) {
    EXPECT_EQ(parse_fixed("1.00001", 4).error().code, "TOO_MANY_DECIMALS");
    EXPECT_EQ(parse_fixed("1.50000", 4).error().code, "TOO_MANY_DECIMALS");
    EXPECT_EQ(parse_fixed("1.5", 0).error().code, "TOO_MANY_DECIMALS");
    EXPECT_EQ(parse_fixed("10.001", 2).error().code, "TOO_MANY_DECIMALS");
}

TEST(ParseFixed, HugeNumbersAreOutOfRangeNotWrapped) {
    EXPECT_EQ(parse_fixed("100000000000000", 4).error().code, "OUT_OF_RANGE");
    EXPECT_EQ(parse_fixed("-99999999999999999999999999999999", 2).error().code, "OUT_OF_RANGE");
    EXPECT_EQ(parse_fixed(std::string(10000, '9'), 2).error().code, "OUT_OF_RANGE");
}

TEST(FormatFixed, ExactDigits) {
    EXPECT_EQ(format_fixed(19598, 2), "195.98");
    EXPECT_EQ(format_fixed(5, 2), "0.05");
    EXPECT_EQ(format_fixed(-5, 2), "-0.05");
    EXPECT_EQ(format_fixed(0, 2), "0.00");
    EXPECT_EQ(format_fixed(0, 0), "0");
    EXPECT_EQ(format_fixed(-1234, 0), "-1234");
    EXPECT_EQ(format_fixed(1, 3), "0.001");
    EXPECT_EQ(format_fixed(-1000, 3), "-1.000");
    EXPECT_EQ(format_fixed(INT64_MIN, 2), "-92233720368547758.08");
    EXPECT_EQ(format_fixed(INT64_MAX, 4), "922337203685477.5807");
}

TEST(Rounding, HalfUpIsAwayFromZero) {
    EXPECT_EQ(divide_rounded64(5, 10, Rounding::half_up), 1);
    EXPECT_EQ(divide_rounded64(-5, 10, Rounding::half_up), -1);
    EXPECT_EQ(divide_rounded64(15, 10, Rounding::half_up), 2);
    EXPECT_EQ(divide_rounded64(14, 10, Rounding::half_up), 1);
    EXPECT_EQ(divide_rounded64(-16, 10, Rounding::half_up), -2);
    EXPECT_EQ(divide_rounded64(-14, 10, Rounding::half_up), -1);
}

TEST(Rounding, HalfEvenGoesToEvenNeighbour) {
    EXPECT_EQ(divide_rounded64(5, 10, Rounding::half_even), 0);
    EXPECT_EQ(divide_rounded64(15, 10, Rounding::half_even), 2);
    EXPECT_EQ(divide_rounded64(25, 10, Rounding::half_even), 2);
    EXPECT_EQ(divide_rounded64(-25, 10, Rounding::half_even), -2);
    EXPECT_EQ(divide_rounded64(-35, 10, Rounding::half_even), -4);
    EXPECT_EQ(divide_rounded64(26, 10, Rounding::half_even), 3);
    EXPECT_EQ(divide_rounded64(-24, 10, Rounding::half_even), -2);
}

TEST(Rounding, Int128AgreesWithInt64) {
    for (int64_t n = -1000; n <= 1000; ++n) {
        for (int64_t d : {1, 2, 3, 7, 10, 100}) {
            for (Rounding m : {Rounding::half_up, Rounding::half_even}) {
                EXPECT_EQ(static_cast<int64_t>(divide_rounded(n, d, m)), divide_rounded64(n, d, m));
            }
        }
    }
}

TEST(Rounding, NamesRoundTrip) {
    EXPECT_EQ(rounding_from_string("half_up"), Rounding::half_up);
    EXPECT_EQ(rounding_from_string("half_even"), Rounding::half_even);
    EXPECT_FALSE(rounding_from_string("HALF_UP").has_value());
    EXPECT_EQ(to_string(Rounding::half_even), "half_even");
}

TEST(Money, CheckedArithmeticNeverWraps) {
    const Currency* usd = find_currency("USD");
    const Currency* eur = find_currency("EUR");
    EXPECT_EQ(checked_add(Money{150, usd}, Money{-50, usd})->minor, 100);
    EXPECT_FALSE(checked_add(Money{kMaxMinorUnits, usd}, Money{1, usd}).has_value());
    EXPECT_FALSE(checked_add(Money{INT64_MAX, usd}, Money{INT64_MAX, usd}).has_value());
    EXPECT_FALSE(checked_sub(Money{-kMaxMinorUnits, usd}, Money{1, usd}).has_value());
    EXPECT_FALSE(checked_add(Money{1, usd}, Money{1, eur}).has_value());
}

TEST(Money, ParseUsesCurrencyDigits) {
    EXPECT_EQ(parse_money("12.34", *find_currency("USD"))->minor, 1234);
    EXPECT_EQ(parse_money("12", *find_currency("JPY"))->minor, 12);
    EXPECT_EQ(parse_money("12.3", *find_currency("JPY")).error().code, "TOO_MANY_DECIMALS");
    EXPECT_EQ(parse_money("1.234", *find_currency("KWD"))->minor, 1234);
    EXPECT_EQ(format_money(Money{1234, find_currency("BHD")}), "1.234");
    EXPECT_EQ(parse_money("10000000000000", *find_currency("USD")).error().code, "OUT_OF_RANGE");
}
