#include <imgui.h>

#include "client/app/actions.hpp"
#include "client/screens/screens.hpp"
#include "client/widgets/error_text.hpp"
#include "client/widgets/widget_rects.hpp"

namespace cp::portal {
namespace {

ImVec4 status_colour(const std::string& status) {
    if (status == "paid") return {0.16f, 0.55f, 0.30f, 1};
    if (status == "overdue" || status == "failed" || status == "charged_back") return kErrorColour;
    if (status == "draft" || status == "void") return kMutedColour;
    return {0.15f, 0.39f, 0.75f, 1};
}

}  // namespace

void draw_invoices_screen(AppState& state) {
    ImGui::Text("Invoices");
    ImGui::SameLine();
    if (ImGui::SmallButton("Refresh")) load_invoices(state);
    track_last_item("invoices.refresh");
    if (!state.session.is_portal_user) {
        ImGui::SameLine();
        if (ImGui::SmallButton("New invoice")) open_new_invoice(state);
        track_last_item("invoices.new");
    }
    if (state.invoices.loading) {
        ImGui::SameLine();
        ImGui::TextDisabled("loading...");
    }
    if (state.invoices.error) draw_error(*state.invoices.error);

    const ImGuiTableFlags flags = ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerH |
                                  ImGuiTableFlags_ScrollY | ImGuiTableFlags_Resizable;
    if (!state.invoices.next_cursor.empty()) {
        ImGui::SameLine();
        if (ImGui::SmallButton("Load more")) load_invoices(state, true);
        track_last_item("invoices.load_more");
    }
    if (ImGui::BeginTable("invoices", 7, flags, ImVec2(0, 0))) {
        ImGui::TableSetupScrollFreeze(0, 1);
        ImGui::TableSetupColumn("Number");
        ImGui::TableSetupColumn("Client");
        ImGui::TableSetupColumn("Status");
        ImGui::TableSetupColumn("Issued");
        ImGui::TableSetupColumn("Due");
        ImGui::TableSetupColumn("Total");
        ImGui::TableSetupColumn("Balance due");
        ImGui::TableHeadersRow();
        int index = 0;
        std::string open_id;
        for (const auto& row : state.invoices.rows) {
            ImGui::TableNextRow();
            ImGui::TableNextColumn();
            ImGui::PushID(index);
            if (ImGui::Selectable(row.number.empty() ? "(draft)" : row.number.c_str(), false,
                                  ImGuiSelectableFlags_SpanAllColumns)) {
                open_id = row.id;
            }
            ImGui::PopID();
            track_last_item("invoices.row." + std::to_string(index));
            ImGui::TableNextColumn();
            auto name = state.invoices.client_names.find(row.client_id);
            ImGui::TextUnformatted(!row.client_name.empty() ? row.client_name.c_str()
                                   : name != state.invoices.client_names.end() ? name->second.c_str()
                                                                                : row.client_id.c_str());
            ImGui::TableNextColumn();
            ImGui::TextColored(status_colour(row.status), "%s", row.status.c_str());
            ImGui::TableNextColumn();
            ImGui::TextUnformatted(row.issue_date.c_str());
            ImGui::TableNextColumn();
            ImGui::TextUnformatted(row.due_date.c_str());
            ImGui::TableNextColumn();
            ImGui::Text("%s %s", row.total.c_str(), row.currency.c_str());
            ImGui::TableNextColumn();
            ImGui::Text("%s %s", row.balance_due.c_str(), row.currency.c_str());
            ++index;
        }
        ImGui::EndTable();
        if (!open_id.empty()) open_invoice(state, open_id);
    }
    if (state.invoices.loaded && state.invoices.rows.empty()) ImGui::TextDisabled("No invoices yet.");
}

}  // namespace cp::portal
