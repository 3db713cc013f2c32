// preview_invoice: the JSON surface shared by the server endpoint and the portal editor.
#include "shared/billing/invoice_preview.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

using cp::billing::preview_invoice;
using nlohmann::json;

namespace {
json draft(json lines, std::string currency = "USD") {
    return {{"currency", currency}, {"lines", std::move(lines)}};
}
json line(std::string q, std::string p, std::string t) {
    return {{"quantity", q}, {"unit_price", p}, {"tax_rate", t}};
}
std::vector<std::string> codes(const json& out) {
    std::vector<std::string> v;
    for (const auto& e : out["errors"])
        v.push_back(e["code"].get<std::string>() + "@" + e["field"].get<std::string>());
    return v;
}
}  // namespace

TEST(InvoicePreview, IssueExample) {
    json out = preview_invoice(json::parse(R"({"currency":"USD","rounding":"half_up",
        "tax_mode":"per_line","document_type":"invoice","amount_paid":"0.00",
        "lines":[{"kind":"time","description":"Strategy workshop","quantity":"1.5",
                  "unit_price":"120.00","tax_rate":"8.875"}]})"));
    ASSERT_TRUE(out["ok"].get<bool>()) << out.dump();
    EXPECT_EQ(out["lines"][0]["amount"], "180.00");
    EXPECT_EQ(out["lines"][0]["tax"], "15.98");
    EXPECT_EQ(out["subtotal"], "180.00");
    EXPECT_EQ(out["tax"], "15.98");
    EXPECT_EQ(out["total"], "195.98");
    EXPECT_EQ(out["amount_paid"], "0.00");
    EXPECT_EQ(out["balance_due"], "195.98");
    EXPECT_EQ(out["tax_breakdown"][0]["rate"], "8.875");
}

TEST(InvoicePreview, DefaultsAndEmptyLines) {
    json out = preview_invoice(draft(json::array()));
    ASSERT_TRUE(out["ok"].get<bool>()) << out.dump();
    EXPECT_EQ(out["rounding"], "half_up");
    EXPECT_EQ(out["tax_mode"], "per_line");
    EXPECT_EQ(out["document_type"], "invoice");
    EXPECT_EQ(out["total"], "0.00");
    EXPECT_EQ(out["balance_due"], "0.00");
}

TEST(InvoicePreview, AmountPaidAndOverpayment) {
    json d = draft({line("1", "100", "0")});
    d["amount_paid"] = "40.50";
    EXPECT_EQ(preview_invoice(d)["balance_due"], "59.50");
    d["amount_paid"] = "150";
    EXPECT_EQ(preview_invoice(d)["balance_due"], "-50.00");
    d["amount_paid"] = "-1";
    EXPECT_EQ(codes(preview_invoice(d)), std::vector<std::string>{"OUT_OF_RANGE@amount_paid"});
    d["amount_paid"] = "1.001";
    EXPECT_EQ(codes(preview_invoice(d)), std::vector<std::string>{"TOO_MANY_DECIMALS@amount_paid"});
}

TEST(InvoicePreview, ListsEveryFieldError) {
    json d = {{"currency", "XYZ"},
              {"rounding", "up"},
              {"tax_mode", 3},
              {"lines", {line("abc", "1.00001", "101"), {{"quantity", "1"}}, 7}}};
    std::vector<std::string> expected{
        "UNKNOWN_CURRENCY@currency",
        "INVALID_ENUM@rounding",
        "INVALID_TYPE@tax_mode",
        "INVALID_DECIMAL@lines[0].quantity",
        "TOO_MANY_DECIMALS@lines[0].unit_price",
        "OUT_OF_RANGE@lines[0].tax_rate",
        "VALIDATION_REQUIRED@lines[1].unit_price",
        "VALIDATION_REQUIRED@lines[1].tax_rate",
        "INVALID_TYPE@lines[2]",
    };
    json out = preview_invoice(d);
    EXPECT_FALSE(out["ok"].get<bool>());
    EXPECT_EQ(codes(out), expected);
}

TEST(InvoicePreview, NeverCrashesOnOddJson) {
    for (const json& j : {json(), json(1), json("x"), json::array(), json::object(),
                          json{{"currency", nullptr}, {"lines", nullptr}},
                          json{{"currency", "USD"}, {"lines", {{"quantity", 1.5}}}},
                          json{{"currency", "USD"}, {"lines", "x"}},
                          json{{"currency", {1, 2}}, {"lines", {{{"quantity", json::object()}}}}},
                          json{{"currency", "USD"}, {"lines", {line("1e400", "1", "1")}}}}) {
        json out = preview_invoice(j);
        EXPECT_FALSE(out["ok"].get<bool>()) << j.dump();
        EXPECT_FALSE(out["errors"].empty()) << j.dump();
    }
}

TEST(InvoicePreview, NumbersAreRejectedAsTypeErrors) {
    json out = preview_invoice(draft({{{"quantity", 2}, {"unit_price", "1"}, {"tax_rate", "0"}}}));
    EXPECT_EQ(codes(out), std::vector<std::string>{"INVALID_TYPE@lines[0].quantity"});
}

TEST(InvoicePreview, TooManyLines) {
    json lines = json::array();
    for (int i = 0; i < 10000; ++i) lines.push_back(line("1", "1", "0"));
    EXPECT_EQ(codes(preview_invoice(draft(lines))), std::vector<std::string>{"TOO_MANY_LINES@lines"});
    lines.erase(lines.begin() + 1000, lines.end());
    json out = preview_invoice(draft(lines));
    ASSERT_TRUE(out["ok"].get<bool>());
    EXPECT_EQ(out["total"], "1000.00");
}

TEST(InvoicePreview, NegativeTotalOnlyForCreditNotes) {
    json d = draft({line("1", "100", "10"), line("-2", "100", "10")});
    EXPECT_EQ(codes(preview_invoice(d)), std::vector<std::string>{"NEGATIVE_TOTAL@total"});
    d["document_type"] = "credit_note";
    json out = preview_invoice(d);
    ASSERT_TRUE(out["ok"].get<bool>());
    EXPECT_EQ(out["subtotal"], "-100.00");
    EXPECT_EQ(out["tax"], "-10.00");
    EXPECT_EQ(out["total"], "-110.00");
}

TEST(InvoicePreview, OverflowIsReportedPerLine) {
    json d = draft({line("1", "1", "0"), line("99999999999999", "99999999999999", "0")});
    EXPECT_EQ(codes(preview_invoice(d)), std::vector<std::string>{"AMOUNT_OVERFLOW@lines[1].amount"});
}

TEST(InvoicePreview, PerDocumentBreakdown) {
    json d = draft({line("1", "0.05", "10"), line("1", "0.05", "10"), line("1", "0.05", "10")});
    d["tax_mode"] = "per_document";
    json out = preview_invoice(d);
    ASSERT_TRUE(out["ok"].get<bool>());
    EXPECT_FALSE(out["lines"][0].contains("tax"));
    EXPECT_EQ(out["tax"], "0.02");  // round(0.15 x 10 %) = round(0.015) = 0.02
    d["tax_mode"] = "per_line";
    EXPECT_EQ(preview_invoice(d)["tax"], "0.03");  // 3 x round(0.005) = 3 x 0.01
}
