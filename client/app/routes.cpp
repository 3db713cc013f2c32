#include "client/app/routes.hpp"

#include "client/app/actions.hpp"
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
    }
    return "#/login";
}

void go_to_route(AppState& state, const std::string& raw) {
    if (state.screen == Screen::signed_link) return;  // a link's page has no other screens
    std::string hash = raw.empty() || raw == "#" || raw == "#/" ? "#/invoices" : raw;
    if (state.screen == Screen::invoice_editor && hash != "#/invoices/new" && editor_has_unsaved_changes(state.editor)) {
        state.editor.leave_to_route = hash;
        state.published_route.clear();  // the address bar goes back to the editor's route
        return;
    }
    if (hash == "#/login" || hash == "#/signed-out") {
        state.screen = signed_in(state) ? Screen::invoices : Screen::login;
        if (signed_in(state) && !state.invoices.loaded) load_invoices(state);
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
        state.return_route = hash;
        state.screen = Screen::login;
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
