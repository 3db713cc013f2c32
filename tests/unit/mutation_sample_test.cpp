// Unit tests for the rules behind the `scripts/mutate --max 200 --seed 1` sample of issue 17
// (the shared/ half): each test names the rule, checks it on both sides of its boundary, and
// would fail under the single-point change noted beside it.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <vector>

#include "shared/billing/credit_ledger.hpp"
#include "shared/billing/invoice_totals.hpp"
#include "shared/money/currency.hpp"
#include "shared/money/money.hpp"
#include "shared/schedule/billing_period.hpp"
#include "shared/schedule/package_runs.hpp"
#include "shared/schedule/proposal_expiry.hpp"
#include "shared/schedule/renewal.hpp"
#include "shared/state/crm_status.hpp"
#include "shared/validation/break_glass_validation.hpp"
#include "shared/validation/client_validation.hpp"
#include "shared/validation/expense_validation.hpp"
#include "shared/validation/field_rules.hpp"
#include "shared/validation/firm_validation.hpp"
#include "shared/validation/invoice_draft_validation.hpp"
#include "shared/validation/invoice_link_validation.hpp"
#include "shared/validation/json_reader.hpp"
#include "shared/validation/payment_validation.hpp"
#include "shared/validation/time_entry_validation.hpp"

namespace {

using nlohmann::json;
using cp::Errors;
using cp::validation::Mode;

// The error with this code on this field, if any.
bool has_error(const Errors& errors, const std::string& code, const std::string& field) {
    for (const auto& e : errors)
        if (e.code == code && e.field == field) return true;
    return false;
}

std::string dump(const Errors& errors) {
    std::string out;
    for (const auto& e : errors) out += e.code + "@" + e.field + " ";
    return out;
}

// --- field rules ----------------------------------------------------------------------------

// is_lower_alnum / is_digit: '9' is a digit ('9' < '9' would drop it), as is '0'.
TEST(MutationSample, SlugsAndCardNumbersTakeEveryDigitIncludingNine) {
    using cp::validation::is_valid_slug;
    using cp::validation::looks_like_card_number;
    EXPECT_TRUE(is_valid_slug("acme9"));
    EXPECT_TRUE(is_valid_slug("9-to-5"));
    EXPECT_TRUE(is_valid_slug("a0z"));
    EXPECT_FALSE(is_valid_slug("acme:"));  // ':' is the character after '9'
    EXPECT_FALSE(is_valid_slug("acme/"));  // '/' is the character before '0'
    EXPECT_TRUE(looks_like_card_number("9999999999999999"));
    EXPECT_TRUE(looks_like_card_number("0000000000000"));
    EXPECT_FALSE(looks_like_card_number("::::::::::::::::"));
}

// Spaces and dashes between digit groups are ignored; any other character is not a card.
TEST(MutationSample, CardNumbersIgnoreSpacesAndDashesOnly) {
    using cp::validation::looks_like_card_number;
    EXPECT_TRUE(looks_like_card_number("4242 4242 4242 4242"));
    EXPECT_TRUE(looks_like_card_number("4242-4242-4242-4242"));
    EXPECT_TRUE(looks_like_card_number("4242 4242-4242 4242"));
    EXPECT_FALSE(looks_like_card_number("4242 4242 4242 424x"));
    EXPECT_FALSE(looks_like_card_number("4242.4242.4242.4242"));
    // The digit count decides, not the length with separators: 11 digits + 8 spaces is not one.
    EXPECT_FALSE(looks_like_card_number("4 4 4 4 4 4 4 4 4 4 4"));
    EXPECT_TRUE(looks_like_card_number("4 4 4 4 4 4 4 4 4 4 4 4"));
}

// read_time_zone: a name that is not zone-shaped is INVALID_TIME_ZONE on its field (whether it
// is installed is the server's check); an absent one is fine.
TEST(MutationSample, ClientTimeZoneMustBeAnIanaName) {
    const json base{{"company_name", "Globex"}, {"billing_email", "ap@globex.test"}};
    EXPECT_TRUE(cp::validation::validate_client(base, Mode::create).empty());
    json good = base;
    good["time_zone"] = "America/New_York";
    EXPECT_TRUE(cp::validation::validate_client(good, Mode::create).empty());
    json bad = base;
    bad["time_zone"] = "localtime";
    auto errors = cp::validation::validate_client(bad, Mode::create);
    EXPECT_TRUE(has_error(errors, "INVALID_TIME_ZONE", "time_zone")) << dump(errors);
    EXPECT_EQ(errors.size(), 1u) << dump(errors);
}

// validate_client: portal_enabled is read as a boolean; autopay needs a payment method.
TEST(MutationSample, ClientPortalFlagIsBooleanAndAutopayNeedsAMethod) {
    json body{{"company_name", "Globex"}, {"billing_email", "ap@globex.test"}, {"portal_enabled", "yes"}};
    auto errors = cp::validation::validate_client(body, Mode::create);
    EXPECT_TRUE(has_error(errors, "INVALID_TYPE", "portal_enabled")) << dump(errors);
    body["portal_enabled"] = true;
    EXPECT_TRUE(cp::validation::validate_client(body, Mode::create).empty());

    body["autopay_enabled"] = true;
    errors = cp::validation::validate_client(body, Mode::create);
    EXPECT_TRUE(has_error(errors, "VALIDATION_REQUIRED", "payment_method_ref")) << dump(errors);
    body["payment_method_ref"] = "pm_card_visa";
    EXPECT_TRUE(cp::validation::validate_client(body, Mode::create).empty()) << dump(errors);
}

// --- the JSON reader ------------------------------------------------------------------------

// Error paths: "a.b", "b" at the top, "lines[3]" for an index.
TEST(MutationSample, ErrorPathsJoinKeysAndIndexes) {
    EXPECT_EQ(cp::validation::join_path("", "amount"), "amount");
    EXPECT_EQ(cp::validation::join_path("lines[0]", "amount"), "lines[0].amount");
    EXPECT_EQ(cp::validation::index_path("lines", 3), "lines[3]");
    EXPECT_EQ(cp::validation::index_path("contacts", 12), "contacts[12]");
}

// is_valid_utf8: the second byte's range is checked on both ends (after C2, E0, ED, F0, F4).
TEST(MutationSample, Utf8SecondByteRangeCheckedOnBothEnds) {
    using cp::validation::is_valid_utf8;
    EXPECT_FALSE(is_valid_utf8("\xC2\x41"));          // below 0x80
    EXPECT_FALSE(is_valid_utf8("\xC2\xC0"));          // above 0xBF
    EXPECT_TRUE(is_valid_utf8("\xC2\x80"));
    EXPECT_TRUE(is_valid_utf8("\xC2\xBF"));
    EXPECT_FALSE(is_valid_utf8("\xE0\x9F\xBF"));      // overlong: below 0xA0
    EXPECT_TRUE(is_valid_utf8("\xE0\xA0\x80"));
    EXPECT_FALSE(is_valid_utf8("\xED\xA0\x80"));      // a surrogate: above 0x9F
    EXPECT_TRUE(is_valid_utf8("\xED\x9F\xBF"));
    EXPECT_FALSE(is_valid_utf8("\xF0\x8F\xBF\xBF"));  // overlong
    EXPECT_FALSE(is_valid_utf8("\xF4\x90\x80\x80"));  // past U+10FFFF
}

// has_forbidden_controls: secrets take anything; a space is not a control; C1 controls are
// exactly C2 80..C2 9F (other characters whose second byte is 80..9F are fine).
TEST(MutationSample, ControlCharactersAreExactlyC0DelAndC1) {
    using cp::validation::has_forbidden_controls;
    using cp::validation::Text;
    EXPECT_FALSE(has_forbidden_controls("pass\x01word\x7F", Text::secret));
    EXPECT_TRUE(has_forbidden_controls("pass\x01word", Text::single_line));
    EXPECT_FALSE(has_forbidden_controls("a b", Text::single_line));
    EXPECT_FALSE(has_forbidden_controls(" ", Text::single_line));
    EXPECT_TRUE(has_forbidden_controls("\x1F", Text::single_line));
    EXPECT_TRUE(has_forbidden_controls("\x7F", Text::single_line));
    EXPECT_FALSE(has_forbidden_controls("~", Text::single_line));
    EXPECT_TRUE(has_forbidden_controls("a\xC2\x80z", Text::single_line));
    EXPECT_TRUE(has_forbidden_controls("a\xC2\x9Fz", Text::single_line));
    EXPECT_FALSE(has_forbidden_controls("a\xC2\xA0z", Text::single_line));     // no-break space
    EXPECT_FALSE(has_forbidden_controls("\xE2\x82\xAC", Text::single_line));   // €: E2 82 AC
    EXPECT_FALSE(has_forbidden_controls("\xC4\x80", Text::single_line));       // Ā: C4 80
    EXPECT_FALSE(has_forbidden_controls("\xC2", Text::single_line));           // cut short: not C1
}

// --- bodies -----------------------------------------------------------------------------------

// validate_client_payment: the whole balance may be paid; a cent more is EXCEEDS_BALANCE_DUE.
TEST(MutationSample, ClientPaymentUpToTheBalanceDue) {
    auto pay = [](const std::string& amount) {
        return cp::validation::validate_client_payment({{"amount", amount}, {"payment_method", "pm_card_visa"}}, 2,
                                                       10000);
    };
    EXPECT_TRUE(pay("100.00").empty()) << dump(pay("100.00"));
    EXPECT_TRUE(pay("99.99").empty());
    EXPECT_TRUE(has_error(pay("100.01"), "EXCEEDS_BALANCE_DUE", "amount")) << dump(pay("100.01"));
    EXPECT_TRUE(has_error(pay("0.00"), "OUT_OF_RANGE", "amount"));
    EXPECT_TRUE(pay("0.01").empty());
}

// validate_credit_grant: unknown fields are refused like everywhere else.
TEST(MutationSample, CreditGrantRejectsUnknownFields) {
    json body{{"kind", "goodwill"}, {"amount", "10.00"}, {"currency", "USD"}, {"reason", "Late delivery"},
              {"approved_by", "mem_1"}};
    EXPECT_TRUE(cp::validation::validate_credit_grant(body).empty()) << dump(cp::validation::validate_credit_grant(body));
    body["client_id"] = "cli_1";
    auto errors = cp::validation::validate_credit_grant(body);
    ASSERT_EQ(errors.size(), 1u) << dump(errors);
    EXPECT_EQ(errors[0].field, "client_id");
}

// validate_break_glass_revoke: only a reason.
TEST(MutationSample, BreakGlassRevokeTakesOnlyAReason) {
    EXPECT_TRUE(cp::validation::validate_break_glass_revoke({{"reason", "Done"}}).empty());
    auto errors = cp::validation::validate_break_glass_revoke({{"reason", "Done"}, {"duration_minutes", 5}});
    ASSERT_EQ(errors.size(), 1u) << dump(errors);
    EXPECT_EQ(errors[0].field, "duration_minutes");
}

// validate_time_entry: a rate of 0 is allowed (pro bono), below 0 is not.
TEST(MutationSample, TimeEntryRateZeroIsAllowedNegativeIsNot) {
    const json base{{"engagement_id", "eng_1"}, {"date", "2026-09-01"}, {"hours", "1.00"}};
    json zero = base;
    zero["rate"] = "0";
    EXPECT_TRUE(cp::validation::validate_time_entry(zero, Mode::create).empty())
        << dump(cp::validation::validate_time_entry(zero, Mode::create));
    json negative = base;
    negative["rate"] = "-0.01";
    EXPECT_TRUE(has_error(cp::validation::validate_time_entry(negative, Mode::create), "OUT_OF_RANGE", "rate"));
}

// validate_expense: the category is an optional string of at most 100 characters.
TEST(MutationSample, ExpenseCategoryIsAShortString) {
    json body{{"engagement_id", "eng_1"}, {"date", "2026-09-01"}, {"description", "Taxi"}, {"amount", "12.50"},
              {"currency", "USD"}};
    EXPECT_TRUE(cp::validation::validate_expense(body, Mode::create).empty())
        << dump(cp::validation::validate_expense(body, Mode::create));
    body["category"] = std::string(100, 'c');
    EXPECT_TRUE(cp::validation::validate_expense(body, Mode::create).empty());
    body["category"] = std::string(101, 'c');
    EXPECT_TRUE(has_error(cp::validation::validate_expense(body, Mode::create), "STRING_TOO_LONG", "category"));
    body["category"] = 7;
    EXPECT_TRUE(has_error(cp::validation::validate_expense(body, Mode::create), "INVALID_TYPE", "category"));
}

// validate_invoice_link: expires_in_days is an integer from 1 to 90.
TEST(MutationSample, InvoiceLinkExpiryDaysOneToNinety) {
    using cp::validation::validate_invoice_link;
    EXPECT_TRUE(validate_invoice_link(json::object()).empty());
    EXPECT_TRUE(validate_invoice_link({{"expires_in_days", 1}}).empty());
    EXPECT_TRUE(validate_invoice_link({{"expires_in_days", 90}}).empty());
    EXPECT_TRUE(has_error(validate_invoice_link({{"expires_in_days", 0}}), "OUT_OF_RANGE", "expires_in_days"))
        << dump(validate_invoice_link({{"expires_in_days", 0}}));
    EXPECT_TRUE(has_error(validate_invoice_link({{"expires_in_days", 91}}), "OUT_OF_RANGE", "expires_in_days"));
    EXPECT_FALSE(validate_invoice_link({{"expires_in_days", "7"}}).empty());
}

// validate_invoice_draft: on update, null only clears engagement, its reason and notes (any
// other null is INVALID_TYPE); on create a null is simply absent. An update without a
// currency is checked against a placeholder, never refused for the missing currency.
TEST(MutationSample, InvoiceDraftNullsAndUpdatesWithoutCurrency) {
    using cp::validation::validate_invoice_draft;
    const json line{{"kind", "adjustment"}, {"description", "Work"}, {"quantity", "1"}, {"unit_price", "10.00"},
                    {"tax_rate", "0"}};
    auto update_null = validate_invoice_draft({{"tax_mode", nullptr}}, Mode::update);
    EXPECT_TRUE(has_error(update_null, "INVALID_TYPE", "tax_mode")) << dump(update_null);
    EXPECT_TRUE(validate_invoice_draft({{"notes", nullptr}, {"engagement_id", nullptr}}, Mode::update).empty());
    auto create_null = validate_invoice_draft(
        {{"client_id", "cli_1"}, {"currency", "USD"}, {"lines", {line}}, {"tax_mode", nullptr}}, Mode::create);
    EXPECT_TRUE(create_null.empty()) << dump(create_null);
    auto lines_only = validate_invoice_draft({{"lines", {line}}}, Mode::update);
    EXPECT_TRUE(lines_only.empty()) << dump(lines_only);
    // An update that names a currency is checked against that currency, not the placeholder.
    auto jpy = validate_invoice_draft({{"currency", "XXX"}, {"lines", {line}}}, Mode::update);
    EXPECT_TRUE(has_error(jpy, "UNKNOWN_CURRENCY", "currency")) << dump(jpy);
}

// --- money and schedules ---------------------------------------------------------------------

// scaled_product: a small quantity times a huge unit price overflows 64 bits on the way but
// fits as an amount: the answer is exact (the fast path needs both factors small).
TEST(MutationSample, HugeUnitPriceTimesSmallQuantityIsExact) {
    cp::billing::InvoiceInput in;
    in.currency = cp::money::find_currency("USD");
    cp::billing::LineItem l;
    l.quantity = 1'0000;                            // 1
    l.unit_price = 5'000'000'000'000'0000;          // 5,000,000,000,000.0000: 5e16 at scale 4
    l.tax_rate = 10'0000;                           // 10 %
    in.lines.push_back(l);
    auto t = cp::billing::compute_invoice_totals(in);
    ASSERT_TRUE(t) << t.error().code << " " << t.error().field;
    EXPECT_EQ(t->subtotal, 500'000'000'000'000);   // cents
    EXPECT_EQ(t->tax, 50'000'000'000'000);
    EXPECT_EQ(t->total, 550'000'000'000'000);
    // The same the other way round (a huge quantity at a small price).
    std::swap(in.lines[0].quantity, in.lines[0].unit_price);
    auto swapped = cp::billing::compute_invoice_totals(in);
    ASSERT_TRUE(swapped);
    EXPECT_EQ(swapped->total, 550'000'000'000'000);
    // One past the amount limit is AMOUNT_OVERFLOW, not a wrapped figure.
    in.lines[0].quantity = 1'0000;
    in.lines[0].unit_price = 10'000'000'000'000'0000;  // 1e17: 10^15 cents, one past the limit
    in.lines[0].tax_rate = 0;
    auto over = cp::billing::compute_invoice_totals(in);
    ASSERT_FALSE(over);
    EXPECT_EQ(over.error().code, "AMOUNT_OVERFLOW");
}

// append_entry: an entry must be more than zero (0 refused, 1 minor unit taken).
TEST(MutationSample, LedgerEntriesMustBePositive) {
    cp::billing::LedgerEntry e;
    e.kind = cp::billing::LedgerKind::goodwill;
    e.amount = 0;
    auto zero = cp::billing::append_entry(500, e);
    ASSERT_FALSE(zero);
    EXPECT_EQ(zero.error().code, "OUT_OF_RANGE");
    e.amount = 1;
    auto one = cp::billing::append_entry(500, e);
    ASSERT_TRUE(one);
    EXPECT_EQ(*one, 501);
    e.amount = -5;
    EXPECT_FALSE(cp::billing::append_entry(500, e));
}

// proposal_expiring_within: "expiring within 7 days" includes the 7th day, not the 8th, and
// never a lapsed proposal.
TEST(MutationSample, ProposalExpiringWithinIncludesTheLastDay) {
    using cp::schedule::proposal_expiring_within;
    using cp::schedule::proposal_lapsed;
    const cp::time::Date today{2026, 9, 1};
    EXPECT_TRUE(proposal_expiring_within({2026, 9, 8}, today, 7));
    EXPECT_FALSE(proposal_expiring_within({2026, 9, 9}, today, 7));
    EXPECT_TRUE(proposal_expiring_within({2026, 9, 1}, today, 7));  // expires today: not lapsed yet
    EXPECT_FALSE(proposal_expiring_within({2026, 8, 31}, today, 7));
    EXPECT_FALSE(proposal_lapsed({2026, 9, 1}, today));
    EXPECT_TRUE(proposal_lapsed({2026, 8, 31}, today));
}

// renewal_period: the renewal starts the day after the old end; an explicit end on that day
// is fine, the day before is END_BEFORE_START.
TEST(MutationSample, RenewalEndOnOrAfterItsStart) {
    auto same = cp::schedule::renewal_period({2026, 12, 31}, cp::time::Date{2027, 1, 1});
    ASSERT_TRUE(same);
    EXPECT_EQ(same->start, (cp::time::Date{2027, 1, 1}));
    EXPECT_EQ(same->end, (cp::time::Date{2027, 1, 1}));
    auto before = cp::schedule::renewal_period({2026, 12, 31}, cp::time::Date{2026, 12, 31});
    ASSERT_FALSE(before);
    EXPECT_EQ(before.error().code, "END_BEFORE_START");
    EXPECT_TRUE(cp::schedule::renewal_period({2026, 12, 31}));
}

// is_plausible_email: each forbidden character is refused on its own ('[', ']', '\\', ...).
TEST(MutationSample, EmailRefusesEachForbiddenCharacter) {
    using cp::validation::is_plausible_email;
    EXPECT_TRUE(is_plausible_email("ann.lee+bills@example.com"));
    for (char c : std::string("\"(),:;<>[]\\ ")) {
        EXPECT_FALSE(is_plausible_email(std::string("ann") + c + "lee@example.com")) << c;
    }
    EXPECT_FALSE(is_plausible_email("annlee.example.com"));
}

// validate_refund: an amount greater than zero (0.00 refused, 0.01 taken); only amount and reason.
TEST(MutationSample, RefundAmountAndFields) {
    using cp::validation::validate_refund;
    EXPECT_TRUE(validate_refund({{"amount", "0.01"}, {"reason", "r"}}, 2).empty());
    EXPECT_TRUE(has_error(validate_refund({{"amount", "0.00"}, {"reason", "r"}}, 2), "OUT_OF_RANGE", "amount"));
    auto extra = validate_refund({{"amount", "1.00"}, {"reason", "r"}, {"method", "cash"}}, 2);
    ASSERT_EQ(extra.size(), 1u) << dump(extra);
    EXPECT_EQ(extra[0].field, "method");
}

// validate_break_glass_open: a blank reason is no reason.
TEST(MutationSample, BreakGlassReasonMustNotBeBlank) {
    using cp::validation::validate_break_glass_open;
    EXPECT_TRUE(validate_break_glass_open({{"firm_id", "frm_1"}, {"reason", "ticket 42"}}).empty());
    EXPECT_TRUE(has_error(validate_break_glass_open({{"firm_id", "frm_1"}, {"reason", "  \n"}}), "VALIDATION_REQUIRED",
                          "reason"));
}

// validate_client contacts: phone at most 50 characters, reminders_opt_out a boolean.
TEST(MutationSample, ClientContactPhoneAndOptOut) {
    json body{{"company_name", "Globex"}, {"billing_email", "ap@globex.test"},
              {"contacts", {{{"name", "Dana"}, {"phone", std::string(50, '5')}, {"reminders_opt_out", true}}}}};
    EXPECT_TRUE(cp::validation::validate_client(body, Mode::create).empty());
    body["contacts"][0]["phone"] = std::string(51, '5');
    EXPECT_TRUE(has_error(cp::validation::validate_client(body, Mode::create), "STRING_TOO_LONG", "contacts[0].phone"));
    body["contacts"][0]["phone"] = "555";
    body["contacts"][0]["reminders_opt_out"] = "yes";
    EXPECT_TRUE(has_error(cp::validation::validate_client(body, Mode::create), "INVALID_TYPE", "contacts[0].reminders_opt_out"));
}

// validate_expense: billable is a boolean; a date after `today` is refused, today is fine.
TEST(MutationSample, ExpenseBillableAndDateNotAfterToday) {
    json body{{"engagement_id", "eng_1"}, {"date", "2026-09-01"}, {"description", "Taxi"}, {"amount", "12.50"}};
    const cp::time::Date today{2026, 9, 1};
    EXPECT_TRUE(cp::validation::validate_expense(body, Mode::create, today).empty());
    body["date"] = "2026-09-02";
    EXPECT_TRUE(has_error(cp::validation::validate_expense(body, Mode::create, today), "DATE_IN_FUTURE", "date"));
    EXPECT_TRUE(cp::validation::validate_expense(body, Mode::create).empty());  // no today: not checked
    body["billable"] = "yes";
    EXPECT_TRUE(has_error(cp::validation::validate_expense(body, Mode::create), "INVALID_TYPE", "billable"));
}

// validate_time_entry: on update a null is INVALID_TYPE; on create it is simply absent.
TEST(MutationSample, TimeEntryNullsOnUpdateOnly) {
    auto update = cp::validation::validate_time_entry({{"description", nullptr}}, Mode::update);
    EXPECT_TRUE(has_error(update, "INVALID_TYPE", "description")) << dump(update);
    auto create = cp::validation::validate_time_entry(
        {{"engagement_id", "eng_1"}, {"date", "2026-09-01"}, {"hours", "1.00"}, {"description", nullptr}}, Mode::create);
    EXPECT_TRUE(create.empty()) << dump(create);
}

// validate_firm: the plan is one of the three.
TEST(MutationSample, FirmPlanIsOneOfThree) {
    EXPECT_TRUE(cp::validation::validate_firm({{"plan", "enterprise"}}, Mode::update).empty());
    auto gold = cp::validation::validate_firm({{"plan", "gold"}}, Mode::update);
    ASSERT_EQ(gold.size(), 1u);
    EXPECT_EQ(gold[0].field, "plan");
}

// validate_invoice_draft: engagement_id must be an id; issue and due dates are compared only
// when both are given (due before issue is END_BEFORE_START, same day is fine).
TEST(MutationSample, InvoiceDraftEngagementIdAndDateOrder) {
    using cp::validation::validate_invoice_draft;
    EXPECT_TRUE(has_error(validate_invoice_draft({{"engagement_id", true}}, Mode::update), "INVALID_TYPE", "engagement_id"));
    EXPECT_TRUE(validate_invoice_draft({{"issue_date", "2026-09-10"}}, Mode::update).empty());
    EXPECT_TRUE(validate_invoice_draft({{"due_date", "2026-09-01"}}, Mode::update).empty());
    EXPECT_TRUE(validate_invoice_draft({{"issue_date", "2026-09-10"}, {"due_date", "2026-09-10"}}, Mode::update).empty());
    EXPECT_TRUE(has_error(validate_invoice_draft({{"issue_date", "2026-09-10"}, {"due_date", "2026-09-09"}}, Mode::update),
                          "END_BEFORE_START", "due_date"));
}

// A one-day engagement (start == end) is valid for billing periods and package runs.
TEST(MutationSample, OneDayEngagementsAreValid) {
    using namespace cp::schedule;
    const cp::time::Date day{2026, 3, 15};
    const EngagementDates one_day{day, day};
    auto p = billing_period(BillingSchedule::monthly, day, one_day);
    ASSERT_TRUE(p) << p.error().code;
    EXPECT_EQ(p->start, day);
    EXPECT_EQ(p->end, day);
    auto runs = package_run_periods(BillingSchedule::monthly, one_day, {2026, 1, 1}, {2026, 12, 31});
    ASSERT_TRUE(runs) << runs.error().code;
    ASSERT_EQ(runs->size(), 1u);
    EXPECT_EQ((*runs)[0].start, day);
    const EngagementDates backwards{day, cp::time::Date{2026, 3, 14}};
    EXPECT_EQ(billing_period(BillingSchedule::monthly, day, backwards).error().code, "END_BEFORE_START");
    EXPECT_EQ(package_run_periods(BillingSchedule::monthly, backwards, {2026, 1, 1}, {2026, 12, 31}).error().code,
              "END_BEFORE_START");
}

// is_open: only discovery, proposal and negotiation are open stages.
TEST(MutationSample, ProspectOpenStages) {
    using cp::state::ProspectStage;
    EXPECT_TRUE(cp::state::is_open(ProspectStage::discovery));
    EXPECT_TRUE(cp::state::is_open(ProspectStage::proposal));
    EXPECT_TRUE(cp::state::is_open(ProspectStage::negotiation));
    EXPECT_FALSE(cp::state::is_open(ProspectStage::won));
    EXPECT_FALSE(cp::state::is_open(ProspectStage::lost));
}

// JsonReader::identifier answers whether the field is a usable id (a string of 1..64 or a
// positive integer); anything else is false with INVALID_TYPE.
TEST(MutationSample, IdentifierAnswersWhetherTheIdIsUsable) {
    const json body{{"s", "cli_1"}, {"n", 7}, {"b", true}, {"z", 0}, {"e", ""}};
    Errors errors;
    cp::validation::JsonReader r(body, "", errors);
    using cp::validation::Presence;
    EXPECT_TRUE(r.identifier("s", Presence::required));
    EXPECT_TRUE(r.identifier("n", Presence::required));
    EXPECT_TRUE(errors.empty()) << dump(errors);
    EXPECT_FALSE(r.identifier("b", Presence::required));
    EXPECT_TRUE(has_error(errors, "INVALID_TYPE", "b")) << dump(errors);
    EXPECT_FALSE(r.identifier("z", Presence::required));
    EXPECT_FALSE(r.identifier("e", Presence::required));
    EXPECT_FALSE(r.identifier("missing", Presence::optional));
}

// package_run_periods: one_time needs an engagement end (its single period is the whole
// engagement); with one it is a single run at the start.
TEST(MutationSample, OneTimeRunsNeedAnEnd) {
    using namespace cp::schedule;
    const EngagementDates open{cp::time::Date{2026, 3, 1}, std::nullopt};
    auto refused = package_run_periods(BillingSchedule::one_time, open, {2026, 1, 1}, {2026, 12, 31});
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().code, "VALIDATION_REQUIRED");
    const EngagementDates closed{cp::time::Date{2026, 3, 1}, cp::time::Date{2026, 5, 31}};
    auto runs = package_run_periods(BillingSchedule::one_time, closed, {2026, 1, 1}, {2026, 12, 31});
    ASSERT_TRUE(runs) << runs.error().code;
    ASSERT_EQ(runs->size(), 1u);
    EXPECT_EQ((*runs)[0].start, (cp::time::Date{2026, 3, 1}));
}

// checked_sub: same currency subtracts (within the limit); different currencies never do.
TEST(MutationSample, CheckedSubtractionOfOneCurrencyOnly) {
    using namespace cp::money;
    const Currency* usd = find_currency("USD");
    const Currency* eur = find_currency("EUR");
    auto diff = checked_sub(Money{150, usd}, Money{50, usd});
    ASSERT_TRUE(diff.has_value());
    EXPECT_EQ(diff->minor, 100);
    EXPECT_EQ(diff->currency, usd);
    EXPECT_EQ(checked_sub(Money{0, usd}, Money{kMaxMinorUnits, usd})->minor, -kMaxMinorUnits);
    EXPECT_FALSE(checked_sub(Money{150, usd}, Money{50, eur}).has_value());
}

// --- the CRM state machines, generated from their specification -------------------------------

// Every ordered pair of states: the allowed edges (DOMAIN Tier 5) succeed, every other one is
// INVALID_TRANSITION on `field` naming both states, and next_states lists exactly the targets.
template <class S, class Parse>
void check_crm_machine(const std::vector<std::string>& names, const std::set<std::pair<std::string, std::string>>& allowed,
                       Parse parse, const std::string& field) {
    for (const auto& n : names) {
        auto p = parse(n);
        ASSERT_TRUE(p) << n;
        EXPECT_EQ(cp::state::to_string(*p), n);
    }
    EXPECT_FALSE(parse("nope"));
    size_t seen_allowed = 0;
    for (const auto& from : names) {
        std::set<std::string> expected_next;
        for (const auto& to : names) {
            SCOPED_TRACE(from + " -> " + to);
            const bool ok = allowed.count({from, to}) > 0;
            auto r = cp::state::transition(*parse(from), *parse(to));
            EXPECT_EQ(static_cast<bool>(r), ok);
            if (ok) {
                ++seen_allowed;
                expected_next.insert(to);
                if (r) EXPECT_EQ(cp::state::to_string(*r), to);
            } else if (!r) {
                EXPECT_EQ(r.error().code, "INVALID_TRANSITION");
                EXPECT_EQ(r.error().field, field);
                EXPECT_NE(r.error().message.find("'" + from + "'"), std::string::npos) << r.error().message;
                EXPECT_NE(r.error().message.find("'" + to + "'"), std::string::npos) << r.error().message;
            }
        }
        std::set<std::string> next;
        size_t count = 0;
        for (auto s : cp::state::next_states(*parse(from))) {
            next.insert(std::string(cp::state::to_string(s)));
            ++count;
        }
        EXPECT_EQ(next, expected_next) << from;
        EXPECT_EQ(count, expected_next.size()) << from;
    }
    EXPECT_EQ(seen_allowed, allowed.size());
}

TEST(MutationSample, LeadTransitions) {
    check_crm_machine<cp::state::LeadStatus>(
        {"new", "contacted", "qualified", "disqualified"},
        {{"new", "contacted"}, {"contacted", "qualified"}, {"new", "disqualified"}, {"contacted", "disqualified"},
         {"qualified", "disqualified"}},
        [](const std::string& s) { return cp::state::parse_lead_status(s); }, "status");
}

TEST(MutationSample, ProspectStageTransitions) {
    check_crm_machine<cp::state::ProspectStage>(
        {"discovery", "proposal", "negotiation", "won", "lost"},
        {{"discovery", "proposal"}, {"proposal", "negotiation"}, {"discovery", "won"}, {"proposal", "won"},
         {"negotiation", "won"}, {"discovery", "lost"}, {"proposal", "lost"}, {"negotiation", "lost"}},
        [](const std::string& s) { return cp::state::parse_prospect_stage(s); }, "stage");
}

TEST(MutationSample, ProposalTransitions) {
    check_crm_machine<cp::state::ProposalStatus>(
        {"draft", "sent", "accepted", "declined", "expired"},
        {{"draft", "sent"}, {"sent", "accepted"}, {"sent", "declined"}, {"sent", "expired"}},
        [](const std::string& s) { return cp::state::parse_proposal_status(s); }, "status");
}

}  // namespace
