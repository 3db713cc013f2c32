#include <imgui.h>

#include <string>
#include <vector>

#include "client/app/actions.hpp"
#include "client/app/editor_choices.hpp"
#include "client/app/routes.hpp"
#include "client/widgets/a11y_tree.hpp"
#include "client/widgets/controls.hpp"
#include "client/widgets/focus_order.hpp"
#include "client/widgets/table_cells.hpp"
#include "shared/text/messages.hpp"
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
    focusable_item("editor.client");
    draw_field_errors(editor, "client_id");
}

// Save (create, then update) and issue; the draft is editable until it is issued.
void draw_save_and_issue(AppState& state) {
    auto& editor = state.editor;
    const bool busy = editor.saving || editor.issuing;
    ImGui::BeginDisabled(busy);
    if (button("editor.save", editor.draft_id.empty() ? "Save draft##save" : "Save changes##save")) save_invoice_draft(state);
    ImGui::SameLine();
    ImGui::BeginDisabled(editor.draft_id.empty());
    if (button("editor.issue", "Issue invoice")) issue_invoice_draft(state);
    ImGui::EndDisabled();
    ImGui::EndDisabled();
    if (!editor.notice.empty()) {
        ImGui::SameLine();
        ImGui::TextUnformatted(editor.notice.c_str());
        track_last_item("editor.notice");
    }
}

std::string preview_text(const nlohmann::json& preview, const char* key) {
    if (!preview.is_object() || !preview.value("ok", false) || !preview.contains(key)) return "";
    return preview[key].is_string() ? preview[key].get<std::string>() : "";
}

void draw_line_editor(InvoiceEditor& editor, std::size_t i, bool& remove) {
    auto& line = editor.lines[i];
    const std::string prefix = "editor.line." + std::to_string(i) + ".";
    const std::string path = "lines[" + std::to_string(i) + "].";
    ImGui::PushID(static_cast<int>(i));
    ImGui::TableNextRow();
    const std::string line_name = "Line " + std::to_string(i + 1) + " ";
    const std::string labels[] = {line_name + "description", line_name + "quantity", line_name + "unit price",
                                  line_name + "tax rate"};
    struct Field {
        const char* key;
        char* buffer;
        std::size_t size;
        int max_chars;
    };
    const Field fields[] = {{"description", line.description.data(), line.description.size(), kDescriptionChars},
                            {"quantity", line.quantity.data(), line.quantity.size(), kNumberChars},
                            {"unit_price", line.unit_price.data(), line.unit_price.size(), kNumberChars},
                            {"tax_rate", line.tax_rate.data(), line.tax_rate.size(), kNumberChars}};
    for (std::size_t f = 0; f < 4; ++f) {
        ImGui::TableNextColumn();
        const std::string id = prefix + fields[f].key;
        // Any text is accepted here and judged by the core, which explains a refusal
        // ("1,5": use a dot) instead of a filter silently dropping characters.
        text_field({id.c_str(), labels[f].c_str(), fields[f].max_chars}, fields[f].buffer, fields[f].size);
        draw_field_errors(editor, path + fields[f].key);
    }
    ImGui::TableNextColumn();
    const auto& preview = editor.preview;
    if (preview.is_object() && preview.value("ok", false) && preview.contains("lines") &&
        i < preview["lines"].size()) {
        cell_money(prefix + "amount.cell", preview["lines"][i].value("amount", ""), "");
    } else {
        ImGui::TextDisabled("-");
    }
    track_last_item(prefix + "amount");
    draw_field_errors(editor, path + "amount");
    ImGui::TableNextColumn();
    if (button((prefix + "remove").c_str(), "Remove", true)) remove = true;
    ImGui::PopID();
}

// A closed choice shown in people's words ("Half up"), sent as the API's value.
void draw_choice(const char* id, const char* label, int& index, const char* const* values, int count, float width) {
    ImGui::SetNextItemWidth(width);
    const std::string current = text::choice_label(values[index]);
    if (ImGui::BeginCombo(label, current.c_str())) {
        for (int k = 0; k < count; ++k) {
            if (ImGui::Selectable(text::choice_label(values[k]).c_str(), k == index)) index = k;
        }
        ImGui::EndCombo();
    }
    track_last_item(id);
    focusable_item(id);
    A11yItem item;
    item.id = id;
    item.role = "combobox";
    item.name = label;
    item.value = current;
    a11y_add(std::move(item));
}

// Leaving with unsaved changes (Back, Escape, "< Invoices") asks instead of discarding.
void draw_leave_prompt(AppState& state) {
    auto& editor = state.editor;
    if (editor.leave_to_route.empty()) return;
    if (!ImGui::IsPopupOpen("Unsaved changes")) ImGui::OpenPopup("Unsaved changes");
    if (ImGui::BeginPopupModal("Unsaved changes", nullptr, ImGuiWindowFlags_AlwaysAutoResize)) {
        if (ImGui::IsWindowAppearing()) focus_request("editor.leave.stay");  // the safe choice
        ImGui::TextUnformatted("This invoice has changes that are not saved.");
        mirror_text("editor.leave.message", "alert", "This invoice has changes that are not saved.");
        if (button("editor.leave.stay", "Keep editing")) {
            editor.leave_to_route.clear();
            ImGui::CloseCurrentPopup();
        }
        ImGui::SameLine();
        if (button("editor.leave.discard", "Discard changes")) {
            const std::string to = editor.leave_to_route;
            editor.leave_to_route.clear();
            editor.saved_input = editor_draft_json(editor).dump();
            ImGui::CloseCurrentPopup();
            go_to_route(state, to);
        }
        ImGui::EndPopup();
    }
}

}  // namespace

void draw_invoice_editor_screen(AppState& state) {
    auto& editor = state.editor;
    if (button("editor.back", "< Invoices", true)) {
        go_to_route(state, "#/invoices");
        return;
    }
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
    focusable_item("editor.currency");
    if (!state.narrow) ImGui::SameLine();
    draw_choice("editor.rounding", "Rounding", editor.rounding_index, kRoundings, IM_ARRAYSIZE(kRoundings), 130 * state.dpi_scale);
    if (!state.narrow) ImGui::SameLine();
    draw_choice("editor.tax_mode", "Tax rounding", editor.tax_mode_index, kTaxModes, IM_ARRAYSIZE(kTaxModes), 150 * state.dpi_scale);

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
    if (button("editor.add_line", "Add line")) add_editor_line(editor);

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
            const std::string value = preview_text(p, key);
            if (value.empty()) {
                ImGui::TextDisabled("not computed: see the errors above");
                mirror_text((std::string("editor.") + key + ".value").c_str(), "text",
                            std::string(label) + ": not computed, see the errors above");
            } else {
                cell_money(std::string("editor.") + key + ".value", value, currency);
            }
            track_last_item(std::string("editor.") + key);
        }
        ImGui::EndTable();
    }
    ImGui::Separator();
    draw_save_and_issue(state);
    draw_leave_prompt(state);
}

}  // namespace cp::portal
