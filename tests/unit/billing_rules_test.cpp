// Billable amounts (time, expenses, proration), the credit ledger, renewals, break-glass
// requests and the DTO layer.
#include <gtest/gtest.h>

#include "shared/billing/billable_amounts.hpp"
#include "shared/billing/credit_ledger.hpp"
#include "shared/billing/dispute_rules.hpp"
#include "shared/billing/invoice_preview.hpp"
#include "shared/dto/error_json.hpp"
#include "shared/dto/invoice_draft_dto.hpp"
#include "shared/money/money.hpp"
#include "shared/schedule/renewal.hpp"
#include "shared/validation/break_glass_validation.hpp"
#include "shared/validation/firm_validation.hpp"

using namespace cp;
using money::Rounding;
using time::Date;

TEST(BillableAmounts, TimeIsHoursTimesRateRoundedOnce) {
    const auto* usd = money::find_currency("USD");
    const auto* jpy = money::find_currency("JPY");
    EXPECT_EQ(*billing::time_entry_amount(125, 1500000, *usd, Rounding::half_up), 18750);  // 1.25 h x 150
    EXPECT_EQ(*billing::time_entry_amount(33, 333333, *usd, Rounding::half_up),
              1100);  // 0.33 x 33.3333 = 10.999989
    EXPECT_EQ(*billing::time_entry_amount(50, 250, *usd, Rounding::half_up), 1);  // 0.5 x 0.025 = 0.0125
    EXPECT_EQ(*billing::time_entry_amount(150, 10010000, *jpy, Rounding::half_even),
              1502);  // 1.5 x 1001 = 1501.5
}

TEST(BillableAmounts, ExpenseMarkup) {
    EXPECT_EQ(*billing::expense_billed_amount(10000, 150000, Rounding::half_up), 11500);  // 100.00 + 15 %
    EXPECT_EQ(*billing::expense_billed_amount(333, 100000, Rounding::half_up), 366);      // 3.663 -> 3.66
    EXPECT_EQ(*billing::expense_billed_amount(5, 100000, Rounding::half_even), 6);        // 0.055 -> 0.06
    EXPECT_EQ(billing::expense_billed_amount(money::kMaxMinorUnits, 1000000, Rounding::half_up).error().code,
              "AMOUNT_OVERFLOW");
}

TEST(BillableAmounts, ProrationByDays) {
    schedule::Period full{Date{2024, 2, 1}, Date{2024, 2, 29}};
    schedule::Period clipped{Date{2024, 2, 15}, Date{2024, 2, 29}};
    EXPECT_EQ(*billing::prorated_fee(290000, clipped, full, Rounding::half_up), 150000);  // 15/29 of 2900.00
    EXPECT_EQ(*billing::prorated_fee(100, full, full, Rounding::half_up), 100);
    EXPECT_EQ(billing::prorated_fee(100, full, clipped, Rounding::half_up).error().code, "OUT_OF_RANGE");
}

TEST(CreditLedger, NeverNegative) {
    using billing::LedgerKind;
    EXPECT_EQ(*billing::ledger_balance({{LedgerKind::overpayment, 500},
                                        {LedgerKind::applied_to_invoice, 200},
                                        {LedgerKind::goodwill, 50}}),
              350);
    auto r = billing::ledger_balance({{LedgerKind::refund, 100}, {LedgerKind::applied_to_invoice, 101}});
    EXPECT_EQ(r.error().code, "INSUFFICIENT_CREDIT");
    EXPECT_EQ(r.error().field, "entries[1].amount");
    EXPECT_EQ(billing::append_entry(0, {LedgerKind::refund, 0}).error().code, "OUT_OF_RANGE");
    EXPECT_TRUE(billing::needs_approval(LedgerKind::correction));
    EXPECT_FALSE(billing::needs_approval(LedgerKind::overpayment));
    EXPECT_EQ(billing::amount_paid_after_lost_dispute(10000, 2500), 7500);
    EXPECT_EQ(billing::amount_paid_after_lost_dispute(10000, 20000), 0);
}

TEST(Renewal, StartsTheDayAfterAndRuns365Days) {
    auto p = schedule::renewal_period(Date{2024, 2, 28});
    EXPECT_EQ(p->start, (Date{2024, 2, 29}));
    EXPECT_EQ(p->end, (Date{2025, 2, 28}));
    auto dec = schedule::renewal_period(Date{2024, 12, 31});
    EXPECT_EQ(dec->start, (Date{2025, 1, 1}));
    EXPECT_EQ(dec->end, (Date{2026, 1, 1}));
    EXPECT_EQ(schedule::renewal_period(Date{2024, 12, 31}, Date{2024, 12, 31}).error().code,
              "END_BEFORE_START");
    EXPECT_EQ(schedule::renewal_period(Date{9999, 12, 31}).error().code, "OUT_OF_RANGE");
}

TEST(BreakGlassValidation, ReasonAndDuration) {
    using validation::validate_break_glass_open;
    EXPECT_TRUE(validate_break_glass_open({{"firm_id", 1}, {"reason", "INC-42 data fix"}}).empty());
    auto errors = validate_break_glass_open({{"firm_id", 1}, {"reason", "   "}, {"duration_minutes", 241}});
    ASSERT_EQ(errors.size(), 2u);
    EXPECT_EQ(errors[0].code, "VALIDATION_REQUIRED");
    EXPECT_EQ(errors[1].field, "duration_minutes");
    EXPECT_EQ(validation::validate_break_glass_revoke(nlohmann::json::object())[0].field, "reason");
    EXPECT_EQ(validation::validate_firm({{"name", " \t"}}, validation::Mode::update)[0].code,
              "VALIDATION_REQUIRED");
}

TEST(Dto, ErrorsRoundTrip) {
    Errors errors{{"INVALID_DECIMAL", "lines[0].quantity", "bad"}, {"NEGATIVE_TOTAL", "total", "x"}};
    EXPECT_EQ(dto::errors_from_json(dto::to_json(errors)), errors);
    EXPECT_FALSE(dto::error_from_json(nlohmann::json{{"code", 1}}).has_value());
    EXPECT_EQ(dto::error_from_json(nlohmann::json{{"code", "X"}})->field, "");
    EXPECT_TRUE(dto::errors_from_json(nlohmann::json("x")).empty());
}

TEST(Dto, InvoiceDraftRoundTripsThroughValidationAndPreview) {
    dto::InvoiceDraftDto d;
    d.client_id = "c_1";
    d.due_date = "2024-03-01";
    d.lines.push_back({"time", "Workshop", "1.5", "120.00", "8.875"});
    const nlohmann::json j = dto::to_json(d);
    auto back = dto::invoice_draft_from_json(j);
    ASSERT_TRUE(back.ok()) << back.error().code << " " << back.error().field;
    EXPECT_EQ(back->lines[0].unit_price, "120.00");
    EXPECT_EQ(back->due_date, "2024-03-01");
    EXPECT_FALSE(back->issue_date.has_value());
    EXPECT_EQ(billing::preview_invoice(j)["total"], "195.98");
    nlohmann::json numeric = j;
    numeric["client_id"] = 12345678901234;
    EXPECT_EQ(dto::invoice_draft_from_json(numeric)->client_id, "12345678901234");
    Errors all;
    numeric["lines"][0]["quantity"] = "x";
    numeric["currency"] = "ZZZ";
    EXPECT_FALSE(dto::invoice_draft_from_json(numeric, &all).ok());
    EXPECT_EQ(all.size(), 2u);
}

TEST(DisputeRules, InvoiceStatusFollowsTheFinalFacts) {
    billing::SettlementFacts f{10000, 10000, 0, false, false, false};
    EXPECT_EQ(billing::settled_status("disputed", f), "paid");
    f.any_open_dispute = true;
    EXPECT_EQ(billing::settled_status("paid", f), "disputed");
    f.any_lost_dispute = true;
    EXPECT_EQ(billing::settled_status("disputed", f), "charged_back");
    f = {10000, 2500, 0, false, false, false};
    EXPECT_EQ(billing::settled_status("paid", f), "partial");
    f = {10000, 0, 0, true, false, false};
    EXPECT_EQ(billing::settled_status("partial", f), "refunded");
    f = {10000, 0, 0, false, false, false};
    EXPECT_EQ(billing::settled_status("failed", f), "failed");
    EXPECT_EQ(billing::settled_status("overdue", f), "overdue");
    EXPECT_EQ(billing::settled_status("disputed", f), "sent");
    f = {10000, 7000, 3000, false, false, false};  // paid and credited together
    EXPECT_EQ(billing::settled_status("partial", f), "paid");
    EXPECT_EQ(billing::lost_dispute_deduction(10000, 2500), 2500);
    EXPECT_EQ(billing::lost_dispute_deduction(2000, 2500), 2000);
    EXPECT_EQ(billing::lost_dispute_deduction(2000, 0), 0);
}
