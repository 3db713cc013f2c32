#include <imgui.h>

#include <algorithm>

#include "client/app/actions.hpp"
#include "client/screens/screens.hpp"
#include "client/widgets/a11y_tree.hpp"
#include "client/widgets/controls.hpp"
#include "client/widgets/error_text.hpp"
#include "client/widgets/focus_order.hpp"
#include "client/widgets/widget_rects.hpp"

namespace cp::portal {
namespace {

// The account belongs to several firms: the server named them; one click signs in to one
// (the same email and password, sent again with the firm's slug).
void draw_firm_choices(AppState& state) {
    ImGui::Spacing();
    ImGui::PushTextWrapPos(0.0f);
    ImGui::TextUnformatted("You belong to several firms. Which one do you want to work in?");
    ImGui::PopTextWrapPos();
    track_last_item("login.firms");
    mirror_text("login.firms", "heading", "You belong to several firms. Which one do you want to work in?");
    std::string chosen;
    ImGui::BeginDisabled(state.login.in_flight);
    for (const auto& f : state.login.firm_choices) {
        if (!f.is_object() || !f.contains("slug") || !f["slug"].is_string()) continue;
        const std::string slug = f["slug"].get<std::string>();
        const std::string name = f.contains("name") && f["name"].is_string() ? f["name"].get<std::string>() : slug;
        const std::string id = "login.firm." + slug;
        const std::string label = name + "##" + id;
        if (button(id.c_str(), label.c_str(), false, ImVec2(-1, 0))) chosen = slug;
    }
    ImGui::EndDisabled();
    if (!chosen.empty()) start_login(state, chosen);
}

}  // namespace

void draw_login_screen(AppState& state) {
    const ImGuiViewport* viewport = ImGui::GetMainViewport();
    const float margin = 12.0f * state.dpi_scale;
    // Never wider than the screen: on a phone the box takes the width less a margin.
    const float width = std::min(380.0f * state.dpi_scale, viewport->WorkSize.x - 2 * margin);
    const float top = std::max(margin, std::min(viewport->WorkSize.y * 0.22f, viewport->WorkSize.y - 330.0f * state.dpi_scale));
    ImGui::SetNextWindowPos(ImVec2(viewport->WorkPos.x + (viewport->WorkSize.x - width) * 0.5f, viewport->WorkPos.y + top));
    ImGui::SetNextWindowSize(ImVec2(width, 0));
    ImGui::Begin("Sign in to ConsultantPro", nullptr,
                 ImGuiWindowFlags_NoResize | ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoCollapse);
    track_last_item("login.window");
    mirror_text("login.heading", "heading", "Sign in to ConsultantPro");

    ImGui::PushTextWrapPos(0.0f);
    ImGui::TextColored(kMutedColour, "Firm staff and client portal users sign in here.");
    ImGui::PopTextWrapPos();
    ImGui::Spacing();
    // The first field has focus as soon as the screen appears.
    if (ImGui::IsWindowAppearing()) focus_request("login.email");
    ImGui::TextUnformatted("Email");
    auto email = text_field({"login.email", "Email", kEmailChars}, state.login.email.data(), state.login.email.size());
    ImGui::TextUnformatted("Password");
    auto password = text_field({"login.password", "Password", kPasswordChars, true}, state.login.password.data(),
                               state.login.password.size());
    bool submitted = email.submitted || password.submitted;
    ImGui::Spacing();

    ImGui::BeginDisabled(state.login.in_flight);
    if (button("login.submit", state.login.in_flight ? "Signing in...##submit" : "Sign in##submit", false, ImVec2(-1, 0))) {
        submitted = true;
    }
    ImGui::EndDisabled();
    if (submitted) start_login(state);

    if (!state.login.firm_choices.empty()) {
        draw_firm_choices(state);
    } else if (state.login.error) {
        ImGui::Spacing();
        draw_error(*state.login.error);
        track_last_item("login.error");
    }
    ImGui::End();
}

}  // namespace cp::portal
