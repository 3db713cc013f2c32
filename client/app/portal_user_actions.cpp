#include "client/app/portal_user_actions.hpp"

#include <cstring>

#include "client/api/api_client.hpp"
#include "client/app/json_text.hpp"
#include "client/app/staff_actions.hpp"
#include "shared/validation/membership_validation.hpp"

namespace cp::portal {
namespace {

nlohmann::json body_of(const PortalUsers& f) {
    return {{"name", str(f.name)}, {"email", str(f.email)}, {"password", str(f.password)}};
}

void load(AppState& state) {
    auto& u = state.portal_users;
    u.loading = true;
    u.load_error.reset();
    const std::string id = u.client_id;
    api_request("GET", "/api/v1/clients/" + id + "/portal-users?limit=200", "", state.session.token,
                [id](AppState& s, const ApiResult& r) {
                    if (s.portal_users.client_id != id) return;
                    s.portal_users.loading = false;
                    auto j = parse_answer(r.body);
                    if (r.status != 200 || !j.is_object() || !j.contains("data") || !j["data"].is_array()) {
                        s.portal_users.load_error = error_from_api(r);
                        return;
                    }
                    s.portal_users.rows = j["data"];
                });
}

}  // namespace

void show_portal_users(AppState& state, const std::string& client_id) {
    if (state.portal_users.client_id == client_id) return;
    state.portal_users = {};
    state.portal_users.client_id = client_id;
    load(state);
}

void judge_portal_user(AppState& state) {
    auto body = body_of(state.portal_users);
    body["role"] = "staff";  // the account rules take a role; a portal user has none of the firm's
    state.portal_users.core_errors = validation::validate_membership(body, validation::Mode::create);
}

void create_portal_user(AppState& state) {
    auto& u = state.portal_users;
    u.touched = true;
    judge_portal_user(state);
    if (u.saving || u.client_id.empty() || !u.core_errors.empty()) return;
    u.saving = true;
    u.server_errors.clear();
    u.notice.clear();
    const std::string id = u.client_id;
    api_request("POST", "/api/v1/clients/" + id + "/portal-users", body_of(u).dump(), state.session.token,
                [id](AppState& s, const ApiResult& r) {
                    auto& users = s.portal_users;
                    if (users.client_id != id) return;
                    users.saving = false;
                    auto j = parse_answer(r.body);
                    if (r.status != 201 || !j.is_object()) {
                        users.server_errors = errors_of(r);
                        return;
                    }
                    users.notice = "Added " + text_of(j, "email") + ": they can sign in now.";
                    // The password leaves memory once the server has it.
                    std::memset(users.password.data(), 0, users.password.size());
                    users.name = {};
                    users.email = {};
                    users.touched = false;
                    users.rows.push_back(j);
                });
}

}  // namespace cp::portal
