#include "shared/billing/invoice_preview.hpp"

#include "shared/billing/draft_reader.hpp"
#include "shared/money/decimal.hpp"

namespace cp::billing {

namespace {

nlohmann::json errors_json(const Errors& errors) {
    nlohmann::json list = nlohmann::json::array();
    for (const Error& e : errors) {
        list.push_back({{"code", e.code}, {"field", e.field}, {"message", e.message}});
    }
    return {{"ok", false}, {"errors", std::move(list)}};
}

// Tax rate without trailing zeros: "8.875", "20", "9.975".
std::string format_rate(int64_t rate) {
    std::string s = money::format_fixed(rate, kTaxRateScale);
    while (s.back() == '0') s.pop_back();
    if (s.back() == '.') s.pop_back();
    return s;
}

}  // namespace

nlohmann::json preview_invoice(const nlohmann::json& draft) {
    DraftReading reading = read_invoice_draft(draft);
    if (!reading.errors.empty()) return errors_json(reading.errors);

    const InvoiceInput& input = reading.input;
    InvoiceTotals totals;
    Errors errors;
    if (!compute_invoice_totals(input, totals, errors)) return errors_json(errors);

    const int32_t digits = input.currency->minor_digits;
    auto money = [digits](int64_t minor) { return money::format_fixed(minor, digits); };
    const bool per_line = input.tax_mode == TaxMode::per_line;

    nlohmann::json lines = nlohmann::json::array();
    for (size_t i = 0; i < totals.line_amounts.size(); ++i) {
        nlohmann::json line{{"amount", money(totals.line_amounts[i])}};
        if (per_line) line["tax"] = money(totals.line_taxes[i]);
        lines.push_back(std::move(line));
    }
    nlohmann::json breakdown = nlohmann::json::array();
    for (const TaxGroup& g : totals.tax_groups) {
        breakdown.push_back(
            {{"rate", format_rate(g.rate)}, {"taxable", money(g.taxable)}, {"tax", money(g.tax)}});
    }
    return {
        {"ok", true},
        {"currency", std::string(input.currency->code)},
        {"rounding", std::string(money::to_string(input.rounding))},
        {"tax_mode", per_line ? "per_line" : "per_document"},
        {"document_type", input.document_type == DocumentType::credit_note ? "credit_note" : "invoice"},
        {"lines", std::move(lines)},
        {"tax_breakdown", std::move(breakdown)},
        {"subtotal", money(totals.subtotal)},
        {"tax", money(totals.tax)},
        {"total", money(totals.total)},
        {"amount_paid", money(totals.amount_paid)},
        {"balance_due", money(totals.balance_due)},
    };
}

}  // namespace cp::billing
