// Billing III: payments, refunds and the autopay attempt plan (shared/billing/payment_rules.hpp).
#include <gtest/gtest.h>

#include "shared/billing/payment_rules.hpp"
#include "shared/state/payment_status.hpp"
#include "shared/time/civil.hpp"
#include "tests/unit/zoneinfo_fixture.hpp"

// Billing III: payments, refunds and the autopay attempt plan (shared/billing/payment_rules.hpp).

TEST(PaymentRules, PartialPaidAndOverpayment) {
    using cp::billing::apply_payment;
    auto partial = apply_payment(100000, 0, 0, 40000);
    ASSERT_TRUE(partial);
    EXPECT_EQ(partial->status, "partial");
    EXPECT_EQ(partial->balance_due, 60000);
    auto over = apply_payment(100000, 40000, 0, 70000);
    ASSERT_TRUE(over);
    EXPECT_EQ(over->status, "paid");
    EXPECT_EQ(over->applied, 60000);
    EXPECT_EQ(over->to_credit, 10000);
    EXPECT_EQ(apply_payment(100000, 100000, 0, 1).error().code, "NOT_PAYABLE");
    EXPECT_EQ(apply_payment(100000, 0, 0, 0).error().code, "OUT_OF_RANGE");
    // A credit note counts: 100 total, 30 credited, 70 paid = nothing due.
    EXPECT_EQ(apply_payment(10000, 7000, 3000, 1).error().code, "NOT_PAYABLE");
}

TEST(PaymentRules, RefundsReduceAmountPaid) {
    using cp::billing::apply_refund;
    auto part = apply_refund(20000, 20000, 0, 20000, 0, 5000);
    ASSERT_TRUE(part);
    EXPECT_EQ(part->status, "partial");
    EXPECT_EQ(part->amount_paid, 15000);
    EXPECT_FALSE(part->payment_fully_refunded);
    auto rest = apply_refund(20000, 15000, 0, 20000, 5000, 15000);
    ASSERT_TRUE(rest);
    EXPECT_EQ(rest->status, "refunded");
    EXPECT_TRUE(rest->payment_fully_refunded);
    EXPECT_EQ(apply_refund(20000, 15000, 0, 20000, 5000, 15001).error().code, "REFUND_EXCEEDS_PAYMENT");
}

TEST(PaymentRules, AutopayAttemptsFollowTheRetrySchedule) {
    const auto ny = load_zone("America/New_York");
    const auto first = *cp::time::parse_iso_instant("2027-03-10T14:00:00Z");  // 09:00 EST
    EXPECT_EQ(**cp::billing::next_autopay_attempt(1, first, ny), *cp::time::parse_iso_instant("2027-03-13T14:00:00Z"));
    EXPECT_EQ(**cp::billing::next_autopay_attempt(2, first, ny), *cp::time::parse_iso_instant("2027-03-17T13:00:00Z"));
    EXPECT_EQ(**cp::billing::next_autopay_attempt(3, first, ny), *cp::time::parse_iso_instant("2027-03-24T13:00:00Z"));
    EXPECT_FALSE(cp::billing::next_autopay_attempt(4, first, ny)->has_value());
    EXPECT_FALSE(cp::billing::next_autopay_attempt(5, first, ny));
}

TEST(PaymentStatus, RequiresActionIsLeftForTheClient) {
    using cp::state::PaymentStatus;
    EXPECT_TRUE(cp::state::can_transition(PaymentStatus::pending, PaymentStatus::requires_action));
    EXPECT_TRUE(cp::state::can_transition(PaymentStatus::requires_action, PaymentStatus::succeeded));
    EXPECT_FALSE(cp::state::can_transition(PaymentStatus::requires_action, PaymentStatus::refunded));
}
