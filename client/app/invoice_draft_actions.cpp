// Saving the editor's draft to the server and issuing it. The server computes and stores
// totals with the same core the editor previews with; its errors (422 lists, 409s) are kept
// on the editor and drawn at their fields.
#include "client/api/api_client.hpp"
#include "client/app/actions.hpp"
#include "client/app/editor_choices.hpp"

namespace cp::portal {
namespace {

nlohmann::json errors_of(const ApiResult& r) {
    auto j = parse_answer(r.body);
    if (j.is_object() && j.contains("errors") && j["errors"].is_array() && !j["errors"].empty()) return j["errors"];
    const Error e = error_from_api(r);
    return nlohmann::json::array({{{"code", e.code}, {"field", e.field}, {"message", e.message}}});
}

std::string text(const nlohmann::json& j, const char* key) {
    return j.is_object() && j.contains(key) && j[key].is_string() ? j[key].get<std::string>() : std::string{};
}

}  // namespace

nlohmann::json editor_draft_json(const InvoiceEditor& editor) {
    nlohmann::json lines = nlohmann::json::array();
    for (const auto& line : editor.lines) {
        // Typed-in charges are adjustments: time and expense lines come only from approved
        // entries (the hourly invoice), so the server refuses them here.
        lines.push_back({{"kind", "adjustment"},
                         {"description", line.description.data()},
                         {"quantity", line.quantity.data()},
                         {"unit_price", line.unit_price.data()},
                         {"tax_rate", line.tax_rate.data()}});
    }
    return {{"currency", kCurrencies[editor.currency_index]},
            {"rounding", kRoundings[editor.rounding_index]},
            {"tax_mode", kTaxModes[editor.tax_mode_index]},
            {"lines", lines}};
}

void save_invoice_draft(AppState& state) {
    auto& editor = state.editor;
    if (editor.saving || editor.issuing) return;
    editor.saving = true;
    editor.notice.clear();
    auto body = editor_draft_json(editor);
    const bool first = editor.draft_id.empty();
    if (first) body["client_id"] = editor.client_id;
    const std::string path = first ? "/api/v1/invoices" : "/api/v1/invoices/" + editor.draft_id;
    const std::string saved_input = editor_draft_json(editor).dump();
    api_request(first ? "POST" : "PATCH", path, body.dump(), state.session.token,
                [saved_input](AppState& s, const ApiResult& r) {
                    auto& e = s.editor;
                    e.saving = false;
                    auto j = parse_answer(r.body);
                    if ((r.status != 200 && r.status != 201) || !j.is_object()) {
                        e.server_errors = errors_of(r);
                        return;
                    }
                    e.server_errors = nlohmann::json::array();
                    e.draft_id = text(j, "id");
                    e.saved_input = saved_input;
                    e.notice = "Draft saved (total " + text(j, "total") + " " + text(j, "currency") + ").";
                });
}

void issue_invoice_draft(AppState& state) {
    auto& editor = state.editor;
    if (editor.draft_id.empty() || editor.saving || editor.issuing) return;
    editor.issuing = true;
    editor.notice.clear();
    api_request("POST", "/api/v1/invoices/" + editor.draft_id + "/issue", "", state.session.token,
                [](AppState& s, const ApiResult& r) {
                    auto& e = s.editor;
                    e.issuing = false;
                    auto j = parse_answer(r.body);
                    if (r.status != 200 || !j.is_object()) {
                        e.server_errors = errors_of(r);
                        return;
                    }
                    e.server_errors = nlohmann::json::array();
                    e.issued_number = text(j, "number");
                    e.issued_due_date = text(j, "due_date");
                    const std::string id = e.draft_id;
                    load_invoices(s);
                    open_invoice(s, id);
                });
}

}  // namespace cp::portal
