// Invoice numbers, credit-note limits and the reported (overdue) status.
#include "shared/billing/invoice_rules.hpp"

#include <gtest/gtest.h>

#include "zoneinfo_fixture.hpp"

using namespace cp::billing;

TEST(InvoiceRules, DocumentNumbers) {
    EXPECT_EQ(format_document_number("INV-", 2026, 42), "INV-2026-00042");
    EXPECT_EQ(format_document_number("", 2026, 1), "2026-00001");
    EXPECT_EQ(format_document_number("CN-", 2027, 1234567), "CN-2027-1234567");  // never truncated
}

TEST(InvoiceRules, CreditNotesStayWithinWhatRemainsCreditable) {
    EXPECT_EQ(*apply_credit_note(10000, 0, 6000), 6000);
    EXPECT_EQ(*apply_credit_note(10000, 6000, 4000), 10000);
    EXPECT_EQ(apply_credit_note(10000, 6000, 4001).error().code, "CREDIT_EXCEEDS_INVOICE");
    EXPECT_EQ(apply_credit_note(10000, 0, 0).error().code, "OUT_OF_RANGE");
    EXPECT_EQ(apply_credit_note(10000, 0, -1).error().field, "total");
    EXPECT_EQ(balance_due(10000, 2500, 6000), 1500);
    EXPECT_EQ(balance_due(10000, 10000, 6000), -6000);  // overpaid: client credit
}

TEST(InvoiceRules, ReportedStatusIsOverdueOnTheClientsCalendar) {
    const auto ny = load_zone("America/New_York");
    const auto due = cp::time::parse_iso_date("2026-11-01").value();
    const cp::time::Instant before = 1793593800;  // 2026-11-01 23:30 EST
    const cp::time::Instant after = 1793595600;   // 2026-11-02 00:00 EST
    EXPECT_EQ(reported_status("sent", false, due, 100, before, ny), "sent");
    EXPECT_EQ(reported_status("sent", false, due, 100, after, ny), "overdue");
    EXPECT_EQ(reported_status("partial", false, due, 100, after, ny), "overdue");
    EXPECT_EQ(reported_status("sent", false, due, 0, after, ny), "sent");   // nothing left to pay
    EXPECT_EQ(reported_status("sent", true, due, 100, after, ny), "sent");  // credit notes
    EXPECT_EQ(reported_status("paid", false, due, 0, after, ny), "paid");
    EXPECT_EQ(reported_status("draft", false, std::nullopt, 100, after, ny), "draft");
    EXPECT_EQ(reported_status("void", false, due, 0, after, ny), "void");
}
