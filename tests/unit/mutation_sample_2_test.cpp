// Unit tests for the survivors of the `scripts/mutate --max 200 --seed 1` run of issue 17
// (second round, shared/ half): each names the rule, the file it guards and the single-point
// change it catches.
#include <gtest/gtest.h>

#include <map>
#include <nlohmann/json.hpp>
#include <string>

#include "shared/validation/client_validation.hpp"
#include "shared/validation/crm_validation.hpp"
#include "shared/validation/invoice_draft_validation.hpp"
#include "shared/validation/invoice_list_query.hpp"
#include "shared/validation/payment_validation.hpp"

namespace cp {
namespace {

using nlohmann::json;

bool has_error(const Errors& errors, const std::string& code, const std::string& field) {
    for (const auto& e : errors)
        if (e.code == code && e.field == field) return true;
    return false;
}

// client_validation.cpp: a contact's role is an optional string of at most 100 characters
// (catches the role's check removed, which lets any type or length through).
TEST(MutationSample2, AContactsRoleIsAShortString) {
    auto with_role = [](const json& role) {  // the errors on the role only
        Errors out;
        for (const auto& e : validation::validate_client(
                 {{"company_name", "Globex"}, {"contacts", {{{"name", "Dana"}, {"role", role}}}}}, validation::Mode::create))
            if (e.field == "contacts[0].role") out.push_back(e);
        return out;
    };
    EXPECT_TRUE(with_role("Controller").empty());
    EXPECT_TRUE(with_role(std::string(100, 'r')).empty());
    EXPECT_FALSE(with_role(std::string(101, 'r')).empty());
    EXPECT_TRUE(has_error(with_role(5), "INVALID_TYPE", "contacts[0].role"));
}

// crm_validation.cpp (validate_proposal): the proposal's portal_user takes only its four
// fields; anything else is UNKNOWN_FIELD under portal_user (catches reject_unknown removed).
TEST(MutationSample2, AProposalsPortalUserRejectsUnknownFields) {
    json body{{"portal_user", {{"email", "dana@initech.test"}, {"name", "Dana"}, {"colour", "blue"}}}};
    auto errors = validation::validate_proposal(body);
    bool named = false;
    for (const auto& e : errors)
        named = named || (e.code == "UNKNOWN_FIELD" && e.field == "portal_user.colour");
    EXPECT_TRUE(named);
    body["portal_user"].erase("colour");
    for (const auto& e : validation::validate_proposal(body))
        EXPECT_NE(e.field.rfind("portal_user", 0), 0u) << e.code << " " << e.field;
}

// invoice_draft_validation.cpp: an engagement override reason, when given, is not empty
// (catches the reason's non-empty flag turned off).
TEST(MutationSample2, AnEngagementOverrideReasonIsNotEmpty) {
    auto reason_errors = [](const std::string& reason) {
        Errors out;
        for (const auto& e : validation::validate_invoice_draft({{"engagement_override_reason", reason}},
                                                                validation::Mode::update))
            if (e.field == "engagement_override_reason") out.push_back(e);
        return out;
    };
    EXPECT_TRUE(reason_errors("client asked for one invoice").empty());
    EXPECT_FALSE(reason_errors("").empty());
}

// invoice_list_query.cpp: issued_from and due_from fill the start of their range, *_to its
// end (catches the from/to choice inverted).
TEST(MutationSample2, ListRangesFillTheirOwnEnds) {
    Errors errors;
    auto q = validation::read_invoice_list_query(
        {{"issued_from", "2026-01-01"}, {"issued_to", "2026-03-31"}, {"due_from", "2026-02-01"}}, errors);
    EXPECT_TRUE(errors.empty());
    EXPECT_EQ(q.issued_from, std::optional<std::string>("2026-01-01"));
    EXPECT_EQ(q.issued_to, std::optional<std::string>("2026-03-31"));
    EXPECT_EQ(q.due_from, std::optional<std::string>("2026-02-01"));
    EXPECT_EQ(q.due_to, std::nullopt);
}

// payment_validation.cpp (validate_payment): a payment's amount is more than zero: 0.00 is
// OUT_OF_RANGE, 0.01 is fine (catches `<= 0` as `< 0`).
TEST(MutationSample2, APaymentOfZeroIsOutOfRange) {
    auto amount_errors = [](const std::string& amount) {
        Errors out;
        for (const auto& e : validation::validate_payment(
                 {{"invoice_id", "inv_1"}, {"amount", amount}, {"currency", "USD"}, {"method", "cash"}},
                 validation::Mode::create))
            if (e.field == "amount") out.push_back(e);
        return out;
    };
    EXPECT_TRUE(has_error(amount_errors("0.00"), "OUT_OF_RANGE", "amount"));
    EXPECT_TRUE(amount_errors("0.01").empty());
}

// payment_validation.cpp (validate_payment): payment_method_ref is a processor reference,
// never a card number (catches its check removed).
TEST(MutationSample2, APaymentsMethodRefIsNeverACardNumber) {
    auto ref_errors = [](const json& ref) {
        Errors out;
        for (const auto& e : validation::validate_payment({{"payment_method_ref", ref}}, validation::Mode::update))
            if (e.field == "payment_method_ref") out.push_back(e);
        return out;
    };
    EXPECT_TRUE(ref_errors("pm_card_visa").empty());
    EXPECT_TRUE(has_error(ref_errors("4242 4242 4242 4242"), "INVALID_FORMAT", "payment_method_ref"));
    EXPECT_FALSE(ref_errors(5).empty());
}

// payment_validation.cpp (validate_credit_grant): a credit's kind is required and is goodwill
// or correction (catches the kind's check removed).
TEST(MutationSample2, ACreditGrantNeedsItsKind) {
    auto kind_errors = [](const json& body) {
        Errors out;
        for (const auto& e : validation::validate_credit_grant(body))
            if (e.field == "kind") out.push_back(e);
        return out;
    };
    json body{{"amount", "10.00"}, {"currency", "USD"}, {"reason", "r"}, {"approved_by", "mem_1"}};
    EXPECT_FALSE(kind_errors(body).empty());  // missing
    body["kind"] = "gift";
    EXPECT_FALSE(kind_errors(body).empty());
    body["kind"] = "goodwill";
    EXPECT_TRUE(kind_errors(body).empty());
    body["kind"] = "correction";
    EXPECT_TRUE(kind_errors(body).empty());
}

}  // namespace
}  // namespace cp
