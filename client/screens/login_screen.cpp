#include <imgui.h>

#include "client/app/actions.hpp"
#include "client/screens/screens.hpp"
#include "client/widgets/error_text.hpp"
#include "client/widgets/widget_rects.hpp"

namespace cp::portal {

void draw_login_screen(AppState& state) {
    const ImGuiViewport* viewport = ImGui::GetMainViewport();
    const float width = 380.0f * state.dpi_scale;
    ImGui::SetNextWindowPos(ImVec2(viewport->WorkPos.x + (viewport->WorkSize.x - width) * 0.5f,
                                   viewport->WorkPos.y + viewport->WorkSize.y * 0.22f));
    ImGui::SetNextWindowSize(ImVec2(width, 0));
    ImGui::Begin("Sign in to ConsultantPro", nullptr,
                 ImGuiWindowFlags_NoResize | ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoCollapse);

    ImGui::TextColored(kMutedColour, "Firm staff and client portal users sign in here.");
    ImGui::Spacing();
    ImGui::TextUnformatted("Email");
    ImGui::SetNextItemWidth(-1);
    ImGui::InputText("##email", state.login.email.data(), state.login.email.size());
    track_last_item("login.email");
    ImGui::TextUnformatted("Password");
    ImGui::SetNextItemWidth(-1);
    bool submitted = ImGui::InputText("##password", state.login.password.data(),
                                      state.login.password.size(),
                                      ImGuiInputTextFlags_Password | ImGuiInputTextFlags_EnterReturnsTrue);
    track_last_item("login.password");
    ImGui::Spacing();

    ImGui::BeginDisabled(state.login.in_flight);
    if (ImGui::Button(state.login.in_flight ? "Signing in..." : "Sign in", ImVec2(-1, 0))) submitted = true;
    track_last_item("login.submit");
    ImGui::EndDisabled();
    if (submitted) start_login(state);

    if (state.login.error) {
        ImGui::Spacing();
        draw_error(*state.login.error);
        track_last_item("login.error");
    }
    ImGui::End();
}

}  // namespace cp::portal
