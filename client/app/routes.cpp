#include "client/app/routes.hpp"

#include <optional>
#include <utility>

#include "client/app/actions.hpp"
#include "client/app/staff_actions.hpp"
#include "client/app/workspace.hpp"
#include "client/platform/page_bridge.hpp"

namespace cp::portal {
namespace {

constexpr const char* kInvoicesPrefix = "#/invoices/";

bool is_invoice_id(const std::string& s) {
    if (s.empty() || s.size() > 64) return false;
    for (char c : s) {
        const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
        if (!ok) return false;
    }
    return true;
}

bool signed_in(const AppState& s) { return !s.session.token.empty(); }

// "#/clients" -> {clients, ""}; "#/clients/new" -> {clients, "new"}; "#/clients/cli_1" ->
// {clients, "cli_1"}. Only sections whose items have pages take a second part.
std::optional<std::pair<Section, std::string>> workspace_route(const std::string& hash) {
    if (hash.rfind("#/", 0) != 0) return std::nullopt;
    const std::string rest = hash.substr(2);
    const auto slash = rest.find('/');
    auto section = section_by_slug(rest.substr(0, slash));
    if (!section) return std::nullopt;
    if (slash == std::string::npos) return std::pair{*section, std::string{}};
    const std::string sub = rest.substr(slash + 1);
    const bool has_items =
        *section == Section::clients || *section == Section::engagements || *section == Section::pipeline;
    if (!has_items || !is_invoice_id(sub)) return std::nullopt;
    return std::pair{*section, sub};
}

}  // namespace

std::string route_of(const AppState& state) {
    switch (state.screen) {
        case Screen::login: return "#/login";
        case Screen::session_expired: return "#/signed-out";
        case Screen::invoices: return "#/invoices";
        case Screen::invoice_editor: return "#/invoices/new";
        case Screen::invoice_detail: return kInvoicesPrefix + state.detail.id;
        case Screen::not_found: return state.published_route.empty() ? "#/not-found" : state.published_route;
        case Screen::signed_link: return {};  // the address is the link itself (/i/<token>)
        case Screen::staff:
            return std::string("#/") + section_info(state.staff.section).slug +
                   (state.staff.sub.empty() ? std::string{} : "/" + state.staff.sub);
    }
    return "#/login";
}

void go_to_route(AppState& state, const std::string& raw) {
    if (state.screen == Screen::signed_link) return;  // a link's page has no other screens
    const std::string home = home_route(state.session.role, state.session.is_portal_user);
    const bool asked_for_home = raw.empty() || raw == "#" || raw == "#/";
    std::string hash = asked_for_home ? home : raw;
    if (state.screen == Screen::invoice_editor && hash != "#/invoices/new" && editor_has_unsaved_changes(state.editor)) {
        state.editor.leave_to_route = hash;
        state.published_route.clear();  // the address bar goes back to the editor's route
        return;
    }
    if (hash == "#/login" || hash == "#/signed-out") {
        if (!signed_in(state)) {
            state.screen = Screen::login;
            return;
        }
        hash = home;
    }
    // The firm workspace's sections: #/<section>[/<new|id>] (invoices keep their own screens).
    if (auto section = workspace_route(hash); section && section->first != Section::invoices) {
        if (!signed_in(state)) {
            state.return_route = hash;
            state.screen = Screen::login;
            return;
        }
        if (state.session.is_portal_user || !section_allowed(state.session.role, section->first)) {
            state.screen = Screen::not_found;
            state.published_route = hash;
            return;
        }
        open_section(state, section->first, section->second);
        return;
    }
    const bool known = hash == "#/invoices" || hash == "#/invoices/new" ||
                       (hash.rfind(kInvoicesPrefix, 0) == 0 && is_invoice_id(hash.substr(std::string(kInvoicesPrefix).size())));
    if (!known) {
        state.screen = Screen::not_found;
        state.published_route = hash;
        return;
    }
    if (!signed_in(state)) {
        // The start page is chosen by role once signed in; only a real address is kept.
        state.return_route = asked_for_home ? std::string{} : hash;
        state.screen = Screen::login;
        return;
    }
    if (!state.session.is_portal_user && !section_allowed(state.session.role, Section::invoices)) {
        state.screen = Screen::not_found;  // a role without invoices (staff, contractor)
        state.published_route = hash;
        return;
    }
    if (!state.invoices.loaded && !state.invoices.loading) load_invoices(state);
    if (hash == "#/invoices") {
        state.screen = Screen::invoices;
    } else if (hash == "#/invoices/new") {
        if (state.session.is_portal_user) {
            state.screen = Screen::not_found;
            state.published_route = hash;
        } else if (state.screen != Screen::invoice_editor) {
            open_new_invoice(state);
        }
    } else {
        const std::string id = hash.substr(std::string(kInvoicesPrefix).size());
        if (state.screen != Screen::invoice_detail || state.detail.id != id) open_invoice(state, id);
        state.screen = Screen::invoice_detail;
    }
}

void publish_route(AppState& state) {
    if (state.screen == Screen::signed_link) return;  // keep /i/<token> as it is
    const std::string route = route_of(state);
    if (route == state.published_route) return;
    // Screens a person did not choose (signed out, sign-in prompt) replace the entry, so
    // Back does not return to them.
    const bool replace = state.published_route.empty() || state.screen == Screen::session_expired ||
                         state.screen == Screen::login;
    state.published_route = route;
    page::set_route(route, replace);
    page::set_title(state.session.firm_name.empty() ? "ConsultantPro" : state.session.firm_name + " · ConsultantPro");
}

}  // namespace cp::portal
