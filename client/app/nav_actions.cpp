#include "client/app/nav_actions.hpp"

#include "client/api/api_client.hpp"
#include "client/app/actions.hpp"
#include "client/app/json_text.hpp"
#include "client/app/routes.hpp"
#include "client/app/staff_actions.hpp"
#include "client/app/workspace.hpp"

namespace cp::portal {
namespace {

struct SearchList {
    const char* path;
    nlohmann::json GlobalSearch::*rows;
    Section section;  // only lists the role may read are asked
};

// Eight of each: a search box lists a few to choose from, the sections list the rest.
constexpr SearchList kSearchLists[] = {
    {"/api/v1/clients?limit=8&q=", &GlobalSearch::clients, Section::clients},
    {"/api/v1/invoices?limit=8&q=", &GlobalSearch::invoices, Section::invoices},
    {"/api/v1/engagements?limit=8&q=", &GlobalSearch::engagements, Section::engagements},
};

void send_search(AppState& state, const std::string& query) {
    auto& search = state.nav.search;
    search.asked = query;
    search.error.reset();
    search.clients = search.invoices = search.engagements = nlohmann::json::array();
    const int generation = ++search.generation;
    search.pending = 0;
    if (query.empty()) return;
    for (const auto& list : kSearchLists) {
        if (!section_allowed(state.session.role, list.section)) continue;
        ++search.pending;
        ++search.requests;
        auto rows = list.rows;
        api_request("GET", list.path + url_encode(query), "", state.session.token,
                    [generation, rows](AppState& s, const ApiResult& r) {
                        auto& sr = s.nav.search;
                        if (sr.generation != generation) return;  // the person typed on
                        --sr.pending;
                        auto j = parse_answer(r.body);
                        if (r.status != 200 || !j.is_object() || !j.contains("data") || !j["data"].is_array()) {
                            sr.error = error_from_api(r);
                            return;
                        }
                        sr.*rows = j["data"];
                        if (sr.pending == 0 && sr.open_first) open_first_search_result(s);
                    });
    }
}

}  // namespace

void search_typed(AppState& state, double now_ms) { state.nav.search.typed_at_ms = now_ms; }

void poll_search(AppState& state, double now_ms) {
    auto& search = state.nav.search;
    const std::string query = str(search.query);
    if (query == search.asked || now_ms - search.typed_at_ms < kSearchPauseMs) return;
    send_search(state, query);
}

void open_search_result(AppState& state, const std::string& kind, const nlohmann::json& row) {
    const std::string id = text_of(row, "id");
    if (id.empty()) return;
    if (kind == "client") go_to_route(state, "#/clients/" + id);
    if (kind == "invoice") go_to_route(state, "#/invoices/" + id);
    if (kind == "engagement") go_to_route(state, "#/engagements/" + id);
}

void open_first_search_result(AppState& state) {
    auto& search = state.nav.search;
    // Enter right after typing: ask now rather than after the pause, open when answered.
    if (str(search.query) != search.asked || search.pending > 0) {
        search.open_first = true;
        poll_search(state, search.typed_at_ms + kSearchPauseMs);
        return;
    }
    search.open_first = false;
    if (!search.clients.empty()) return open_search_result(state, "client", search.clients[0]);
    if (!search.invoices.empty()) return open_search_result(state, "invoice", search.invoices[0]);
    if (!search.engagements.empty()) return open_search_result(state, "engagement", search.engagements[0]);
}

void load_my_firms(AppState& state) {
    auto& sw = state.nav.switcher;
    if (sw.requested || state.session.token.empty() || state.session.is_portal_user) return;
    sw.requested = true;
    api_request("GET", "/api/v1/firms?limit=200", "", state.session.token, [](AppState& s, const ApiResult& r) {
        auto j = parse_answer(r.body);
        if (r.status != 200 || !j.is_object() || !j.contains("data") || !j["data"].is_array()) return;
        s.nav.switcher.firms = j["data"];
    });
}

void switch_firm(AppState& state, const std::string& slug) {
    auto& sw = state.nav.switcher;
    if (sw.switching) return;
    sw.switching = true;
    sw.error.reset();
    const nlohmann::json body = {{"firm", slug}};
    const std::string email = state.session.email;
    api_request("POST", "/api/v1/auth/switch-firm", body.dump(), state.session.token,
                [email](AppState& s, const ApiResult& r) {
                    s.nav.switcher.switching = false;
                    auto j = parse_answer(r.body);
                    if (r.status != 200 || !j.is_object() || !j.contains("token") || !j["token"].is_string()) {
                        s.nav.switcher.error = error_from_api(r);
                        return;
                    }
                    s.return_route.clear();  // the other firm's home, not this firm's page
                    begin_session(s, j, email);
                });
}

}  // namespace cp::portal
