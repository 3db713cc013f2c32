// A proposal's totals (shared/crm/proposal_totals): the invoice arithmetic over its lines
// in its currency and tax mode, whatever engagement terms ride along; what the server
// stores and the portal's proposal editor shows.
#include <gtest/gtest.h>

#include "shared/billing/invoice_preview.hpp"
#include "shared/crm/proposal_totals.hpp"

using nlohmann::json;

namespace {
json package_proposal() {
    return {{"prospect_id", "pros_1"}, {"title", "Finance package"}, {"currency", "USD"},
            {"expires_on", "2026-12-31"}, {"pricing_mode", "package"}, {"package_fee", "2000.00"},
            {"schedule", "monthly"}, {"start_date", "2026-12-01"},
            {"lines", {{{"kind", "package_fee"}, {"quantity", "12"}, {"unit_price", "2000.00"}, {"tax_rate", "8.875"}}}}};
}
}  // namespace

TEST(ProposalTotals, PricesTheLinesLikeAnInvoice) {
    const json preview = cp::crm::proposal_preview(package_proposal());
    ASSERT_TRUE(preview.value("ok", false)) << preview.dump();
    EXPECT_EQ(preview["subtotal"], "24000.00");
    EXPECT_EQ(preview["tax"], "2130.00");
    EXPECT_EQ(preview["total"], "26130.00");
    const json invoice = cp::billing::preview_invoice(
        {{"currency", "USD"}, {"lines", package_proposal()["lines"]}});
    EXPECT_EQ(preview["total"], invoice["total"]);
}

TEST(ProposalTotals, KeepsTheTaxModeAndDropsTheTerms) {
    json p = package_proposal();
    p["tax_mode"] = "per_document";
    p["lines"].push_back({{"kind", "adjustment"}, {"quantity", "1"}, {"unit_price", "0.05"}, {"tax_rate", "10"}});
    p["lines"].push_back({{"kind", "adjustment"}, {"quantity", "1"}, {"unit_price", "0.05"}, {"tax_rate", "10"}});
    const json draft = cp::crm::proposal_draft(p);
    EXPECT_EQ(draft, json({{"currency", "USD"}, {"lines", p["lines"]}, {"tax_mode", "per_document"}}));
    // Per document, the two 0.005 taxes are summed before rounding: 0.01, not 0.02.
    const json preview = cp::crm::proposal_preview(p);
    ASSERT_TRUE(preview.value("ok", false)) << preview.dump();
    EXPECT_EQ(preview["tax"], "2130.01");
    p["tax_mode"] = "per_line";
    EXPECT_EQ(cp::crm::proposal_preview(p)["tax"], "2130.02");
}

TEST(ProposalTotals, NamesTheLineFieldAtFault) {
    json p = package_proposal();
    p["lines"][0]["quantity"] = "1,5";
    const json preview = cp::crm::proposal_preview(p);
    ASSERT_FALSE(preview.value("ok", true));
    EXPECT_EQ(preview["errors"][0]["field"], "lines[0].quantity");
    EXPECT_FALSE(cp::crm::proposal_preview(json::array()).value("ok", true)) << "not an object: refused, no crash";
}
