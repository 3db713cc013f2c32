// Pieces of the workspace frame that reach across sections: the global search box (top of
// the sidebar, results grouped under it) and the firm switcher (header, only for accounts
// in two or more firms).
#include <imgui.h>

#include <string>

#include "client/app/json_text.hpp"
#include "client/app/nav_actions.hpp"
#include "client/platform/page_bridge.hpp"
#include "client/screens/screens.hpp"
#include "client/widgets/a11y_tree.hpp"
#include "client/widgets/controls.hpp"
#include "client/widgets/error_text.hpp"
#include "client/widgets/widget_rects.hpp"

namespace cp::portal {
namespace {

std::string invoice_label(const nlohmann::json& inv) {
    std::string label = text_of(inv, "number");
    const std::string client = text_of(inv, "client_name");
    if (!client.empty()) label += " · " + client;
    return label;
}

std::string engagement_label(const nlohmann::json& e) {
    return text_of(e, "name") + " (v" + text_of(e, "version") + ")";
}

// One group of results; returns the kind and row a person opened, if any.
void draw_group(const char* kind, const char* title, const nlohmann::json& rows,
                std::string (*label_of)(const nlohmann::json&), std::string& opened_kind, nlohmann::json& opened) {
    if (!rows.is_array() || rows.empty()) return;
    const std::string heading_id = std::string("search.") + kind + "s";
    ImGui::TextColored(kMutedColour, "%s", title);
    mirror_text(heading_id.c_str(), "heading", title);
    for (std::size_t i = 0; i < rows.size(); ++i) {
        const std::string id = std::string("search.") + kind + "." + std::to_string(i);
        if (link(id, label_of(rows[i]))) {
            opened_kind = kind;
            opened = rows[i];
        }
    }
}

std::string client_label(const nlohmann::json& c) { return text_of(c, "company_name"); }

}  // namespace

void draw_global_search(AppState& state) {
    auto& search = state.nav.search;
    const double now = page::now_ms();
    ImGui::TextColored(kMutedColour, "SEARCH");
    auto typed = text_field({"search.query", "Search clients, invoices, engagements", 100},
                            search.query.data(), search.query.size());
    if (typed.changed) search_typed(state, now);
    if (typed.submitted) open_first_search_result(state);
    poll_search(state, now);
    if (str(search.query).empty() || search.asked.empty()) return;

    std::string kind;
    nlohmann::json row;
    draw_group("client", "Clients", search.clients, client_label, kind, row);
    draw_group("invoice", "Invoices", search.invoices, invoice_label, kind, row);
    draw_group("engagement", "Engagements", search.engagements, engagement_label, kind, row);
    if (search.pending > 0) {
        ImGui::TextDisabled("searching...");
    } else if (search.error) {
        draw_error(*search.error);
    } else if (search.clients.empty() && search.invoices.empty() && search.engagements.empty()) {
        ImGui::TextDisabled("No matches");
        mirror_text("search.none", "status", "No matches for " + search.asked);
    }
    ImGui::Separator();
    if (!kind.empty()) open_search_result(state, kind, row);
}

float firm_switcher_width(AppState& state) {
    load_my_firms(state);
    if (state.nav.switcher.firms.size() < 2) return 0.0f;
    return ImGui::CalcTextSize("Switch firm").x + ImGui::GetStyle().FramePadding.x * 2 + ImGui::GetStyle().ItemSpacing.x;
}

void draw_firm_switcher(AppState& state) {
    auto& sw = state.nav.switcher;
    if (sw.firms.size() < 2) return;
    ImGui::BeginDisabled(sw.switching);
    if (button("header.switch_firm", sw.switching ? "Switching...##switch_firm" : "Switch firm##switch_firm")) {
        ImGui::OpenPopup("switch_firm_popup");
    }
    ImGui::EndDisabled();
    if (ImGui::BeginPopup("switch_firm_popup")) {
        ImGui::TextColored(kMutedColour, "Work in another firm");
        std::string chosen;
        for (const auto& f : sw.firms) {
            const std::string slug = text_of(f, "slug");
            const std::string name = text_of(f, "name");
            if (slug.empty() || name == state.session.firm_name) continue;
            const std::string id = "header.switch_firm." + slug;
            const std::string label = name + " (" + text_of(f, "role") + ")##" + id;
            if (button(id.c_str(), label.c_str())) chosen = slug;
        }
        if (!chosen.empty()) {
            ImGui::CloseCurrentPopup();
            switch_firm(state, chosen);
        }
        ImGui::EndPopup();
    }
    if (sw.error) draw_error(*sw.error);
}

}  // namespace cp::portal
