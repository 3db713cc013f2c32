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
        for (const auto& row : state.invoices.rows) {
            ImGui::TableNextRow();
            ImGui::TableNextColumn();
            ImGui::TextUnformatted(row.number.empty() ? "(draft)" : row.number.c_str());
            track_last_item("invoices.row." + std::to_string(index));
            ImGui::TableNextColumn();
            ImGui::TextUnformatted(row.client_name.c_str());
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
    }
    if (state.invoices.loaded && state.invoices.rows.empty()) ImGui::TextDisabled("No invoices yet.");
}

}  // namespace cp::portal
