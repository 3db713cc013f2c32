// The lead editor (create and edit): every field checked by the core's lead validator as
// it is typed, the same function the server runs, so a save the core refuses is never
// sent; the server's own refusals land at their fields too.
#include <imgui.h>

#include <string>
#include <vector>

#include "client/app/crm_actions.hpp"
#include "client/app/routes.hpp"
#include "client/screens/pipeline_screens.hpp"
#include "client/widgets/a11y_tree.hpp"
#include "client/widgets/controls.hpp"
#include "client/widgets/error_text.hpp"
#include "client/widgets/form_fields.hpp"
#include "client/widgets/widget_rects.hpp"
#include "shared/auth/capabilities.hpp"

namespace cp::portal {

void draw_lead_editor_screen(AppState& state) {
    auto& f = state.staff.crm.lead;
    const bool create = f.id.empty();
    const char* title = create ? "New lead" : "Edit lead";
    ImGui::TextUnformatted(title);
    track_last_item("lead.heading");
    mirror_text("lead.heading", "heading", title);
    if (f.loading) {
        ImGui::TextDisabled("loading...");
        return;
    }
    if (f.load_error) {
        draw_error(*f.load_error);
        return;
    }
    f.shown_errors.clear();
    const auto& core = f.touched ? f.core_errors : std::vector<Error>{};
    const auto& server = f.server_errors;
    bool changed = false;
    struct Field {
        const char* key;
        const char* label;
        char* buffer;
        std::size_t size;
        int max_chars;
        const char* hint;
    };
    const Field fields[] = {
        {"company", "Company", f.company.data(), f.company.size(), 200, nullptr},
        {"contact_name", "Contact name", f.contact_name.data(), f.contact_name.size(), 200, nullptr},
        {"contact_email", "Contact email", f.contact_email.data(), f.contact_email.size(), 254,
         "(becomes the client's billing email)"},
        {"source", "Source", f.source.data(), f.source.size(), 100, "(e.g. referral)"},
        {"estimated_value", "Estimated value", f.estimated_value.data(), f.estimated_value.size(), 32, "(e.g. 24000.00)"},
        {"notes", "Notes", f.notes.data(), f.notes.size(), 2000, nullptr},
    };
    std::vector<std::string> drawn;
    for (const auto& field : fields) {
        const std::string id = std::string("lead.") + field.key;
        changed |= labelled_field(id.c_str(), field.label, field.buffer, field.size, field.max_chars,
                                  has_error(core, server, field.key), field.hint);
        field_errors(core, server, field.key, f.shown_errors);
        drawn.push_back(field.key);
    }
    if (!create && f.stored.is_object()) {
        ImGui::Spacing();
        ImGui::TextColored(kMutedColour, "Status %s  ·  %s  ·  last activity %s",
                           f.stored.value("status", "").c_str(), f.stored.value("currency", "").c_str(),
                           f.stored.value("last_activity_at", "").c_str());
    }
    other_errors(core, server, drawn, f.shown_errors);
    if (changed) {
        f.touched = true;
        f.server_errors.clear();
        validate_lead_form(state);
    }
    ImGui::Spacing();
    ImGui::BeginDisabled(f.saving || !auth::role_has(state.session.role, auth::Capability::clients_write));
    if (button("lead.save", f.saving ? "Saving...##save" : create ? "Create lead##save" : "Save lead##save")) save_lead(state);
    ImGui::EndDisabled();
    ImGui::SameLine();
    if (button("lead.cancel", "Cancel")) go_to_route(state, "#/pipeline");
}

}  // namespace cp::portal
