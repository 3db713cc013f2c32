// The firm workspace's frame: the sidebar of sections a role may use (a folding menu on a
// phone) and the breadcrumbs above each screen.
#include <imgui.h>

#include <optional>
#include <string>
#include <vector>

#include "client/app/crm_actions.hpp"
#include "client/app/routes.hpp"
#include "client/app/workspace.hpp"
#include "client/screens/screens.hpp"
#include "client/widgets/a11y_tree.hpp"
#include "client/widgets/controls.hpp"
#include "client/widgets/error_text.hpp"
#include "client/widgets/widget_rects.hpp"

namespace cp::portal {
namespace {

std::optional<Section> current_section(const AppState& state) {
    switch (state.screen) {
        case Screen::invoices:
        case Screen::invoice_editor:
        case Screen::invoice_detail: return Section::invoices;
        case Screen::staff: return state.staff.section;
        default: return std::nullopt;
    }
}

struct Crumb {
    std::string label;
    std::string route;  // empty: where the person is
};

std::vector<Crumb> crumbs_of(const AppState& state) {
    std::vector<Crumb> out;
    const std::string firm = state.session.firm_name.empty() ? "Workspace" : state.session.firm_name;
    out.push_back({firm, home_route(state.session.role, false)});
    auto section = current_section(state);
    if (!section) return out;
    const auto& info = section_info(*section);
    std::string third;
    if (state.screen == Screen::invoice_editor) third = "New invoice";
    if (state.screen == Screen::invoice_detail) {
        const auto& inv = state.detail.invoice;
        third = inv.is_object() && inv.contains("number") && inv["number"].is_string() ? inv["number"].get<std::string>()
                                                                                       : std::string("Draft");
    }
    if (state.screen == Screen::staff && *section == Section::pipeline) {
        third = pipeline_crumb(state);
    } else if (state.screen == Screen::staff && !state.staff.sub.empty()) {
        if (state.staff.sub == "new") {
            third = *section == Section::clients ? "New client" : "New engagement";
        } else if (*section == Section::engagements) {
            const auto& stored = state.staff.engagement_edit.stored;
            third = stored.is_object() ? stored.value("name", state.staff.sub) : state.staff.sub;
        } else {
            const auto& stored = state.staff.client_form.stored;
            third = stored.is_object() ? stored.value("company_name", state.staff.sub) : state.staff.sub;
        }
    }
    out.push_back({info.title, third.empty() ? std::string{} : std::string("#/") + info.slug});
    if (!third.empty()) out.push_back({third, {}});
    return out;
}

}  // namespace

bool is_workspace_screen(const AppState& state) {
    return !state.session.is_portal_user && !state.session.token.empty() && current_section(state).has_value();
}

void draw_sidebar(AppState& state, float width) {
    const auto current = current_section(state);
    ImGui::PushStyleColor(ImGuiCol_ChildBg, ImVec4(0.91f, 0.93f, 0.96f, 1.0f));
    ImGui::BeginChild("sidebar", ImVec2(width, 0), false, ImGuiWindowFlags_AlwaysUseWindowPadding);
    draw_global_search(state);
    ImGui::TextColored(kMutedColour, "WORKSPACE");
    mirror_text("nav.heading", "heading", "Sections");
    ImGui::Spacing();
    std::string go;
    for (Section s : visible_sections(state.session.role)) {
        const auto& info = section_info(s);
        ImGui::PushStyleVar(ImGuiStyleVar_SelectableTextAlign, ImVec2(0.0f, 0.5f));
        const float h = ImGui::GetTextLineHeight() * 1.7f;
        if (link(std::string("nav.") + info.slug, info.title, current && *current == s, 0.0f) ) go = std::string("#/") + info.slug;
        (void)h;
        ImGui::PopStyleVar();
    }
    ImGui::EndChild();
    ImGui::PopStyleColor();
    if (!go.empty()) go_to_route(state, go);
}

void draw_narrow_menu(AppState& state) {
    const auto current = current_section(state);
    const std::string label = std::string(state.staff.menu_open ? "Close menu" : "Menu") + "  |  " +
                              (current ? section_info(*current).title : "") + "##menu";
    if (button("nav.menu", label.c_str(), false, ImVec2(-1, 0))) state.staff.menu_open = !state.staff.menu_open;
    if (!state.staff.menu_open) return;
    draw_global_search(state);
    std::string go;
    for (Section s : visible_sections(state.session.role)) {
        const auto& info = section_info(s);
        if (link(std::string("nav.") + info.slug, info.title, current && *current == s)) go = std::string("#/") + info.slug;
    }
    ImGui::Separator();
    if (!go.empty()) {
        state.staff.menu_open = false;
        go_to_route(state, go);
    }
}

void draw_breadcrumbs(AppState& state) {
    const auto crumbs = crumbs_of(state);
    std::string go, trail;
    for (std::size_t i = 0; i < crumbs.size(); ++i) {
        if (i > 0) {
            ImGui::SameLine(0, 4);
            ImGui::TextColored(kMutedColour, "/");
            ImGui::SameLine(0, 4);
            trail += " / ";
        }
        trail += crumbs[i].label;
        const std::string id = "crumb." + std::to_string(i);
        if (crumbs[i].route.empty()) {
            ImGui::TextUnformatted(crumbs[i].label.c_str());
            track_last_item(id);
        } else {
            ImGui::PushStyleColor(ImGuiCol_Text, ImVec4(0.12f, 0.33f, 0.68f, 1.0f));
            const float w = ImGui::CalcTextSize(crumbs[i].label.c_str()).x;
            if (link(id, crumbs[i].label, false, w)) go = crumbs[i].route;
            ImGui::PopStyleColor();
        }
    }
    mirror_text("crumbs", "text", "You are here: " + trail);
    ImGui::Spacing();
    if (!go.empty()) go_to_route(state, go);
}

}  // namespace cp::portal
