// State machines: explicit tables, names round-trip, rejected transitions name both states.
#include <gtest/gtest.h>

#include "shared/state/break_glass_status.hpp"
#include "shared/state/dispute_status.hpp"
#include "shared/state/engagement_status.hpp"
#include "shared/state/firm_status.hpp"
#include "shared/state/invoice_status.hpp"
#include "shared/state/payment_status.hpp"

using namespace cp::state;

TEST(InvoiceStatus, NamesRoundTrip) {
    for (int i = 0; i <= static_cast<int>(InvoiceStatus::refunded); ++i) {
        auto s = static_cast<InvoiceStatus>(i);
        EXPECT_EQ(invoice_status_from_string(to_string(s)), s);
    }
    EXPECT_EQ(to_string(InvoiceStatus::void_), "void");
    EXPECT_FALSE(invoice_status_from_string("VOID").has_value());
    EXPECT_EQ(parse_invoice_status("nope").error().code, "INVALID_ENUM");
}

TEST(InvoiceStatus, IssuedInvoicesNeverGoBackToDraft) {
    EXPECT_TRUE(transition(InvoiceStatus::draft, InvoiceStatus::sent).ok());
    auto r = transition(InvoiceStatus::sent, InvoiceStatus::draft);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code, "INVALID_TRANSITION");
    EXPECT_EQ(r.error().field, "status");
    EXPECT_EQ(r.error().message, "invoice cannot go from 'sent' to 'draft'");
    for (int i = 0; i <= static_cast<int>(InvoiceStatus::refunded); ++i) {
        EXPECT_FALSE(can_transition(static_cast<InvoiceStatus>(i), InvoiceStatus::draft));
    }
}

TEST(InvoiceStatus, PaymentDisputeAndAutopayPaths) {
    EXPECT_TRUE(can_transition(InvoiceStatus::sent, InvoiceStatus::failed));
    EXPECT_TRUE(can_transition(InvoiceStatus::failed, InvoiceStatus::paid));
    EXPECT_TRUE(can_transition(InvoiceStatus::failed, InvoiceStatus::overdue));
    EXPECT_TRUE(can_transition(InvoiceStatus::paid, InvoiceStatus::disputed));
    EXPECT_TRUE(can_transition(InvoiceStatus::disputed, InvoiceStatus::paid));
    EXPECT_TRUE(can_transition(InvoiceStatus::disputed, InvoiceStatus::charged_back));
    EXPECT_TRUE(can_transition(InvoiceStatus::paid, InvoiceStatus::refunded));
    EXPECT_FALSE(can_transition(InvoiceStatus::draft, InvoiceStatus::void_));
    EXPECT_FALSE(can_transition(InvoiceStatus::paid, InvoiceStatus::void_));
    EXPECT_FALSE(can_transition(InvoiceStatus::sent, InvoiceStatus::sent));
    EXPECT_TRUE(next_states(InvoiceStatus::void_).empty());
    EXPECT_TRUE(next_states(InvoiceStatus::charged_back).empty());
    EXPECT_TRUE(next_states(InvoiceStatus::refunded).empty());
}

TEST(EngagementStatus, Lifecycle) {
    EXPECT_TRUE(transition(EngagementStatus::current, EngagementStatus::completed).ok());
    EXPECT_TRUE(transition(EngagementStatus::completed, EngagementStatus::renewed).ok());
    EXPECT_EQ(transition(EngagementStatus::renewed, EngagementStatus::current).error().message,
              "engagement cannot go from 'renewed' to 'current'");
}

TEST(BreakGlassStatus, TerminalStatesAndReview) {
    EXPECT_TRUE(can_transition(BreakGlassStatus::active, BreakGlassStatus::expired));
    EXPECT_TRUE(can_transition(BreakGlassStatus::active, BreakGlassStatus::revoked));
    EXPECT_FALSE(can_transition(BreakGlassStatus::expired, BreakGlassStatus::active));
    EXPECT_FALSE(can_transition(BreakGlassStatus::revoked, BreakGlassStatus::expired));
    EXPECT_FALSE(can_review(BreakGlassStatus::active));
    EXPECT_TRUE(can_review(BreakGlassStatus::expired));
    EXPECT_EQ(transition(BreakGlassStatus::expired, BreakGlassStatus::active).error().message,
              "break-glass cannot go from 'expired' to 'active'");
}

TEST(DisputeStatus, ProcessorLifecycle) {
    EXPECT_TRUE(can_transition(DisputeStatus::needs_response, DisputeStatus::under_review));
    EXPECT_TRUE(can_transition(DisputeStatus::under_review, DisputeStatus::won));
    EXPECT_TRUE(can_transition(DisputeStatus::warning_needs_response, DisputeStatus::needs_response));
    EXPECT_FALSE(can_transition(DisputeStatus::won, DisputeStatus::lost));
    EXPECT_FALSE(can_transition(DisputeStatus::warning_closed, DisputeStatus::needs_response));
    EXPECT_EQ(dispute_status_from_string("warning_under_review"), DisputeStatus::warning_under_review);
}

TEST(FirmStatus, CanceledIsTerminal) {
    EXPECT_TRUE(can_transition(FirmStatus::trial, FirmStatus::active));
    EXPECT_TRUE(can_transition(FirmStatus::active, FirmStatus::suspended));
    EXPECT_TRUE(can_transition(FirmStatus::suspended, FirmStatus::active));
    EXPECT_TRUE(next_states(FirmStatus::canceled).empty());
    EXPECT_FALSE(can_transition(FirmStatus::active, FirmStatus::trial));
    EXPECT_TRUE(firm_is_usable(FirmStatus::trial));
    EXPECT_FALSE(firm_is_usable(FirmStatus::suspended));
}

TEST(PaymentStatus, RecordedBeforeProcessor) {
    EXPECT_TRUE(can_transition(PaymentStatus::pending, PaymentStatus::succeeded));
    EXPECT_TRUE(can_transition(PaymentStatus::pending, PaymentStatus::failed));
    EXPECT_FALSE(can_transition(PaymentStatus::failed, PaymentStatus::succeeded));
}

// Out-of-order reports: a later state is ahead of an earlier one, never the reverse.
TEST(DisputeStatus, MovesOnlyForwardWhateverOrderReportsArriveIn) {
    using D = DisputeStatus;
    EXPECT_TRUE(moves_forward(D::needs_response, D::under_review));
    EXPECT_TRUE(moves_forward(D::needs_response, D::lost));
    EXPECT_TRUE(moves_forward(D::warning_needs_response, D::won));  // inquiry escalated, then decided
    EXPECT_FALSE(moves_forward(D::lost, D::needs_response));
    EXPECT_FALSE(moves_forward(D::under_review, D::needs_response));
    EXPECT_FALSE(moves_forward(D::won, D::lost));
    EXPECT_FALSE(moves_forward(D::lost, D::won));
    EXPECT_FALSE(moves_forward(D::lost, D::lost));
    EXPECT_FALSE(moves_forward(D::warning_closed, D::needs_response));
    EXPECT_TRUE(is_open(D::warning_needs_response));
    EXPECT_TRUE(is_open(D::under_review));
    EXPECT_FALSE(is_open(D::warning_closed));
    EXPECT_FALSE(is_open(D::won));
    EXPECT_FALSE(is_open(D::lost));
}
