#include <imgui.h>

#include <string>
#include <vector>

#include "client/app/actions.hpp"
#include "client/app/editor_choices.hpp"
#include "client/screens/screens.hpp"
#include "client/widgets/error_text.hpp"
#include "client/widgets/widget_rects.hpp"
#include "shared/billing/invoice_preview.hpp"

namespace cp::portal {
namespace {

// The same core function the server runs for POST /api/v1/invoices/preview, so the figure
// on screen is the figure on the invoice, to the cent.
void refresh_preview(InvoiceEditor& editor) {
    auto draft = editor_draft_json(editor);
    auto input = draft.dump();
    if (input == editor.last_input) return;
    editor.last_input = input;
    editor.preview = cp::billing::preview_invoice(draft);
}

void draw_one_error(InvoiceEditor& editor, const nlohmann::json& e, bool with_field) {
    const std::string code = e.value("code", ""), field = e.value("field", "");
    draw_error({code, with_field ? field : "", e.value("message", "")});
    editor.shown_errors.push_back(code + "@" + field);
}

// The core's errors of the live preview, then the server's of the last save or issue.
std::vector<const nlohmann::json*> all_errors(const InvoiceEditor& editor) {
    std::vector<const nlohmann::json*> out;
    if (editor.preview.is_object() && editor.preview.contains("errors")) {
        for (const auto& e : editor.preview["errors"]) out.push_back(&e);
    }
    for (const auto& e : editor.server_errors) out.push_back(&e);
    return out;
}

// Errors of one field, drawn under its input.
void draw_field_errors(InvoiceEditor& editor, const std::string& field) {
    for (const auto* e : all_errors(editor)) {
        if (!e->is_object() || e->value("field", "") != field) continue;
        draw_one_error(editor, *e, false);
    }
}

// Whether the line table draws this field's errors under an input or amount cell.
bool drawn_in_line_table(const std::string& field, std::size_t line_count) {
    for (std::size_t i = 0; i < line_count; ++i) {
        const std::string path = "lines[" + std::to_string(i) + "].";
        if (field.rfind(path, 0) != 0) continue;
        const std::string rest = field.substr(path.size());
        return rest == "description" || rest == "quantity" || rest == "unit_price" || rest == "tax_rate" ||
               rest == "amount";
    }
    return false;
}

// Everything else the core reports (NEGATIVE_TOTAL, overflow of a total, currency, kind...)
// under the table, with its field, so no error of the draft is ever hidden.
void draw_document_errors(InvoiceEditor& editor) {
    for (const auto* e : all_errors(editor)) {
        if (!e->is_object() || drawn_in_line_table(e->value("field", ""), editor.lines.size())) continue;
        if (e->value("field", "") == "client_id") continue;  // drawn under the client choice
        draw_one_error(editor, *e, true);
    }
}

// The client billed: the first one known until the user picks another.
void draw_client_choice(AppState& state) {
    auto& editor = state.editor;
    const auto& names = state.invoices.client_names;
    if (editor.client_id.empty() && !names.empty()) editor.client_id = names.begin()->first;
    auto current = names.find(editor.client_id);
    const std::string label = current == names.end() ? "(no client)" : current->second;
    ImGui::SetNextItemWidth(260 * state.dpi_scale);
    if (ImGui::BeginCombo("Client", label.c_str())) {
        for (const auto& [id, name] : names) {
            if (ImGui::Selectable(name.c_str(), id == editor.client_id)) editor.client_id = id;
        }
        ImGui::EndCombo();
    }
    track_last_item("editor.client");
    draw_field_errors(editor, "client_id");
}

// Save (create, then update) and issue; the draft is editable until it is issued.
void draw_save_and_issue(AppState& state) {
    auto& editor = state.editor;
    const bool busy = editor.saving || editor.issuing;
    ImGui::BeginDisabled(busy);
    if (ImGui::Button(editor.draft_id.empty() ? "Save draft" : "Save changes")) save_invoice_draft(state);
    track_last_item("editor.save");
    ImGui::SameLine();
    ImGui::BeginDisabled(editor.draft_id.empty());
    if (ImGui::Button("Issue invoice")) issue_invoice_draft(state);
    track_last_item("editor.issue");
    ImGui::EndDisabled();
    ImGui::EndDisabled();
    if (!editor.notice.empty()) {
        ImGui::SameLine();
        ImGui::TextUnformatted(editor.notice.c_str());
        track_last_item("editor.notice");
    }
}

std::string preview_text(const nlohmann::json& preview, const char* key) {
    if (!preview.is_object() || !preview.value("ok", false) || !preview.contains(key)) return "-";
    return preview[key].is_string() ? preview[key].get<std::string>() : "-";
}

void draw_line_editor(InvoiceEditor& editor, std::size_t i, bool& remove) {
    auto& line = editor.lines[i];
    const std::string prefix = "editor.line." + std::to_string(i) + ".";
    const std::string path = "lines[" + std::to_string(i) + "].";
    ImGui::PushID(static_cast<int>(i));
    ImGui::TableNextRow();
    ImGui::TableNextColumn();
    ImGui::SetNextItemWidth(-1);
    ImGui::InputText("##description", line.description.data(), line.description.size());
    track_last_item(prefix + "description");
    draw_field_errors(editor, path + "description");
    ImGui::TableNextColumn();
    ImGui::SetNextItemWidth(-1);
    ImGui::InputText("##quantity", line.quantity.data(), line.quantity.size(),
                     ImGuiInputTextFlags_CharsDecimal);
    track_last_item(prefix + "quantity");
    draw_field_errors(editor, path + "quantity");
    ImGui::TableNextColumn();
    ImGui::SetNextItemWidth(-1);
    ImGui::InputText("##unit_price", line.unit_price.data(), line.unit_price.size(),
                     ImGuiInputTextFlags_CharsDecimal);
    track_last_item(prefix + "unit_price");
    draw_field_errors(editor, path + "unit_price");
    ImGui::TableNextColumn();
    ImGui::SetNextItemWidth(-1);
    ImGui::InputText("##tax_rate", line.tax_rate.data(), line.tax_rate.size(),
                     ImGuiInputTextFlags_CharsDecimal);
    track_last_item(prefix + "tax_rate");
    draw_field_errors(editor, path + "tax_rate");
    ImGui::TableNextColumn();
    const auto& preview = editor.preview;
    if (preview.is_object() && preview.value("ok", false) && preview.contains("lines") &&
        i < preview["lines"].size()) {
        ImGui::TextUnformatted(preview["lines"][i].value("amount", "").c_str());
    } else {
        ImGui::TextDisabled("-");
    }
    track_last_item(prefix + "amount");
    draw_field_errors(editor, path + "amount");
    ImGui::TableNextColumn();
    if (ImGui::SmallButton("Remove")) remove = true;
    track_last_item(prefix + "remove");
    ImGui::PopID();
}

}  // namespace

void draw_invoice_editor_screen(AppState& state) {
    auto& editor = state.editor;
    if (ImGui::SmallButton("< Invoices")) {
        state.screen = Screen::invoices;
        return;
    }
    track_last_item("editor.back");
    ImGui::SameLine();
    if (editor.draft_id.empty()) {
        ImGui::Text("New invoice (not saved)");
    } else {
        ImGui::Text("Draft invoice %s", editor.draft_id.c_str());
    }
    draw_client_choice(state);

    ImGui::SetNextItemWidth(110 * state.dpi_scale);
    ImGui::Combo("Currency", &editor.currency_index, kCurrencies, IM_ARRAYSIZE(kCurrencies));
    track_last_item("editor.currency");
    ImGui::SameLine();
    ImGui::SetNextItemWidth(130 * state.dpi_scale);
    ImGui::Combo("Rounding", &editor.rounding_index, kRoundings, IM_ARRAYSIZE(kRoundings));
    track_last_item("editor.rounding");
    ImGui::SameLine();
    ImGui::SetNextItemWidth(150 * state.dpi_scale);
    ImGui::Combo("Tax rounding", &editor.tax_mode_index, kTaxModes, IM_ARRAYSIZE(kTaxModes));
    track_last_item("editor.tax_mode");

    editor.shown_errors.clear();
    refresh_preview(editor);
    std::size_t remove_index = editor.lines.size();
    if (ImGui::BeginTable("lines", 6, ImGuiTableFlags_BordersInnerH | ImGuiTableFlags_RowBg)) {
        ImGui::TableSetupColumn("Description", ImGuiTableColumnFlags_WidthStretch, 3.0f);
        ImGui::TableSetupColumn("Quantity", ImGuiTableColumnFlags_WidthStretch, 1.0f);
        ImGui::TableSetupColumn("Unit price", ImGuiTableColumnFlags_WidthStretch, 1.2f);
        ImGui::TableSetupColumn("Tax %", ImGuiTableColumnFlags_WidthStretch, 0.8f);
        ImGui::TableSetupColumn("Amount", ImGuiTableColumnFlags_WidthStretch, 1.2f);
        ImGui::TableSetupColumn("", ImGuiTableColumnFlags_WidthFixed, 70 * state.dpi_scale);
        ImGui::TableHeadersRow();
        for (std::size_t i = 0; i < editor.lines.size(); ++i) {
            bool remove = false;
            draw_line_editor(editor, i, remove);
            if (remove) remove_index = i;
        }
        ImGui::EndTable();
    }
    if (remove_index < editor.lines.size()) {
        editor.lines.erase(editor.lines.begin() + static_cast<std::ptrdiff_t>(remove_index));
    }
    if (ImGui::Button("Add line")) add_editor_line(editor);
    track_last_item("editor.add_line");

    draw_document_errors(editor);

    ImGui::Separator();
    const auto& p = editor.preview;
    const char* currency = kCurrencies[editor.currency_index];
    if (ImGui::BeginTable("editor_totals", 2, ImGuiTableFlags_SizingFixedFit)) {
        const std::pair<const char*, const char*> rows[] = {
            {"Subtotal", "subtotal"}, {"Tax", "tax"}, {"Total", "total"}};
        for (const auto& [label, key] : rows) {
            ImGui::TableNextRow();
            ImGui::TableNextColumn();
            ImGui::TextUnformatted(label);
            ImGui::TableNextColumn();
            ImGui::Text("%s %s", preview_text(p, key).c_str(), currency);
            track_last_item(std::string("editor.") + key);
        }
        ImGui::EndTable();
    }
    ImGui::Separator();
    draw_save_and_issue(state);
}

}  // namespace cp::portal
