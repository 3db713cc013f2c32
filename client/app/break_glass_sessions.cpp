#include "client/app/break_glass_sessions.hpp"

#include "client/api/api_client.hpp"
#include "client/app/actions.hpp"
#include "client/app/staff_actions.hpp"
#include "shared/auth/capabilities.hpp"

namespace cp::portal {
namespace {
constexpr const char* kPath = "/api/v1/break-glass?limit=200";
}

bool may_manage_break_glass(const AppState& state) {
    return auth::role_has(state.session.role, auth::Capability::break_glass_manage);
}

void load_break_glass_sessions(AppState& state) {
    if (may_manage_break_glass(state)) load_list(state, "break_glass", kPath);
}

void revoke_break_glass_session(AppState& state, const std::string& session_id) {
    auto& list = state.staff.lists["break_glass"];
    if (list.loading) return;
    list.loading = true;
    const nlohmann::json body = {{"reason", "Revoked from the audit log by " + state.session.email}};
    api_request("POST", "/api/v1/break-glass/" + session_id + "/revoke", body.dump(), state.session.token,
                [](AppState& s, const ApiResult& r) {
                    auto& l = s.staff.lists["break_glass"];
                    l.loading = false;
                    if (r.status != 200) {
                        l.error = error_from_api(r);
                        return;
                    }
                    load_list(s, "break_glass", kPath);
                    recheck_break_glass(s);  // the banner follows the server's next answer
                });
}

}  // namespace cp::portal
