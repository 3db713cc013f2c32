#include "server/app/break_glass_banner.hpp"

#include <nlohmann/json.hpp>

#include "server/api/common.hpp"
#include "server/util/clock.hpp"

namespace cp::server {

void add_break_glass_banner(Ctx& ctx, http::Response& response) {
    if (ctx.principal.firm_id.empty()) return;
    // Firm staff only: the operator's address and the internal reason are not the client's.
    if (ctx.principal.kind == PrincipalKind::portal_user) return;
    auto rows = ctx.tx().query(
        "SELECT bg.id, bg.reason, bg.expires_at, o.email, o.name FROM break_glass_sessions bg "
        "JOIN platform_operators o ON o.id = bg.operator_id "
        "WHERE bg.firm_id = ? AND bg.status = 'active' AND bg.expires_at > ? ORDER BY bg.id",
        {ctx.principal.firm_id, ctx.now});
    if (rows.empty()) return;
    const auto& r = rows.front();
    nlohmann::json banner{{"session_id", r.str("id")},
                          {"operator", r.str("email")},
                          {"operator_name", r.str("name")},
                          {"reason", r.str("reason")},
                          {"expires_at", iso_time(r.i64("expires_at"))}};
    // ASCII-only JSON: header values must not carry raw UTF-8 or control characters.
    api::add_header(response, "X-Break-Glass", banner.dump(-1, ' ', true));
}

}  // namespace cp::server
