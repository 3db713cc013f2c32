// The reason rule of void and credit-note bodies, which the server reads with and the
// portal judges its forms with.
#include <gtest/gtest.h>

#include <string>

#include "shared/validation/invoice_action_validation.hpp"

namespace cp::validation {
namespace {

std::string codes(const Errors& errors) {
    std::string out;
    for (const auto& e : errors) out += e.code + "@" + e.field + " ";
    return out;
}

TEST(InvoiceActionValidation, AReasonIsRequiredAndNotBlank) {
    EXPECT_EQ(codes(validate_invoice_action(nlohmann::json::object(), {"reason"}, true)), "VALIDATION_REQUIRED@reason ");
    EXPECT_EQ(codes(validate_invoice_action({{"reason", "  \t"}}, {"reason"}, true)), "VALIDATION_REQUIRED@reason ");
    EXPECT_TRUE(validate_invoice_action({{"reason", "Issued to the wrong client"}}, {"reason"}, true).empty());
}

TEST(InvoiceActionValidation, AReasonIsAtMostFiveHundredCodePoints) {
    std::string at_limit;
    for (size_t i = 0; i < kActionReasonMaxChars; ++i) at_limit += "\xc3\xa9";  // é: two bytes, one code point
    EXPECT_TRUE(validate_invoice_action({{"reason", at_limit}}, {"reason"}, true).empty());
    EXPECT_EQ(codes(validate_invoice_action({{"reason", at_limit + "e"}}, {"reason"}, true)), "STRING_TOO_LONG@reason ");
}

TEST(InvoiceActionValidation, OnlyTheAllowedKeysAndNoReasonWhenNoneIsAsked) {
    EXPECT_TRUE(validate_invoice_action(nlohmann::json::object(), {}, false).empty());
    EXPECT_EQ(codes(validate_invoice_action({{"reason", "x"}, {"amount", "1"}}, {"reason"}, true)), "UNKNOWN_FIELD@amount ");
    EXPECT_EQ(codes(validate_invoice_action({{"reason", "x"}}, {}, false)), "UNKNOWN_FIELD@reason ");
}

TEST(InvoiceActionValidation, AReasonOnOneLine) {
    EXPECT_EQ(codes(validate_invoice_action({{"reason", "a\nb"}}, {"reason"}, true)), "INVALID_CHARACTERS@reason ");
}

}  // namespace
}  // namespace cp::validation
