#include <imgui.h>

#include <algorithm>
#include <string>

#include "client/app/actions.hpp"
#include "client/app/break_glass_banner.hpp"
#include "client/platform/page_bridge.hpp"
#include "client/screens/screens.hpp"
#include "client/widgets/controls.hpp"
#include "client/widgets/error_text.hpp"
#include "client/widgets/widget_rects.hpp"

namespace cp::portal {
namespace {

bool can_revoke(const Session& session) { return session.role == "owner" || session.role == "admin"; }

// An operator is inside this firm: impossible to miss, on every staff screen, in words.
void draw_break_glass_banner(AppState& state) {
    auto& banner = state.break_glass;
    const double now = page::now_ms();
    if (banner.expires_at_ms > 0 && now >= banner.expires_at_ms) banner = {};
    if (!banner.active()) return;
    // Revocation elsewhere must show here within seconds, even on an idle screen.
    if (now - state.banner_checked_ms > 2500.0) recheck_break_glass(state);

    const std::string who = banner.operator_name.empty() ? banner.operator_email
                                                         : banner.operator_name + " (" + banner.operator_email + ")";
    const std::string line1 = "Platform operator " + who + " has emergency (break-glass) access to this firm.";
    const std::string line2 = "Reason: " + banner.reason + "  ·  ends in " + time_left_text(banner.expires_at_ms - now);
    ImGui::PushStyleColor(ImGuiCol_ChildBg, ImVec4(0.70f, 0.11f, 0.09f, 1.0f));
    ImGui::PushStyleColor(ImGuiCol_Text, ImVec4(1, 1, 1, 1));
    const float wrap = ImGui::GetContentRegionAvail().x - 2 * ImGui::GetStyle().WindowPadding.x;
    const float h = ImGui::CalcTextSize(line1.c_str(), nullptr, false, wrap).y +
                    ImGui::CalcTextSize(line2.c_str(), nullptr, false, wrap).y + ImGui::GetFrameHeightWithSpacing() +
                    ImGui::GetStyle().WindowPadding.y * 2 + ImGui::GetStyle().ItemSpacing.y * 2;
    ImGui::BeginChild("break_glass", ImVec2(0, h), false, ImGuiWindowFlags_NoScrollbar | ImGuiWindowFlags_AlwaysUseWindowPadding);
    ImGui::TextWrapped("%s", line1.c_str());
    ImGui::TextWrapped("%s", line2.c_str());
    if (can_revoke(state.session)) {
        ImGui::PushStyleColor(ImGuiCol_Text, ImVec4(0.45f, 0.06f, 0.05f, 1));
        ImGui::PushStyleColor(ImGuiCol_Button, ImVec4(1, 1, 1, 1));
        ImGui::PushStyleColor(ImGuiCol_ButtonHovered, ImVec4(0.95f, 0.88f, 0.88f, 1));
        ImGui::PushStyleColor(ImGuiCol_ButtonActive, ImVec4(0.90f, 0.80f, 0.80f, 1));
        ImGui::BeginDisabled(banner.revoking);
        if (button("banner.revoke", banner.revoking ? "Revoking...##revoke" : "Revoke access##revoke")) revoke_break_glass(state);
        ImGui::EndDisabled();
        ImGui::PopStyleColor(4);
    }
    ImGui::EndChild();
    ImGui::PopStyleColor(2);
    track_last_item("banner.break_glass");
    mirror_text("banner.break_glass", "alert", line1 + " " + line2);
}

}  // namespace

void draw_header_bar(AppState& state) {
    if (!state.session.is_portal_user) draw_break_glass_banner(state);
    // A client sees the firm that bills them; staff see their own firm.
    std::string title = state.session.firm_name.empty() ? "ConsultantPro" : state.session.firm_name;
    std::string who = state.session.email;
    if (state.session.is_portal_user && !state.session.client_name.empty()) {
        who += " (for " + state.session.client_name + ")";
    } else if (!state.session.role.empty()) {
        who += " (" + text::choice_label(state.session.role) + ")";
    }
    const float switch_w = state.session.is_portal_user ? 0.0f : firm_switcher_width(state);
    const float sign_out_w = ImGui::CalcTextSize("Sign out").x + ImGui::GetStyle().FramePadding.x * 2 + switch_w;
    const float right = ImGui::GetWindowContentRegionMax().x;
    ImGui::TextUnformatted(title.c_str());
    track_last_item("header.firm");
    mirror_text("header.firm", "heading", title);
    // On a narrow screen the user line goes under the firm name instead of under the button.
    const float who_w = ImGui::CalcTextSize(who.c_str()).x;
    const float after_title = ImGui::GetItemRectMax().x - ImGui::GetWindowPos().x + ImGui::GetStyle().ItemSpacing.x;
    const bool one_line = after_title + who_w + sign_out_w + 3 * ImGui::GetStyle().ItemSpacing.x < right;
    if (one_line) {
        ImGui::SameLine();
        ImGui::TextColored(kMutedColour, "|  %s", who.c_str());
        track_last_item("header.user");
    }
    ImGui::SameLine(std::max(after_title, right - sign_out_w));
    if (switch_w > 0) {
        draw_firm_switcher(state);
        ImGui::SameLine();
    }
    if (button("header.sign_out", "Sign out")) sign_out(state);
    if (!one_line) {
        ImGui::PushTextWrapPos(0.0f);
        ImGui::TextColored(kMutedColour, "%s", who.c_str());
        ImGui::PopTextWrapPos();
        track_last_item("header.user");
    }
    mirror_text("header.user", "text", "Signed in as " + who);
    ImGui::Separator();
}

}  // namespace cp::portal
