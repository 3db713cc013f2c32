#include <imgui.h>

#include "client/app/actions.hpp"
#include "client/screens/screens.hpp"
#include "client/widgets/widget_rects.hpp"

namespace cp::portal {

void draw_header_bar(AppState& state) {
    if (!state.break_glass_banner.empty()) {
        // An operator is inside this firm: impossible to miss, on every screen.
        ImGui::PushStyleColor(ImGuiCol_ChildBg, ImVec4(0.75f, 0.12f, 0.10f, 1.0f));
        ImGui::BeginChild("break_glass", ImVec2(0, ImGui::GetFrameHeightWithSpacing() * 1.4f), false);
        ImGui::PushStyleColor(ImGuiCol_Text, ImVec4(1, 1, 1, 1));
        ImGui::TextWrapped("Platform operator break-glass session active: %s",
                           state.break_glass_banner.c_str());
        ImGui::PopStyleColor();
        ImGui::EndChild();
        ImGui::PopStyleColor();
        track_last_item("banner.break_glass");
    }
    ImGui::Text("%s", state.session.firm_name.empty() ? "ConsultantPro" : state.session.firm_name.c_str());
    ImGui::SameLine();
    ImGui::TextDisabled("|  %s (%s)", state.session.email.c_str(), state.session.role.c_str());
    ImGui::SameLine(ImGui::GetWindowContentRegionMax().x - 90.0f * state.dpi_scale);
    if (ImGui::Button("Sign out")) sign_out(state);
    track_last_item("header.sign_out");
    ImGui::Separator();
}

}  // namespace cp::portal
