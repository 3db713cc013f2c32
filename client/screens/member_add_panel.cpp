// Members: add a member (email, name, role and a first password), judged as typed by the
// core's validate_membership, the server's own check of the same body.
#include <imgui.h>

#include <algorithm>
#include <string>
#include <vector>

#include "client/app/staff_actions.hpp"
#include "client/screens/screens.hpp"
#include "client/widgets/a11y_tree.hpp"
#include "client/widgets/controls.hpp"
#include "client/widgets/error_text.hpp"
#include "client/widgets/form_fields.hpp"
#include "client/widgets/widget_rects.hpp"

namespace cp::portal {

void draw_member_add_panel(AppState& state) {
    auto& f = state.staff.member_add;
    ImGui::Spacing();
    ImGui::TextUnformatted("Add a member");
    track_last_item("members.add.title");
    mirror_text("members.add.title", "heading", "Add a member");
    f.shown_errors.clear();
    const auto& core = f.touched ? f.core_errors : std::vector<Error>{};
    const auto& server = f.server_errors;
    bool changed = labelled_field("members.add.email", "Email", f.email.data(), f.email.size(), 254,
                                  has_error(core, server, "email"));
    field_errors(core, server, "email", f.shown_errors);
    changed |= labelled_field("members.add.name", "Name", f.name.data(), f.name.size(), 200, has_error(core, server, "name"));
    field_errors(core, server, "name", f.shown_errors);
    changed |= choice("members.add.role", "Role", f.role_index, kMemberRoles, 5);
    field_errors(core, server, "role", f.shown_errors);
    // A password field: the label above, the text masked.
    ImGui::TextUnformatted("First password");
    ImGui::SameLine();
    ImGui::TextColored(kMutedColour, "(12+ characters; someone who already has an account gives their own)");
    TextFieldSpec spec{"members.add.password", "First password", 256, true, has_error(core, server, "password")};
    spec.width = std::min(ImGui::GetContentRegionAvail().x, 420.0f * ImGui::GetFontSize() / 16.0f);
    changed |= text_field(spec, f.password.data(), f.password.size()).changed;
    field_errors(core, server, "password", f.shown_errors);
    other_errors(core, server, {"email", "name", "role", "password"}, f.shown_errors);
    if (changed) {
        f.touched = true;
        f.server_errors.clear();
        f.notice.clear();
        validate_member_add(f);
    }
    ImGui::BeginDisabled(f.saving);
    if (button("members.add.submit", f.saving ? "Adding...##add" : "Add member##add")) add_member(state);
    ImGui::EndDisabled();
    if (!f.notice.empty()) {
        ImGui::SameLine();
        ImGui::TextColored(ImVec4(0.12f, 0.48f, 0.25f, 1), "%s", f.notice.c_str());
        mirror_text("members.add.notice", "status", f.notice);
    }
}

}  // namespace cp::portal
