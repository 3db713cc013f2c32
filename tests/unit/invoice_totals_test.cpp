// Invoice arithmetic: rounding of half cents, tax modes, currencies, signs, overflow,
// plus property tests over a seeded deterministic generator.
#include "shared/billing/invoice_totals.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>

#include "shared/money/currency.hpp"
#include "shared/money/decimal.hpp"

using namespace cp::billing;
using cp::money::Rounding;

namespace {

LineItem line(const char* q, const char* p, const char* rate) {
    LineItem l;
    l.quantity = *cp::money::parse_fixed(q, kQuantityScale);
    l.unit_price = *cp::money::parse_fixed(p, kUnitPriceScale);
    l.tax_rate = *cp::money::parse_fixed(rate, kTaxRateScale);
    return l;
}

InvoiceInput input(const char* currency, std::vector<LineItem> lines, Rounding r = Rounding::half_up,
                   TaxMode mode = TaxMode::per_line) {
    InvoiceInput in;
    in.currency = cp::money::find_currency(currency);
    in.rounding = r;
    in.tax_mode = mode;
    in.lines = std::move(lines);
    return in;
}

std::string fmt(const InvoiceInput& in, int64_t v) {
    return cp::money::format_fixed(v, in.currency->minor_digits);
}

}  // namespace

TEST(InvoiceTotals, IssueExample) {
    auto in = input("USD", {line("1.5", "120.00", "8.875")});
    auto t = compute_invoice_totals(in);
    ASSERT_TRUE(t.ok());
    EXPECT_EQ(fmt(in, t->subtotal), "180.00");
    EXPECT_EQ(fmt(in, t->tax), "15.98");  // 15.975 rounds half up
    EXPECT_EQ(fmt(in, t->total), "195.98");
}

TEST(InvoiceTotals, HalfCentsUnderBothPolicies) {
    // 0.333 x 1.50 = 0.4995 -> 0.50 either way; 0.5 x 0.05 = 0.025 -> 0.03 / 0.02.
    auto up = input("USD", {line("0.5", "0.05", "0")});
    EXPECT_EQ(compute_invoice_totals(up)->subtotal, 3);
    auto even = input("USD", {line("0.5", "0.05", "0")}, Rounding::half_even);
    EXPECT_EQ(compute_invoice_totals(even)->subtotal, 2);
    auto even_odd = input("USD", {line("0.5", "0.07", "0")}, Rounding::half_even);  // 0.035 -> 0.04
    EXPECT_EQ(compute_invoice_totals(even_odd)->subtotal, 4);
    // Negative half cents go away from zero under half_up, to even under half_even.
    auto neg_up = input("USD", {line("1", "10", "0"), line("-0.5", "0.05", "0")});
    EXPECT_EQ(compute_invoice_totals(neg_up)->line_amounts[1], -3);
    auto neg_even = input("USD", {line("1", "10", "0"), line("-0.5", "0.05", "0")}, Rounding::half_even);
    EXPECT_EQ(compute_invoice_totals(neg_even)->line_amounts[1], -2);
}

TEST(InvoiceTotals, QuebecAndNewYorkRates) {
    // 9.975 % of 100.10 = 9.984975 -> 9.98; 8.875 % of 100.10 = 8.883875 -> 8.88.
    auto qc = input("CAD", {line("1", "100.10", "9.975")});
    EXPECT_EQ(compute_invoice_totals(qc)->tax, 998);
    auto ny = input("USD", {line("1", "100.10", "8.875")});
    EXPECT_EQ(compute_invoice_totals(ny)->tax, 888);
    // 8.875 % of 20.00 = 1.775: a tie, 1.78 half up, 1.78 half even (8 is even).
    EXPECT_EQ(compute_invoice_totals(input("USD", {line("1", "20", "8.875")}))->tax, 178);
    EXPECT_EQ(compute_invoice_totals(input("USD", {line("1", "20", "8.875")}, Rounding::half_even))->tax,
              178);
    // 9.975 % of 10.00 = 0.9975 -> 1.00 either way.
    EXPECT_EQ(compute_invoice_totals(input("CAD", {line("1", "10", "9.975")}))->tax, 100);
}

TEST(InvoiceTotals, PerLineVersusPerDocument) {
    std::vector<LineItem> lines{line("1", "0.05", "10"), line("1", "0.05", "10"), line("1", "0.05", "10"),
                                line("1", "0.10", "20")};
    auto per_line = compute_invoice_totals(input("USD", lines, Rounding::half_up, TaxMode::per_line));
    auto per_doc = compute_invoice_totals(input("USD", lines, Rounding::half_up, TaxMode::per_document));
    EXPECT_EQ(per_line->tax, 3 + 2);  // 3 x round(0.005) + round(0.02)
    EXPECT_EQ(per_doc->tax, 2 + 2);   // round(0.015) + round(0.02)
    ASSERT_EQ(per_doc->tax_groups.size(), 2u);
    EXPECT_EQ(per_doc->tax_groups[0].rate, 100000);
    EXPECT_EQ(per_doc->tax_groups[0].taxable, 15);
    EXPECT_TRUE(per_doc->line_taxes.empty());
    EXPECT_EQ(per_line->line_taxes.size(), 4u);
}

TEST(InvoiceTotals, ZeroAndThreeDecimalCurrencies) {
    auto jpy = input("JPY", {line("1.5", "1001", "10")});  // 1501.5 -> 1502, tax 150.2 -> 150
    auto t = compute_invoice_totals(jpy);
    EXPECT_EQ(fmt(jpy, t->subtotal), "1502");
    EXPECT_EQ(fmt(jpy, t->tax), "150");
    EXPECT_EQ(fmt(jpy, t->total), "1652");
    auto krw = input("KRW", {line("0.5", "5", "0")}, Rounding::half_even);  // 2.5 -> 2
    EXPECT_EQ(compute_invoice_totals(krw)->total, 2);
    auto kwd = input("KWD", {line("3", "0.3335", "5")});  // 1.0005 -> 1.001, tax 0.05005 -> 0.050
    auto k = compute_invoice_totals(kwd);
    EXPECT_EQ(fmt(kwd, k->subtotal), "1.001");
    EXPECT_EQ(fmt(kwd, k->tax), "0.050");
    EXPECT_EQ(fmt(kwd, k->total), "1.051");
    auto bhd = input("BHD", {line("1", "0.0005", "0")}, Rounding::half_even);
    EXPECT_EQ(compute_invoice_totals(bhd)->total, 0);
}

TEST(InvoiceTotals, NegativeLinesAndCreditNotes) {
    auto in = input("USD", {line("10", "100", "10"), line("-1", "250", "10")});
    auto t = compute_invoice_totals(in);
    EXPECT_EQ(t->subtotal, 75000);
    EXPECT_EQ(t->tax, 7500);
    auto negative = input("USD", {line("-1", "0.01", "0")});
    EXPECT_EQ(compute_invoice_totals(negative).error().code, "NEGATIVE_TOTAL");
    negative.document_type = DocumentType::credit_note;
    EXPECT_EQ(compute_invoice_totals(negative)->total, -1);
    EXPECT_EQ(compute_invoice_totals(input("USD", {}))->total, 0);
}

TEST(InvoiceTotals, AmountPaidAndBalance) {
    auto in = input("USD", {line("1", "100", "0")});
    in.amount_paid = 2500;
    auto t = compute_invoice_totals(in);
    EXPECT_EQ(t->amount_paid, 2500);
    EXPECT_EQ(t->balance_due, 7500);
}

TEST(InvoiceTotals, OverflowIsDetectedNeverWrapped) {
    // The largest inputs: 10^14 x 10^14 does not fit int64 even before rounding.
    auto huge = input("USD", {line("99999999999999.9999", "99999999999999.9999", "100")});
    auto r = compute_invoice_totals(huge);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code, "AMOUNT_OVERFLOW");
    EXPECT_EQ(r.error().field, "lines[0].amount");
    auto negative = input("USD", {line("-99999999999999", "99999999999999", "0")});
    EXPECT_EQ(compute_invoice_totals(negative).error().code, "AMOUNT_OVERFLOW");
    // Just inside the amount limit per line, but the sum is not.
    auto sum = input("USD", {line("1", "9999999999999.99", "0"), line("1", "9999999999999.99", "0")});
    EXPECT_TRUE(compute_invoice_totals(input("USD", {line("1", "9999999999999.99", "0")})).ok());
    EXPECT_EQ(compute_invoice_totals(sum).error().field, "subtotal");
    // Subtotal fits, tax pushes the total over.
    auto total = input("USD", {line("1", "9999999999999.99", "10")});
    EXPECT_EQ(compute_invoice_totals(total).error().field, "total");
    // JPY: 10^14 x 10^4 = 10^18 yen is far past the limit.
    EXPECT_EQ(compute_invoice_totals(input("JPY", {line("10000", "99999999999999", "0")})).error().code,
              "AMOUNT_OVERFLOW");
}

// Per document, each rate's group may exceed the limit while the invoice does not (lines at
// another rate cancel it): the groups' taxes must stay exact, not cancel out as clamped values.
TEST(InvoiceTotals, LargeTaxGroupsThatCancelStayExact) {
    auto in = input("USD",
                    {line("1", "7500000000000.00", "100"), line("1", "7500000000000.00", "100"),
                     line("-1", "7500000000000.00", "99.9999"), line("-1", "7500000000000.00", "99.9999")},
                    Rounding::half_up, TaxMode::per_document);
    auto doc = compute_invoice_totals(in);
    ASSERT_TRUE(doc.ok()) << doc.error().code << " " << doc.error().field;
    EXPECT_EQ(fmt(in, doc->subtotal), "0.00");
    EXPECT_EQ(fmt(in, doc->tax), "15000000.00");  // 15e12 x (100 % - 99.9999 %)
    in.tax_mode = TaxMode::per_line;
    auto line_mode = compute_invoice_totals(in);
    ASSERT_TRUE(line_mode.ok());
    EXPECT_EQ(line_mode->tax, doc->tax);
    EXPECT_EQ(line_mode->total, doc->total);
}

// --- properties ---------------------------------------------------------------------

namespace {

// Deterministic: std::mt19937_64 is specified bit-for-bit by the standard.
std::vector<LineItem> random_lines(std::mt19937_64& rng, size_t n) {
    static const int64_t rates[] = {0, 50000, 88750, 99750, 200000, 75000, 1000000};
    std::vector<LineItem> lines;
    for (size_t i = 0; i < n; ++i) {
        LineItem l;
        l.quantity = static_cast<int64_t>(rng() % 2'000'000) - 200'000;  // -20 .. 180 with 4 decimals
        l.unit_price = static_cast<int64_t>(rng() % 50'000'000);         // 0 .. 5000 with 4 decimals
        l.tax_rate = rates[rng() % std::size(rates)];
        lines.push_back(l);
    }
    return lines;
}

}  // namespace

TEST(InvoiceTotalsProperty, PerLineAndPerDocumentTaxDifferByAtMostLineCount) {
    std::mt19937_64 rng(20240229);
    for (int iter = 0; iter < 3000; ++iter) {
        auto lines = random_lines(rng, 1 + rng() % 40);
        for (const char* cur : {"USD", "JPY", "KWD"}) {
            for (Rounding r : {Rounding::half_up, Rounding::half_even}) {
                auto a = input(cur, lines, r, TaxMode::per_line);
                auto b = input(cur, lines, r, TaxMode::per_document);
                a.document_type = b.document_type = DocumentType::credit_note;
                auto ta = compute_invoice_totals(a);
                auto tb = compute_invoice_totals(b);
                ASSERT_TRUE(ta.ok() && tb.ok());
                EXPECT_EQ(ta->subtotal, tb->subtotal);
                EXPECT_LE(std::llabs(ta->tax - tb->tax), static_cast<long long>(lines.size()));
            }
        }
    }
}

TEST(InvoiceTotalsProperty, TotalsAreInvariantUnderLineOrder) {
    std::mt19937_64 rng(8875);
    for (int iter = 0; iter < 3000; ++iter) {
        auto lines = random_lines(rng, 1 + rng() % 30);
        for (TaxMode mode : {TaxMode::per_line, TaxMode::per_document}) {
            auto a = input("EUR", lines, Rounding::half_even, mode);
            a.document_type = DocumentType::credit_note;
            auto b = a;
            std::shuffle(b.lines.begin(), b.lines.end(), rng);
            auto ta = compute_invoice_totals(a);
            auto tb = compute_invoice_totals(b);
            ASSERT_TRUE(ta.ok() && tb.ok());
            EXPECT_EQ(ta->subtotal, tb->subtotal);
            EXPECT_EQ(ta->tax, tb->tax);
            EXPECT_EQ(ta->total, tb->total);
            ASSERT_EQ(ta->tax_groups.size(), tb->tax_groups.size());
            for (size_t i = 0; i < ta->tax_groups.size(); ++i) {
                EXPECT_EQ(ta->tax_groups[i].tax, tb->tax_groups[i].tax);
            }
        }
    }
}

TEST(InvoiceTotalsProperty, TotalIsSubtotalPlusTaxAndLinesSumToSubtotal) {
    std::mt19937_64 rng(9975);
    for (int iter = 0; iter < 2000; ++iter) {
        auto in = input("GBP", random_lines(rng, rng() % 20), Rounding::half_up, TaxMode::per_line);
        in.document_type = DocumentType::credit_note;
        auto t = compute_invoice_totals(in);
        ASSERT_TRUE(t.ok());
        int64_t sum = 0, tax = 0;
        for (int64_t a : t->line_amounts) sum += a;
        for (int64_t x : t->line_taxes) tax += x;
        EXPECT_EQ(sum, t->subtotal);
        EXPECT_EQ(tax, t->tax);
        EXPECT_EQ(t->subtotal + t->tax, t->total);
    }
}
