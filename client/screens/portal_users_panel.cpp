#include "client/screens/portal_users_panel.hpp"

#include <imgui.h>

#include <algorithm>

#include "client/app/json_text.hpp"
#include "client/app/portal_user_actions.hpp"
#include "client/widgets/a11y_tree.hpp"
#include "client/widgets/controls.hpp"
#include "client/widgets/error_text.hpp"
#include "client/widgets/form_fields.hpp"
#include "shared/auth/capabilities.hpp"

namespace cp::portal {
namespace {

void draw_list(const PortalUsers& u) {
    if (u.loading) ImGui::TextDisabled("loading...");
    if (u.load_error) draw_error(*u.load_error);
    if (!u.loading && u.rows.empty()) ImGui::TextDisabled("No portal users yet: nobody at this client can sign in.");
    for (std::size_t k = 0; k < u.rows.size(); ++k) {
        const auto& row = u.rows[k];
        const std::string line = text_of(row, "name") + " <" + text_of(row, "email") + ">, " + text_of(row, "status");
        ImGui::BulletText("%s", line.c_str());
        mirror_text(("portal_users.row." + std::to_string(k)).c_str(), "text", line);
    }
}

}  // namespace

void draw_portal_users_panel(AppState& state, const std::string& client_id, bool portal_enabled) {
    show_portal_users(state, client_id);
    auto& u = state.portal_users;
    ImGui::Spacing();
    ImGui::Separator();
    ImGui::TextUnformatted("Portal users");
    mirror_text("portal_users.heading", "heading", "Portal users");
    // The server refuses their sign-in (PORTAL_ACCESS_DENIED) while the client's portal is off.
    if (!portal_enabled) {
        const char* off = "The client portal is off for this client: its users cannot sign in until "
                          "\"Client portal enabled\" is ticked and saved above.";
        ImGui::PushStyleColor(ImGuiCol_Text, kErrorColour);
        ImGui::TextWrapped("%s", off);
        ImGui::PopStyleColor();
        mirror_text("portal_users.portal_off", "status", off);
    }
    draw_list(u);
    if (!auth::role_has(state.session.role, auth::Capability::clients_write)) return;
    static const std::vector<Error> none;
    const auto& core = u.touched ? u.core_errors : none;
    u.shown_errors.clear();
    ImGui::TextColored(kMutedColour, "Add a portal user: they sign in with this email and password to see and pay invoices.");
    bool changed = labelled_field("portal_user.name", "Name", u.name.data(), u.name.size(), 200, has_error(core, u.server_errors, "name"));
    field_errors(core, u.server_errors, "name", u.shown_errors);
    changed |= labelled_field("portal_user.email", "Email", u.email.data(), u.email.size(), 254,
                              has_error(core, u.server_errors, "email"));
    field_errors(core, u.server_errors, "email", u.shown_errors);
    ImGui::TextUnformatted("Password");
    TextFieldSpec password{"portal_user.password", "Password", 256, true, has_error(core, u.server_errors, "password")};
    password.width = std::min(ImGui::GetContentRegionAvail().x, 420.0f * ImGui::GetFontSize() / 16.0f);
    changed |= text_field(password, u.password.data(), u.password.size()).changed;
    field_errors(core, u.server_errors, "password", u.shown_errors);
    other_errors(core, u.server_errors, {"name", "email", "password"}, u.shown_errors);
    if (changed) {
        u.touched = true;
        u.server_errors.clear();
        u.notice.clear();
        judge_portal_user(state);
    }
    ImGui::BeginDisabled(u.saving);
    if (button("portal_user.create", u.saving ? "Adding..." : "Add portal user")) create_portal_user(state);
    ImGui::EndDisabled();
    if (!u.notice.empty()) {
        ImGui::TextColored(ImVec4(0.12f, 0.48f, 0.25f, 1), "%s", u.notice.c_str());
        mirror_text("portal_user.notice", "status", u.notice);
    }
}

}  // namespace cp::portal
