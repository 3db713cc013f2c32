#include <imgui.h>

#include "client/app/actions.hpp"
#include "client/app/routes.hpp"
#include "client/platform/input_events.hpp"
#include "client/widgets/a11y_tree.hpp"
#include "client/widgets/controls.hpp"
#include "client/widgets/table_cells.hpp"
#include "shared/text/messages.hpp"
#include "client/screens/invoice_manage_panel.hpp"
#include "client/screens/portal_billing_panels.hpp"
#include "client/screens/screens.hpp"
#include "client/widgets/error_text.hpp"
#include "client/widgets/widget_rects.hpp"

namespace cp::portal {
namespace {

std::string text(const nlohmann::json& j, const char* key) {
    if (!j.is_object() || !j.contains(key) || !j[key].is_string()) return {};
    return j[key].get<std::string>();
}

void draw_total_row(const char* label, const std::string& value, const std::string& currency,
                    const char* widget) {
    ImGui::TableNextRow();
    ImGui::TableNextColumn();
    ImGui::TextUnformatted(label);
    mirror_text((std::string(widget) + ".label").c_str(), "text", label);
    ImGui::TableNextColumn();
    cell_money(widget, value, currency);
    track_last_item(widget);
    copy_menu(widget, {{"Copy amount", value + " " + currency}});
}

}  // namespace

void draw_invoice_detail_screen(AppState& state) {
    auto& detail = state.detail;
    if (button("detail.back", "< Invoices", true)) {
        go_to_route(state, "#/invoices");
        return;
    }
    if (detail.loading) {
        ImGui::TextDisabled("Loading invoice...");
        return;
    }
    if (detail.error) {
        draw_error(*detail.error);
        return;
    }
    const auto& inv = detail.invoice;
    const std::string currency = text(inv, "currency");
    ImGui::Text("Invoice %s", text(inv, "number").empty() ? "(draft)" : text(inv, "number").c_str());
    track_last_item("detail.number");
    copy_menu("number_menu", {{"Copy invoice number", text(inv, "number")}});
    table_copy_text() = text(inv, "number");  // Ctrl+C on this screen copies the number
    ImGui::SameLine();
    const bool draft = text(inv, "status") == "draft";
    mirror_text("detail.number", "heading", text(inv, "number").empty() ? "Draft invoice" : "Invoice " + text(inv, "number"));
    if (!state.narrow) ImGui::SameLine();
    if (draft) {
        ImGui::TextDisabled("  Draft (not issued yet)");
    } else {
        ImGui::TextDisabled("  %s  |  issued %s  |  due %s", text::choice_label(text(inv, "status")).c_str(),
                            text(inv, "issue_date").c_str(), text(inv, "due_date").c_str());
    }

    if (ImGui::BeginTable("detail_lines", 6, ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerH)) {
        ImGui::TableSetupColumn("Kind", ImGuiTableColumnFlags_WidthStretch, 0.9f);
        ImGui::TableSetupColumn("Description", ImGuiTableColumnFlags_WidthStretch, 3.0f);
        ImGui::TableSetupColumn("Quantity", ImGuiTableColumnFlags_WidthStretch, 0.8f);
        ImGui::TableSetupColumn("Unit price", ImGuiTableColumnFlags_WidthStretch, 1.0f);
        ImGui::TableSetupColumn("Tax %", ImGuiTableColumnFlags_WidthStretch, 0.7f);
        ImGui::TableSetupColumn("Amount", ImGuiTableColumnFlags_WidthStretch, 1.0f);
        ImGui::TableHeadersRow();
        a11y_add("detail.lines", "table", "Lines");
        a11y_push_parent("detail.lines");
        if (inv.contains("lines") && inv["lines"].is_array()) {
            int n = 0;
            for (const auto& line : inv["lines"]) {
                const std::string row_id = "detail.line." + std::to_string(n++);
                a11y_add(row_id, "row", text::choice_label(text(line, "kind")) + ": " + text(line, "description"));
                a11y_push_parent(row_id);
                for (const char* key : {"kind", "description", "quantity", "unit_price", "tax_rate", "amount"}) {
                    const std::string value = std::string(key) == "kind" ? text::choice_label(text(line, key)) : text(line, key);
                    a11y_add(row_id + "." + key, "cell", value);
                }
                a11y_pop_parent();
                ImGui::TableNextRow();
                for (const char* key : {"kind", "description", "quantity", "unit_price", "tax_rate", "amount"}) {
                    ImGui::TableNextColumn();
                    const std::string value = std::string(key) == "kind" ? text::choice_label(text(line, key)) : text(line, key);
                    const bool number = std::string(key) != "kind" && std::string(key) != "description";
                    if (number) {
                        cell_money("detail.cell", value, "");
                    } else {
                        ImGui::TextUnformatted(value.c_str());
                    }
                }
            }
        }
        a11y_pop_parent();
        ImGui::EndTable();
    }

    ImGui::Spacing();
    if (ImGui::BeginTable("detail_totals", 2, ImGuiTableFlags_SizingFixedFit)) {
        draw_total_row("Subtotal", text(inv, "subtotal"), currency, "detail.subtotal");
        draw_total_row("Tax", text(inv, "tax"), currency, "detail.tax");
        draw_total_row("Total", text(inv, "total"), currency, "detail.total");
        const std::string credited = text(inv, "amount_credited");
        if (credited.find_first_not_of("0.") != std::string::npos) {
            draw_total_row("Credited", credited, currency, "detail.amount_credited");
        }
        draw_total_row("Paid", text(inv, "amount_paid"), currency, "detail.amount_paid");
        draw_total_row("Balance due", text(inv, "balance_due"), currency, "detail.balance_due");
        ImGui::EndTable();
    }
    ImGui::Spacing();
    if (detail.totals_match && draft) {
        ImGui::TextColored(ImVec4(0.12f, 0.48f, 0.25f, 1), "Totals computed from these lines in your browser; they match the saved draft.");
    } else if (detail.totals_match) {
        ImGui::TextColored(ImVec4(0.12f, 0.48f, 0.25f, 1), "Totals re-checked in your browser: they match the lines of this invoice.");
    } else {
        ImGui::PushStyleColor(ImGuiCol_Text, kErrorColour);
        ImGui::TextWrapped("These stored totals differ from a recomputation of the lines. Contact the firm before paying.");
        ImGui::PopStyleColor();
    }
    track_last_item("detail.verification");
    mirror_text("detail.verification", detail.totals_match ? "status" : "alert",
                !detail.totals_match ? "These stored totals differ from a recomputation of the lines. Contact the firm before paying."
                : draft             ? "Totals computed from these lines in your browser; they match the saved draft."
                                    : "Totals re-checked in your browser: they match the lines of this invoice.");
    draw_invoice_money_actions(state);
    draw_invoice_manage_panel(state);
}

}  // namespace cp::portal
