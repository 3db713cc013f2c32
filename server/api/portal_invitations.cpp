// Portal invitations (issue 14): an accepted proposal that asked for portal access opens
// the client's portal user as 'invited'; its invitation token (256 bits, shown once in the
// acceptance's answer, stored as its SHA-256, 14 days) lets the client choose a password,
// once. Unknown, used or revoked: the one 404; expired: 410 INVITATION_EXPIRED. Lookups are
// throttled per address like signed links.
#include <cctype>

#include "server/api/handlers.hpp"
#include "server/api/link_tokens.hpp"
#include "server/util/crypto.hpp"
#include "shared/validation/membership_validation.hpp"

namespace cp::api {

Response public_accept_portal_invitation(Ctx& ctx) {
    Response err;
    auto body = parse_object(ctx, err);
    if (!body) return err;
    const std::string address = ctx.req.remote_address;
    const std::string account = "link:" + address;
    if (auto wait = ctx.app.throttle().begin_attempt(account, address, ctx.now)) {
        ctx.app.metrics().throttled();
        return too_many_attempts(*wait);
    }
    const std::string token = ctx.param("token");
    std::optional<storage::Row> inv;
    if (is_link_token(token)) {
        inv = ctx.tx().query_one(
            "SELECT i.*, u.email, u.name, u.client_id FROM portal_invitations i JOIN portal_users u ON u.id "
            "= "
            "i.portal_user_id JOIN firms f ON f.id = i.firm_id WHERE i.token_hash = ? AND i.accepted_at IS "
            "NULL AND "
            "u.status = 'invited' AND f.status IN ('trial', 'active')",
            {server::sha256_hex(token)});
    }
    if (!inv) return not_found();
    ctx.app.throttle().attempt_succeeded(account, address, ctx.now);
    if (inv->i64("expires_at") <= ctx.now)
        return error_response(410, "INVITATION_EXPIRED",
                              "This invitation has expired; ask the firm for a new one.");
    // The password follows the same core rules as every account's.
    json check{{"email", inv->str("email")}, {"name", inv->str("name")}, {"role", "staff"}};
    Errors errors;
    for (const auto& [key, value] : body->items()) {
        if (key == "password")
            check[key] = value;
        else
            errors.push_back({"UNKNOWN_FIELD", key, "is not an invitation field"});
    }
    for (auto& e : validation::validate_membership(check, validation::Mode::create)) errors.push_back(e);
    if (!errors.empty()) return validation_failed(errors);
    // Argon2id is slow on purpose: release the database while it runs; the conditional
    // update below makes a second use of the token (or a race) find nothing.
    ctx.commit();
    Response busy;
    auto hash = hash_password(ctx, check["password"].get<std::string>(), busy);
    if (!hash) return busy;
    if (ctx.tx()
            .query("UPDATE portal_invitations SET accepted_at = ? WHERE id = ? AND accepted_at IS NULL "
                   "RETURNING id",
                   {ctx.now, inv->str("id")})
            .empty())
        return not_found();
    ctx.tx().exec(
        "UPDATE portal_users SET password_hash = ?, status = 'active' WHERE id = ? AND status = 'invited'",
        {*hash, inv->str("portal_user_id")});
    ctx.principal.firm_id = inv->str("firm_id");
    auto e = audit_event(ctx, "PERMISSIONS", "portal_user.activate");
    e.actor_id = "invitation:" + inv->str("id");
    e.target_type = "portal_user";
    e.target_id = inv->str("portal_user_id");
    e.target_label = inv->str("email");
    e.metadata["client_id"] = inv->str("client_id");
    record(ctx, e);
    return json_response(
        200, {{"object", "portal_invitation"}, {"status", "accepted"}, {"email", inv->str("email")}});
}

}  // namespace cp::api
