// The body of "bill an engagement's approved hours for a period", read alike by the server
// and the portal's form.
#include <gtest/gtest.h>

#include <string>

#include "shared/validation/hourly_invoice_validation.hpp"

namespace cp::validation {
namespace {

std::string codes(const Errors& errors) {
    std::string out;
    for (const auto& e : errors) out += e.code + "@" + e.field + " ";
    return out;
}

TEST(HourlyInvoiceValidation, BothEndsOfThePeriodAreRequiredDates) {
    EXPECT_EQ(codes(validate_hourly_invoice(nlohmann::json::object())),
              "VALIDATION_REQUIRED@period_start VALIDATION_REQUIRED@period_end ");
    EXPECT_EQ(codes(validate_hourly_invoice({{"period_start", "2026-11-31"}, {"period_end", "2026-11-30"}})),
              "INVALID_DATE@period_start ");
    EXPECT_TRUE(validate_hourly_invoice({{"period_start", "2026-11-01"}, {"period_end", "2026-11-30"}}).empty());
}

TEST(HourlyInvoiceValidation, ThePeriodEndsOnOrAfterItsStart) {
    EXPECT_TRUE(validate_hourly_invoice({{"period_start", "2026-11-30"}, {"period_end", "2026-11-30"}}).empty());
    EXPECT_EQ(codes(validate_hourly_invoice({{"period_start", "2026-11-30"}, {"period_end", "2026-11-29"}})),
              "END_BEFORE_START@period_end ");
}

TEST(HourlyInvoiceValidation, TaxRateIsAPercentFromZeroToAHundred) {
    const nlohmann::json period = {{"period_start", "2026-11-01"}, {"period_end", "2026-11-30"}};
    auto with = [&](const char* rate) {
        auto b = period;
        b["tax_rate"] = rate;
        return codes(validate_hourly_invoice(b));
    };
    EXPECT_EQ(with("100"), "");
    EXPECT_EQ(with("8.8750"), "");
    EXPECT_EQ(with("100.0001"), "OUT_OF_RANGE@tax_rate ");
    EXPECT_EQ(with("-1"), "OUT_OF_RANGE@tax_rate ");
    EXPECT_NE(with("8.88751"), "");
}

TEST(HourlyInvoiceValidation, UnknownFieldsAreRefused) {
    EXPECT_EQ(codes(validate_hourly_invoice({{"period_start", "2026-11-01"}, {"period_end", "2026-11-30"}, {"x", 1}})),
              "UNKNOWN_FIELD@x ");
}

}  // namespace
}  // namespace cp::validation
