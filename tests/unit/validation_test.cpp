// DTO validators: stable codes, JSON paths, create vs update, unknown fields.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "shared/validation/client_validation.hpp"
#include "shared/validation/engagement_validation.hpp"
#include "shared/validation/expense_validation.hpp"
#include "shared/validation/field_rules.hpp"
#include "shared/validation/firm_validation.hpp"
#include "shared/validation/invoice_draft_validation.hpp"
#include "shared/validation/membership_validation.hpp"
#include "shared/validation/payment_validation.hpp"
#include "shared/validation/time_entry_validation.hpp"

using nlohmann::json;
using namespace cp::validation;

namespace {
std::vector<std::string> codes(const cp::Errors& errors) {
    std::vector<std::string> v;
    for (const auto& e : errors) v.push_back(e.code + "@" + e.field);
    return v;
}
using V = std::vector<std::string>;
}  // namespace

TEST(FieldRules, Formats) {
    EXPECT_TRUE(is_plausible_email("ann@example.com"));
    EXPECT_FALSE(is_plausible_email("ann@example"));
    EXPECT_FALSE(is_plausible_email("ann example@x.com"));
    EXPECT_FALSE(is_plausible_email("@x.com"));
    EXPECT_FALSE(is_plausible_email("a@@x.com"));
    EXPECT_TRUE(is_valid_slug("acme-1"));
    EXPECT_FALSE(is_valid_slug("ab"));
    EXPECT_FALSE(is_valid_slug("Acme"));
    EXPECT_FALSE(is_valid_slug(std::string(64, 'a')));
    EXPECT_TRUE(is_iana_zone_name("America/New_York"));
    EXPECT_TRUE(is_iana_zone_name("Etc/GMT+5"));
    EXPECT_TRUE(is_iana_zone_name("UTC"));
    EXPECT_TRUE(is_iana_zone_name("America/Argentina/Buenos_Aires"));
    EXPECT_FALSE(is_iana_zone_name("../etc/passwd"));
    EXPECT_FALSE(is_iana_zone_name("/etc/passwd"));
    EXPECT_FALSE(is_iana_zone_name("America/../../x"));
    EXPECT_FALSE(is_iana_zone_name("America//New_York"));
    EXPECT_FALSE(is_iana_zone_name(""));
    // zoneinfo files that are not zones: the host's setting, fallback rules, alternate trees.
    EXPECT_FALSE(is_iana_zone_name("localtime"));
    EXPECT_FALSE(is_iana_zone_name("posixrules"));
    EXPECT_FALSE(is_iana_zone_name("Factory"));
    EXPECT_FALSE(is_iana_zone_name("posix/Europe/Paris"));
    EXPECT_FALSE(is_iana_zone_name("right/UTC"));
    EXPECT_TRUE(is_iana_zone_name("Europe/Paris"));
    EXPECT_TRUE(looks_like_card_number("4242 4242 4242 4242"));
    EXPECT_FALSE(looks_like_card_number("pm_card_visa"));
}

TEST(FirmValidation, CreateNeedsNameAndSlug) {
    EXPECT_EQ(codes(validate_firm(json::object(), Mode::create)),
              (V{"VALIDATION_REQUIRED@name", "VALIDATION_REQUIRED@slug"}));
    EXPECT_TRUE(validate_firm({{"name", "Acme"},
                               {"slug", "acme"},
                               {"plan", "enterprise"},
                               {"time_zone", "Europe/London"},
                               {"currency", "GBP"}},
                              Mode::create)
                    .empty());
}

TEST(FirmValidation, UpdateIsPartialButStrict) {
    EXPECT_TRUE(validate_firm(json::object(), Mode::update).empty());
    EXPECT_EQ(
        codes(validate_firm(
            {{"plan", "gold"}, {"nme", "x"}, {"slug", "A!"}, {"time_zone", "../x"}, {"currency", "usd"}},
            Mode::update)),
        (V{"UNKNOWN_FIELD@nme", "INVALID_SLUG@slug", "INVALID_ENUM@plan", "INVALID_TIME_ZONE@time_zone",
           "UNKNOWN_CURRENCY@currency"}));
    EXPECT_EQ(codes(validate_firm({{"name", std::string(201, 'x')}}, Mode::update)),
              (V{"STRING_TOO_LONG@name"}));
    EXPECT_EQ(codes(validate_firm({{"name", "é" + std::string(199, 'x')}}, Mode::update)), V{});
    EXPECT_EQ(codes(validate_firm(json::array(), Mode::update)), (V{"INVALID_TYPE@"}));
}

TEST(ClientValidation, AutopayNeedsPaymentMethod) {
    json body{{"company_name", "Globex"}, {"billing_email", "ap@globex.com"}, {"autopay_enabled", true}};
    EXPECT_EQ(codes(validate_client(body, Mode::create)), (V{"VALIDATION_REQUIRED@payment_method_ref"}));
    body["payment_method_ref"] = "pm_123";
    EXPECT_TRUE(validate_client(body, Mode::create).empty());
    body["payment_method_ref"] = "4242-4242-4242-4242";
    EXPECT_EQ(codes(validate_client(body, Mode::create)), (V{"INVALID_FORMAT@payment_method_ref"}));
    json update{{"autopay_enabled", true}};
    EXPECT_EQ(codes(validate_client(update, Mode::update)), (V{"VALIDATION_REQUIRED@payment_method_ref"}));
    EXPECT_TRUE(validate_client(update, Mode::update, ClientContext{true}).empty());
    // Detaching the method (null) while autopay stays on, stored or in the body, is refused;
    // detaching it while turning autopay off is fine.
    const ClientContext autopaying{true, true};
    json detach{{"payment_method_ref", nullptr}};
    EXPECT_EQ(codes(validate_client(detach, Mode::update, autopaying)),
              (V{"VALIDATION_REQUIRED@payment_method_ref"}));
    detach["autopay_enabled"] = false;
    EXPECT_TRUE(validate_client(detach, Mode::update, autopaying).empty());
    EXPECT_TRUE(validate_client(json{{"status", "inactive"}}, Mode::update, autopaying).empty());
}

// In an update, null would mean "clear": only nullable fields may be null.
TEST(Validation, UpdatesRefuseNullForFieldsThatCannotBeCleared) {
    EXPECT_EQ(codes(validate_client(json{{"status", nullptr}}, Mode::update)), (V{"INVALID_TYPE@status"}));
    EXPECT_EQ(codes(validate_client(json{{"contacts", nullptr}}, Mode::update)),
              (V{"INVALID_TYPE@contacts"}));
    EXPECT_EQ(codes(validate_engagement(json{{"end_date", nullptr}}, Mode::update)),
              (V{"INVALID_TYPE@end_date"}));
    EXPECT_EQ(codes(validate_firm(json{{"plan", nullptr}}, Mode::update)), (V{"INVALID_TYPE@plan"}));
    EXPECT_EQ(codes(validate_membership(json{{"role", nullptr}}, Mode::update)), (V{"INVALID_TYPE@role"}));
    // On create, null still counts as absent for optional fields.
    EXPECT_TRUE(validate_client(
                    json{{"company_name", "Globex"}, {"billing_email", "ap@globex.com"}, {"status", nullptr}},
                    Mode::create)
                    .empty());
}

TEST(ClientValidation, TypesAndContacts) {
    json body{{"company_name", ""},
              {"billing_email", "nope"},
              {"status", "gone"},
              {"portal_enabled", "yes"},
              {"contacts", {{{"email", "x"}}, 3}}};
    EXPECT_EQ(codes(validate_client(body, Mode::create)),
              (V{"VALIDATION_REQUIRED@company_name", "INVALID_EMAIL@billing_email", "INVALID_ENUM@status",
                 "INVALID_TYPE@portal_enabled", "VALIDATION_REQUIRED@contacts[0].name",
                 "INVALID_EMAIL@contacts[0].email", "INVALID_TYPE@contacts[1]"}));
}

TEST(EngagementValidation, PricingModeRules) {
    json base{{"client_id", 7}, {"name", "Retainer"}, {"start_date", "2024-01-01"}};
    json pkg = base;
    pkg["pricing_mode"] = "package";
    EXPECT_EQ(codes(validate_engagement(pkg, Mode::create)), (V{"VALIDATION_REQUIRED@package_fee"}));
    pkg["package_fee"] = "0";
    EXPECT_EQ(codes(validate_engagement(pkg, Mode::create)), (V{"OUT_OF_RANGE@package_fee"}));
    pkg["package_fee"] = "2500.00";
    EXPECT_TRUE(validate_engagement(pkg, Mode::create).empty());
    json mixed = base;
    mixed["pricing_mode"] = "mixed";
    EXPECT_EQ(codes(validate_engagement(mixed, Mode::create)),
              (V{"VALIDATION_REQUIRED@package_fee", "VALIDATION_REQUIRED@hourly_rate"}));
    json hourly = base;
    hourly["pricing_mode"] = "hourly";
    hourly["hourly_rate"] = "150";
    hourly["currency"] = "JPY";
    hourly["package_fee"] = "10.5";
    EXPECT_EQ(codes(validate_engagement(hourly, Mode::create)), (V{"TOO_MANY_DECIMALS@package_fee"}));
}

TEST(EngagementValidation, DatesAndSchedule) {
    json body{{"client_id", "c_1"},         {"name", "X"},
              {"pricing_mode", "hourly"},   {"hourly_rate", "100"},
              {"start_date", "2024-03-01"}, {"end_date", "2024-02-29"},
              {"schedule", "weekly"}};
    EXPECT_EQ(codes(validate_engagement(body, Mode::create)),
              (V{"INVALID_ENUM@schedule", "END_BEFORE_START@end_date"}));
    body["schedule"] = "one_time";
    body.erase("end_date");
    EXPECT_EQ(codes(validate_engagement(body, Mode::create)), (V{"VALIDATION_REQUIRED@end_date"}));
    body["end_date"] = "2023-02-29";
    EXPECT_EQ(codes(validate_engagement(body, Mode::create)), (V{"INVALID_DATE@end_date"}));
    EXPECT_EQ(codes(validate_engagement({{"client_id", 0}}, Mode::update)), (V{"OUT_OF_RANGE@client_id"}));
}

TEST(MembershipValidation, PasswordAndRole) {
    json body{{"email", "a@b.co"}, {"name", "Ann"}, {"role", "staff"}, {"password", "short"}};
    EXPECT_EQ(codes(validate_membership(body, Mode::create)), (V{"TOO_SHORT@password"}));
    body["password"] = std::string(257, 'x');
    EXPECT_EQ(codes(validate_membership(body, Mode::create)), (V{"STRING_TOO_LONG@password"}));
    body["password"] = "correct horse battery";
    body["role"] = "root";
    EXPECT_EQ(codes(validate_membership(body, Mode::create)), (V{"INVALID_ENUM@role"}));
    EXPECT_TRUE(validate_membership({{"name", "Ann B"}}, Mode::update).empty());
    EXPECT_EQ(codes(validate_login({{"email", "a@b.co"}})), (V{"VALIDATION_REQUIRED@password"}));
}

TEST(TimeEntryValidation, HoursAndDate) {
    json body{{"engagement_id", 1}, {"date", "2024-02-29"}, {"hours", "1.25"}, {"rate", "150"}};
    EXPECT_TRUE(validate_time_entry(body, Mode::create).empty());
    EXPECT_EQ(codes(validate_time_entry(body, Mode::create, cp::time::Date{2024, 2, 28})),
              (V{"DATE_IN_FUTURE@date"}));
    for (const char* h : {"0", "-1", "24.01", "25"}) {
        body["hours"] = h;
        EXPECT_EQ(codes(validate_time_entry(body, Mode::create)), (V{"OUT_OF_RANGE@hours"})) << h;
    }
    body["hours"] = "24";
    EXPECT_TRUE(validate_time_entry(body, Mode::create).empty());
    body["hours"] = "1.125";
    EXPECT_EQ(codes(validate_time_entry(body, Mode::create)), (V{"TOO_MANY_DECIMALS@hours"}));
    body["hours"] = 1.5;
    EXPECT_EQ(codes(validate_time_entry(body, Mode::create)), (V{"INVALID_TYPE@hours"}));
    body["hours"] = "1";
    body["rate"] = "-1";
    EXPECT_EQ(codes(validate_time_entry(body, Mode::create)), (V{"OUT_OF_RANGE@rate"}));
}

TEST(ExpenseValidation, AmountAndMarkup) {
    json body{{"engagement_id", 1},
              {"date", "2024-12-31"},
              {"description", "Train"},
              {"amount", "0"},
              {"markup_percent", "-5"}};
    EXPECT_EQ(codes(validate_expense(body, Mode::create)),
              (V{"OUT_OF_RANGE@amount", "OUT_OF_RANGE@markup_percent"}));
}

TEST(PaymentValidation, AmountUsesCurrencyDigits) {
    json body{{"invoice_id", 9}, {"amount", "10.005"}, {"currency", "USD"}, {"method", "card"}};
    EXPECT_EQ(codes(validate_payment(body, Mode::create)), (V{"TOO_MANY_DECIMALS@amount"}));
    body["currency"] = "KWD";
    EXPECT_TRUE(validate_payment(body, Mode::create).empty());
    body["amount"] = "-1.000";
    body["method"] = "bitcoin";
    EXPECT_EQ(codes(validate_payment(body, Mode::create)), (V{"OUT_OF_RANGE@amount", "INVALID_ENUM@method"}));
}

TEST(InvoiceDraftValidation, SharesPreviewRulesAndRejectsUnknown) {
    json body{{"client_id", 1},
              {"currency", "USD"},
              {"issue_date", "2024-01-31"},
              {"due_date", "2024-01-30"},
              {"lines", {{{"quantity", "1"}, {"unit_price", "-5"}, {"tax_rate", "0"}, {"colour", "red"}}}}};
    EXPECT_EQ(codes(validate_invoice_draft(body, Mode::create)),
              (V{"END_BEFORE_START@due_date", "UNKNOWN_FIELD@lines[0].colour", "NEGATIVE_TOTAL@total"}));
    body["due_date"] = "2024-03-01";
    body["lines"][0].erase("colour");
    EXPECT_EQ(codes(validate_invoice_draft(body, Mode::create)), (V{"NEGATIVE_TOTAL@total"}));
    body["document_type"] = "credit_note";
    EXPECT_TRUE(validate_invoice_draft(body, Mode::create).empty());
    EXPECT_TRUE(validate_invoice_draft({{"notes", "thanks"}}, Mode::update).empty());
    EXPECT_EQ(codes(validate_invoice_draft({{"lines", {{{"quantity", "x"}}}}}, Mode::update)),
              (V{"INVALID_DECIMAL@lines[0].quantity", "VALIDATION_REQUIRED@lines[0].unit_price",
                 "VALIDATION_REQUIRED@lines[0].tax_rate"}));
    EXPECT_EQ(
        codes(validate_invoice_draft(json::object(), Mode::create)),
        (V{"VALIDATION_REQUIRED@client_id", "VALIDATION_REQUIRED@currency", "VALIDATION_REQUIRED@lines"}));
}
