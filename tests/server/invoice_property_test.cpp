// Property: for random drafts, what the server stores (totals and line amounts) equals what
// the core computes from the stored lines, before and after issuing, on both backends.
#include <random>

#include "shared/billing/draft_reader.hpp"
#include "shared/money/decimal.hpp"
#include "tests/server/billing_support.hpp"

namespace cp::test {
namespace {

class InvoiceProperty : public BillingTest {};

std::string decimal(std::mt19937& rng, int max_int, int decimals) {
    std::string s = std::to_string(std::uniform_int_distribution<int>(0, max_int)(rng));
    if (decimals > 0) {
        s += ".";
        for (int i = 0; i < decimals; ++i) s += static_cast<char>('0' + rng() % 10);
    }
    return s;
}

// Recomputes the stored invoice with the core, independently of the server's code path.
void expect_core_totals(const json& inv) {
    json calc{{"currency", inv["currency"]},
              {"rounding", inv["rounding"]},
              {"tax_mode", inv["tax_mode"]},
              {"document_type", inv["document_type"]},
              {"lines", json::array()}};
    for (const auto& l : inv["lines"]) {
        calc["lines"].push_back(
            {{"quantity", l["quantity"]}, {"unit_price", l["unit_price"]}, {"tax_rate", l["tax_rate"]}});
    }
    auto reading = billing::read_invoice_draft(calc);
    ASSERT_TRUE(reading.errors.empty()) << calc.dump();
    auto totals = billing::compute_invoice_totals(reading.input);
    ASSERT_TRUE(totals.ok()) << calc.dump();
    const int digits = reading.input.currency->minor_digits;
    EXPECT_EQ(inv["subtotal"], money::format_fixed(totals->subtotal, digits)) << calc.dump();
    EXPECT_EQ(inv["tax"], money::format_fixed(totals->tax, digits)) << calc.dump();
    EXPECT_EQ(inv["total"], money::format_fixed(totals->total, digits)) << calc.dump();
    for (std::size_t i = 0; i < inv["lines"].size(); ++i) {
        EXPECT_EQ(inv["lines"][i]["amount"], money::format_fixed(totals->line_amounts[i], digits)) << i;
    }
}

TEST_F(InvoiceProperty, StoredTotalsAreTheCoresTotalsOfTheStoredLines) {
    std::mt19937 rng(20260921);
    const std::string free_client = make_client(firm, "No engagement");  // any currency allowed
    const char* currencies[] = {"USD", "EUR", "JPY", "KWD"};
    const char* tax_rates[] = {"0", "5", "8.875", "9.975", "20", "0.0001"};
    int created = 0;
    for (int n = 0; n < 40; ++n) {
        json lines = json::array();
        const int count = 1 + static_cast<int>(rng() % 8);
        for (int i = 0; i < count; ++i) {
            std::string price = decimal(rng, 5000, static_cast<int>(rng() % 5));
            if (i > 0 && rng() % 5 == 0) price = "-" + decimal(rng, 10, 2);  // a discount
            lines.push_back(line(decimal(rng, 40, static_cast<int>(rng() % 5)), price, tax_rates[rng() % 6]));
        }
        json body{{"client_id", free_client},
                  {"currency", currencies[rng() % 4]},
                  {"rounding", rng() % 2 ? "half_up" : "half_even"},
                  {"tax_mode", rng() % 2 ? "per_line" : "per_document"},
                  {"lines", lines}};
        auto r = call("POST", "/api/v1/invoices", billing, body);
        if (r.status == 422) {  // a discount larger than the rest: the core's NEGATIVE_TOTAL
            EXPECT_EQ(r.body["error"]["code"], "NEGATIVE_TOTAL") << r.raw.body;
            continue;
        }
        ASSERT_EQ(r.status, 201) << r.raw.body;
        ++created;
        expect_core_totals(r.body);
        const std::string id = r.body["id"];
        expect_core_totals(call("GET", "/api/v1/invoices/" + id, billing).body);
        if (n % 3 == 0) {
            auto issued = issue(id);
            ASSERT_EQ(issued.status, 200) << issued.raw.body;
            expect_core_totals(issued.body);
        }
    }
    EXPECT_GE(created, 30);
}

}  // namespace
}  // namespace cp::test
