#include "shared/validation/invoice_draft_validation.hpp"

#include "shared/billing/draft_reader.hpp"
#include "shared/validation/field_rules.hpp"

namespace cp::validation {

namespace {

void check_line_extras(const nlohmann::json& lines, Errors& errors) {
    if (!lines.is_array() || lines.size() > billing::kMaxLines) return;
    for (size_t i = 0; i < lines.size(); ++i) {
        if (!lines[i].is_object()) continue;  // reported by the draft reader
        Errors line_errors;
        JsonReader line(lines[i], index_path("lines", i), line_errors);
        line.reject_unknown(
            {"kind", "description", "quantity", "unit_price", "tax_rate", "time_entry_id", "expense_id"});
        line.identifier("time_entry_id", Presence::optional);
        line.identifier("expense_id", Presence::optional);
        errors.insert(errors.end(), line_errors.begin(), line_errors.end());
    }
}

}  // namespace

Errors validate_invoice_draft(const nlohmann::json& body, Mode mode) {
    Errors errors;
    JsonReader r(body, "", errors);
    if (!r.is_object()) return errors;
    r.reject_unknown({"client_id", "engagement_id", "engagement_override_reason", "currency", "rounding",
                      "tax_mode", "document_type", "issue_date", "due_date", "notes", "lines"});
    // On update null clears: an engagement (an override to "none"), notes.
    if (mode == Mode::update) r.reject_nulls({"engagement_id", "engagement_override_reason", "notes"});
    r.identifier("client_id", required_on_create(mode));
    r.identifier("engagement_id", Presence::optional);
    r.string("engagement_override_reason", Presence::optional, 500, true, Text::multi_line);
    const auto issue = r.date("issue_date", Presence::optional);
    const auto due = r.date("due_date", Presence::optional);
    if (issue && due && *due < *issue) {
        r.add("END_BEFORE_START", "due_date", "must be on or after issue_date");
    }
    r.string("notes", Presence::optional, 2000, false, Text::multi_line);

    // The arithmetic fields go through the same reader as the preview, so the editor's
    // live messages and the save endpoint's answer cannot disagree. On update, absent
    // fields get placeholders whose results are not judged.
    nlohmann::json calc = nlohmann::json::object();
    for (const char* key : {"currency", "rounding", "tax_mode", "document_type", "lines"}) {
        if (const nlohmann::json* v = r.find(key)) calc[key] = *v;
    }
    const bool complete = calc.contains("currency") && calc.contains("lines");
    if (mode == Mode::update) {
        if (!calc.contains("currency")) calc["currency"] = "USD";
        if (!calc.contains("lines")) calc["lines"] = nlohmann::json::array();
    }
    billing::DraftReading reading = billing::read_invoice_draft(calc);
    errors.insert(errors.end(), reading.errors.begin(), reading.errors.end());
    if (const nlohmann::json* lines = r.find("lines")) check_line_extras(*lines, errors);
    if (reading.errors.empty() && complete) {
        billing::InvoiceTotals totals;
        billing::compute_invoice_totals(reading.input, totals, errors);
    }
    return errors;
}

}  // namespace cp::validation
