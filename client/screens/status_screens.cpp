// The two screens that are not about invoices: an unknown address, and a session that
// ended (expired or revoked) with the way back to where the person was.
#include <imgui.h>

#include <algorithm>

#include "client/app/actions.hpp"
#include "client/app/routes.hpp"
#include "client/app/workspace.hpp"
#include "client/screens/screens.hpp"
#include "client/widgets/controls.hpp"
#include "client/widgets/error_text.hpp"
#include "client/widgets/focus_order.hpp"
#include "client/widgets/widget_rects.hpp"

namespace cp::portal {
namespace {

void begin_centred_box(AppState& state, const char* title) {
    const ImGuiViewport* viewport = ImGui::GetMainViewport();
    const float margin = 12.0f * state.dpi_scale;
    const float width = std::min(440.0f * state.dpi_scale, viewport->WorkSize.x - 2 * margin);
    ImGui::SetNextWindowPos(ImVec2(viewport->WorkPos.x + (viewport->WorkSize.x - width) * 0.5f,
                                   viewport->WorkPos.y + std::max(margin, viewport->WorkSize.y * 0.2f)));
    ImGui::SetNextWindowSize(ImVec2(width, 0));
    ImGui::Begin(title, nullptr, ImGuiWindowFlags_NoResize | ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoCollapse);
    mirror_text("status.heading", "heading", title);
}

}  // namespace

void draw_not_found_screen(AppState& state) {
    begin_centred_box(state, "Page not found");
    ImGui::PushTextWrapPos(0.0f);
    ImGui::TextUnformatted("There is nothing at this address. It may have been mistyped, or the page has moved.");
    ImGui::PopTextWrapPos();
    track_last_item("not_found.message");
    mirror_text("not_found.message", "text", "There is nothing at this address.");
    if (ImGui::IsWindowAppearing()) focus_request("not_found.home");
    const std::string home = home_route(state.session.role, state.session.is_portal_user);
    const bool to_invoices = home == "#/invoices";
    if (button("not_found.home", state.session.token.empty() ? "Go to sign in" : to_invoices ? "Go to invoices" : "Go to the workspace")) {
        go_to_route(state, state.session.token.empty() ? "#/login" : home);
    }
    ImGui::End();
}

void draw_session_expired_screen(AppState& state) {
    begin_centred_box(state, "You were signed out");
    ImGui::PushTextWrapPos(0.0f);
    ImGui::TextUnformatted("Your session ended (it expired or was ended by an administrator). "
                           "Sign in again to continue where you were.");
    ImGui::PopTextWrapPos();
    track_last_item("expired.message");
    mirror_text("expired.message", "status", "You were signed out. Sign in again to continue where you were.");
    if (ImGui::IsWindowAppearing()) focus_request("expired.sign_in");
    if (button("expired.sign_in", "Sign in again")) state.screen = Screen::login;
    ImGui::End();
}

}  // namespace cp::portal
