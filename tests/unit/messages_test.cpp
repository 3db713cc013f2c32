#include <gtest/gtest.h>

#include "shared/text/messages.hpp"

namespace cp::text {
namespace {

TEST(Messages, RequiredFieldReadsAsASentence) {
    EXPECT_EQ(human_message({"VALIDATION_REQUIRED", "email", "is required"}), "Email is required.");
}

TEST(Messages, LineFieldsCountFromOne) {
    EXPECT_EQ(field_label("lines[1].unit_price"), "Line 2 unit price");
    EXPECT_EQ(field_label("lines[0].quantity"), "Line 1 quantity");
    EXPECT_EQ(human_message({"INVALID_DECIMAL", "lines[0].quantity", "must be a decimal string like \"1.5\""}),
              "Line 1 quantity must be a number with a dot for decimals, like 1.5 (no commas, spaces or letters).");
}

TEST(Messages, ChoicesAndKindsHaveLabels) {
    EXPECT_EQ(choice_label("half_up"), "Half up");
    EXPECT_EQ(choice_label("per_line"), "Per line");
    EXPECT_EQ(choice_label("package_fee"), "Package fee");
    EXPECT_EQ(choice_label("per_document"), "Per document");
}

TEST(Messages, UnknownCodesNeverShowTheBareCode) {
    const Error e{"SOME_NEW_CODE", "due_date", "must be on or after issue_date"};
    EXPECT_EQ(human_message(e), "Due date must be on or after issue_date");
    EXPECT_EQ(human_message({"SOME_NEW_CODE", "", ""}), "Something went wrong.");
    EXPECT_EQ(support_reference(e), "SOME_NEW_CODE @ due_date");
    EXPECT_EQ(support_reference({"INTERNAL", "", ""}), "INTERNAL");
}

TEST(Messages, AServerMessageNamingItsParameterReadsWithTheLabel) {
    EXPECT_EQ(human_message({"INVALID_FILTER", "issued_to", "issued_to must be a date written YYYY-MM-DD."}),
              "Issued to must be a date written YYYY-MM-DD.");
    EXPECT_EQ(human_message({"INVALID_FILTER", "sort", "sorting is off"}), "Sort sorting is off");
}

TEST(Messages, ServerMessagesWithFiguresAreKeptForUnlistedCodes) {
    EXPECT_EQ(human_message({"TOO_MANY_ATTEMPTS", "", "Too many attempts. Try again in 30 seconds."}),
              "Too many attempts. Try again in 30 seconds.");
}

TEST(Messages, HostileFieldNamesStayText) {
    EXPECT_EQ(field_label("lines[99999999999999].x"), "Lines[99999999999999].x");
    EXPECT_EQ(field_label("lines[a].x"), "Lines[a].x");
}

TEST(Messages, ClientPaymentAndSignedLinkCodesReadAsSentences) {
    EXPECT_EQ(human_message({"EXCEEDS_BALANCE_DUE", "amount", "is more than the invoice's balance due"}),
              "Amount is more than the balance due on this invoice.");
    EXPECT_EQ(human_message({"LINK_EXPIRED", "", "This invoice link has expired; ask the sender for a new one."}),
              "This invoice link has expired. Ask the sender for a new one.");
    EXPECT_EQ(human_message({"NOT_PAYABLE", "status", "invoice in status 'void' does not take payments"}),
              "This invoice cannot be paid now: it is paid, void or under dispute.");
}

}  // namespace
}  // namespace cp::text
