// Core tests for validation rules of the second `scripts/mutate --max 200 --seed 1` sample that
// no test observed: each names the rule, the file it guards and the change it catches.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>

#include "shared/validation/client_validation.hpp"
#include "shared/validation/crm_validation.hpp"
#include "shared/validation/invoice_draft_validation.hpp"
#include "shared/validation/payment_validation.hpp"

namespace {

using nlohmann::json;
using cp::Errors;
using cp::validation::Mode;

bool has_error(const Errors& errors, const std::string& code, const std::string& field) {
    for (const auto& e : errors)
        if (e.code == code && e.field == field) return true;
    return false;
}

bool has_field(const Errors& errors, const std::string& field) {
    for (const auto& e : errors)
        if (e.field == field) return true;
    return false;
}

std::string dump(const Errors& errors) {
    std::string out;
    for (const auto& e : errors) out += e.code + "@" + e.field + " ";
    return out;
}

// client_validation.cpp: a contact's role is at most 100 characters (the length check dropped
// would store any length).
TEST(MutationSample3, AContactsRoleIsAtMost100Characters) {
    json body{{"company_name", "Globex"},
              {"contacts", {{{"name", "Ann"}, {"email", "ann@globex.test"}, {"role", std::string(100, 'r')}}}}};
    EXPECT_FALSE(has_field(cp::validation::validate_client(body, Mode::create), "contacts[0].role"))
        << dump(cp::validation::validate_client(body, Mode::create));
    body["contacts"][0]["role"] = std::string(101, 'r');
    EXPECT_TRUE(has_field(cp::validation::validate_client(body, Mode::create), "contacts[0].role"))
        << dump(cp::validation::validate_client(body, Mode::create));
    body["contacts"][0]["role"] = 7;
    EXPECT_TRUE(has_error(cp::validation::validate_client(body, Mode::create), "INVALID_TYPE", "contacts[0].role"));
}

// crm_validation.cpp: a proposal's portal user takes only its own fields (unknown ones are
// named, as everywhere else).
TEST(MutationSample3, AProposalsPortalUserRefusesUnknownFields) {
    json body{{"prospect_id", "pro_1"},
              {"title", "Advisory"},
              {"currency", "USD"},
              {"expires_on", "2026-12-31"},
              {"portal_user", {{"email", "ap@client.test"}, {"name", "AP"}, {"password", "hunter2hunter2"}}}};
    auto errors = cp::validation::validate_proposal(body);
    EXPECT_TRUE(has_error(errors, "UNKNOWN_FIELD", "portal_user.password")) << dump(errors);
}

// payment_validation.cpp (validate_payment): a payment's method reference is a processor
// reference, never a card number.
TEST(MutationSample3, APaymentsMethodReferenceIsNeverACardNumber) {
    json body{{"invoice_id", "inv_1"},
              {"amount", "10.00"},
              {"currency", "USD"},
              {"method", "card"},
              {"payment_method_ref", "4242 4242 4242 4242"}};
    auto errors = cp::validation::validate_payment(body, Mode::create);
    EXPECT_TRUE(has_field(errors, "payment_method_ref")) << dump(errors);
    body["payment_method_ref"] = "pm_card_visa";
    EXPECT_FALSE(has_field(cp::validation::validate_payment(body, Mode::create), "payment_method_ref"));
}

// payment_validation.cpp (validate_credit_grant): a granted credit is goodwill or a correction,
// and says which.
TEST(MutationSample3, AGrantedCreditIsGoodwillOrACorrection) {
    json body{{"kind", "goodwill"}, {"amount", "10.00"}, {"currency", "USD"}, {"reason", "Late"}, {"approved_by", "mem_1"}};
    EXPECT_FALSE(has_field(cp::validation::validate_credit_grant(body), "kind"));
    body["kind"] = "overpayment";  // made by payments, never granted by hand
    EXPECT_TRUE(has_field(cp::validation::validate_credit_grant(body), "kind"));
    body.erase("kind");
    EXPECT_TRUE(has_error(cp::validation::validate_credit_grant(body), "VALIDATION_REQUIRED", "kind"));
}

// invoice_draft_validation.cpp: an engagement override's reason, when given, is not empty
// (an empty reason is no reason).
TEST(MutationSample3, AnEngagementOverrideReasonIsNotEmpty) {
    json body{{"client_id", "cli_1"}, {"lines", json::array()}, {"engagement_override_reason", ""}};
    EXPECT_TRUE(has_field(cp::validation::validate_invoice_draft(body, Mode::create), "engagement_override_reason"))
        << dump(cp::validation::validate_invoice_draft(body, Mode::create));
    body["engagement_override_reason"] = "Work of the old contract";
    EXPECT_FALSE(has_field(cp::validation::validate_invoice_draft(body, Mode::create), "engagement_override_reason"));
}

}  // namespace
