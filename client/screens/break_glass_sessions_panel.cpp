#include "client/screens/break_glass_sessions_panel.hpp"
#include "client/app/json_text.hpp"

#include <imgui.h>

#include <string>

#include "client/app/break_glass_sessions.hpp"
#include "client/widgets/a11y_tree.hpp"
#include "client/widgets/controls.hpp"
#include "client/widgets/error_text.hpp"
#include "client/widgets/widget_rects.hpp"

namespace cp::portal {
namespace {

std::string minute(const std::string& iso) {
    std::string t = iso.substr(0, 16);
    if (t.size() > 10 && t[10] == 'T') t[10] = ' ';
    return t.empty() ? "-" : t + " UTC";
}

}  // namespace

void draw_break_glass_sessions(AppState& state) {
    if (!may_manage_break_glass(state)) return;
    auto& list = state.staff.lists["break_glass"];
    ImGui::TextUnformatted("Operator access (break-glass sessions)");
    mirror_text("break_glass.heading", "heading", "Operator access (break-glass sessions)");
    if (list.error) draw_error(*list.error);
    if (list.loaded && list.rows.empty()) {
        ImGui::TextDisabled("No operator has opened a session on this firm.");
        return;
    }
    int n = 0;
    for (const auto& s : list.rows) {
        const std::string id = "break_glass.session." + std::to_string(n);
        const std::string status = text_of(s, "status");
        std::string line = minute(text_of(s, "opened_at")) + "  " + status + "  \"" + text_of(s, "reason") + "\"";
        line += status == "active" ? "  until " + minute(text_of(s, "expires_at"))
                                   : "  closed " + minute(text_of(s, "closed_at"));
        if (status == "active") {
            ImGui::TextColored(kErrorColour, "%s", line.c_str());
        } else {
            ImGui::TextUnformatted(line.c_str());
        }
        track_last_item(id);
        mirror_text(id.c_str(), "row", line);
        if (status == "active") {
            ImGui::SameLine();
            const std::string revoke = "break_glass.revoke." + std::to_string(n);
            if (button(revoke.c_str(), list.loading ? "Revoking..." : "Revoke", true)) {
                revoke_break_glass_session(state, text_of(s, "id"));
            }
        }
        ++n;
    }
    ImGui::Separator();
}

}  // namespace cp::portal
