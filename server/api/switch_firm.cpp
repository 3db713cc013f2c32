// Switching firms without signing in again: a member of several firms trades the calling
// session for one in another of their firms. The answer is login's, the old token is
// revoked in the same transaction, and both firms' audit chains record the move. A firm the
// account has no active membership in (or one that no longer admits reads) is 404 whether
// or not it exists, so the endpoint cannot be used to probe other firms' slugs.
#include "server/api/handlers.hpp"
#include "server/api/member_session.hpp"
#include "server/auth/sessions.hpp"
#include "shared/state/firm_status.hpp"
#include "shared/validation/membership_validation.hpp"

namespace cp::api {
namespace {

std::optional<storage::Row> membership_in(Ctx& ctx, const std::string& firm) {
    auto row = ctx.tx().query_one(
        "SELECT m.id, m.role, f.id AS firm_id, f.name AS firm_name, f.slug AS firm_slug, "
        "f.status AS firm_status FROM memberships m JOIN firms f ON f.id = m.firm_id "
        "WHERE m.user_id = ? AND m.status = 'active' AND (f.slug = ? OR f.id = ?)",
        {ctx.principal.user_id, firm, firm});
    if (!row) return std::nullopt;
    // Like login: an offboarding firm still admits its members to read and export.
    auto status = state::firm_status_from_string(row->str("firm_status"));
    if (!status || !state::firm_is_readable(*status)) return std::nullopt;
    return row;
}

server::audit::Event switch_event(Ctx& ctx, const std::string& firm_id, const std::string& role,
                                  const std::string& action, const storage::Row& to) {
    auto e = audit_event(ctx, "AUTH", action);
    e.firm_id = firm_id;
    e.actor_role = role;
    e.metadata["from_firm_id"] = ctx.principal.firm_id;
    e.metadata["to_firm_id"] = to.str("firm_id");
    return e;
}

}  // namespace

Response switch_firm(Ctx& ctx) {
    // Only a member's own session: portal users, operators and break-glass sessions are
    // bound to one firm by design.
    if (ctx.principal.kind != server::PrincipalKind::member) {
        return forbidden("MEMBERS_ONLY", "Only a firm member's session can switch firms.");
    }
    Response err;
    auto body = parse_object(ctx, err);
    if (!body) return err;
    if (auto errors = validation::validate_switch_firm(*body); !errors.empty()) return validation_failed(errors);
    auto target = membership_in(ctx, (*body)["firm"].get<std::string>());
    if (!target) return not_found();
    auto user = ctx.tx().query_one("SELECT id, email, name FROM users WHERE id = ?", {ctx.principal.user_id});
    if (!user) return not_found();

    record(ctx, switch_event(ctx, ctx.principal.firm_id, ctx.principal.role, "auth.switch_firm_out", *target));
    record(ctx, switch_event(ctx, target->str("firm_id"), target->str("role"), "auth.switch_firm_in", *target));
    server::revoke_session(ctx.tx(), ctx.principal.session_id, ctx.now);
    return member_session_answer(ctx, *user, *target);
}

}  // namespace cp::api
