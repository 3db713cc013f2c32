// Login, logout, me. Login answers "Email or password is incorrect." for every failure
// before the password is proven, so it reveals nothing about which accounts exist; it
// verifies a decoy hash for unknown emails so timing does not tell either.
#include <algorithm>
#include <cctype>

#include "server/api/handlers.hpp"
#include "server/api/member_session.hpp"
#include "server/auth/passwords.hpp"
#include "server/auth/sessions.hpp"
#include "shared/state/firm_status.hpp"
#include "shared/validation/membership_validation.hpp"

namespace cp::api {
namespace {

using server::Capability;

Response invalid_credentials() {
    return error_response(401, "INVALID_CREDENTIALS", "Email or password is incorrect.");
}

std::string lower(std::string s) {
    std::transform(s.begin(), s.end(), s.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return s;
}

json capabilities_of(const std::string& role) {
    json caps = json::array();
    for (int c = 0; c <= static_cast<int>(Capability::time_own); ++c) {
        auto cap = static_cast<Capability>(c);
        if (server::role_has(role, cap)) caps.push_back(std::string(server::to_string(cap)));
    }
    return caps;
}

json firm_summary(const storage::Row& r) {
    return {{"id", r.str("firm_id")},
            {"name", r.str("firm_name")},
            {"slug", r.str("firm_slug")},
            {"status", r.str("firm_status")}};
}

bool firm_usable(const std::string& status) {
    auto s = state::firm_status_from_string(status);
    return s && state::firm_is_usable(*s);
}

Response token_body(const server::IssuedToken& t, json extra) {
    extra["token"] = t.token;
    extra["token_type"] = "Bearer";
    extra["expires_at"] = iso(t.expires_at);
    return json_response(200, extra);
}

void audit_login(Ctx& ctx, const std::string& firm_id, const std::string& actor_type,
                 const std::string& actor_id, const std::string& email, const std::string& role, bool ok,
                 const std::string& why = "") {
    server::audit::Event e;
    e.firm_id = firm_id.empty() ? server::audit::kPlatformChain : firm_id;
    e.category = "AUTH";
    e.action = ok ? "auth.login" : "auth.login_failed";
    e.severity = ok ? "INFO" : "WARNING";
    e.actor_type = actor_type;
    e.actor_id = actor_id;
    e.actor_role = role;
    e.actor_email = email;
    e.outcome = ok ? "success" : "failure";
    e.metadata = {{"remote_address", ctx.req.remote_address}, {"request_id", ctx.request_id}};
    if (!why.empty()) e.metadata["why"] = why;
    record(ctx, e);
}

Response login_member(Ctx& ctx, const storage::Row& user, const std::string& firm_slug) {
    auto rows = ctx.tx().query(
        "SELECT m.id, m.role, f.id AS firm_id, f.name AS firm_name, f.slug AS firm_slug, "
        "f.status AS firm_status FROM memberships m JOIN firms f ON f.id = m.firm_id "
        "WHERE m.user_id = ? AND m.status = 'active' ORDER BY f.slug",
        {user.str("id")});
    const storage::Row* chosen = nullptr;
    if (!firm_slug.empty()) {
        for (const auto& r : rows) {
            if (r.str("firm_slug") == firm_slug) chosen = &r;
        }
    } else if (rows.size() == 1) {
        chosen = &rows.front();
    } else if (rows.size() > 1) {
        json firms = json::array();
        for (const auto& r : rows) firms.push_back(firm_summary(r));
        auto resp = error_response(
            409, "FIRM_SELECTION_REQUIRED",
            "You belong to several firms: repeat the login with \"firm\" set to one slug.", "firm");
        auto body = json::parse(resp.body);
        body["firms"] = firms;
        resp.body = body.dump();
        return resp;
    }
    if (!chosen) return forbidden("NO_MEMBERSHIP", "This account has no active membership in that firm.");
    // Members of an offboarding firm still sign in: to read, export and cancel.
    auto firm_status = state::firm_status_from_string(chosen->str("firm_status"));
    if (!firm_status || !state::firm_is_readable(*firm_status)) {
        return forbidden("FIRM_CONTEXT_REQUIRED", "The firm is not active.");
    }
    audit_login(ctx, chosen->str("firm_id"), "member", user.str("id"), user.str("email"), chosen->str("role"),
                true);
    return member_session_answer(ctx, user, *chosen);
}

}  // namespace

Response member_session_answer(Ctx& ctx, const storage::Row& user, const storage::Row& membership) {
    server::SessionBinding b{"member", membership.str("firm_id"), membership.str("id"), "", "", ""};
    auto t = server::issue_token(ctx.tx(), b, ctx.now, ctx.app.config().session_ttl_seconds);
    return token_body(
        t, {{"user", {{"id", user.str("id")}, {"email", user.str("email")}, {"name", user.str("name")}}},
            {"membership",
             {{"id", membership.str("id")},
              {"role", membership.str("role")},
              {"firm", firm_summary(membership)},
              {"capabilities", capabilities_of(membership.str("role"))}}}});
}

namespace {

Response login_portal(Ctx& ctx, const storage::Row& pu) {
    auto f = ctx.tx().query_one(
        "SELECT f.status, c.portal_enabled, c.name FROM firms f JOIN clients c ON c.firm_id = f.id "
        "WHERE f.id = ? AND c.id = ?",
        {pu.str("firm_id"), pu.str("client_id")});
    if (!f || !firm_usable(f->str("status")))
        return forbidden("FIRM_CONTEXT_REQUIRED", "The firm is not active.");
    if (!f->flag("portal_enabled") || pu.str("status") != "active") {
        return forbidden("PORTAL_ACCESS_DENIED", "Portal access is not enabled for this account.");
    }
    server::SessionBinding b{"portal_user", pu.str("firm_id"), "", pu.str("id"), "", ""};
    auto t = server::issue_token(ctx.tx(), b, ctx.now, ctx.app.config().session_ttl_seconds);
    audit_login(ctx, pu.str("firm_id"), "portal_user", pu.str("id"), pu.str("email"), "", true);
    return token_body(t, {{"portal_user",
                           {{"id", pu.str("id")},
                            {"email", pu.str("email")},
                            {"name", pu.str("name")},
                            {"client_id", pu.str("client_id")},
                            {"client_name", f->str("name")},
                            {"can_view_billing", pu.flag("can_view_billing")},
                            {"can_view_projects", pu.flag("can_view_projects")}}}});
}

Response login_operator(Ctx& ctx, const storage::Row& op) {
    server::SessionBinding b{"operator", "", "", "", op.str("id"), ""};
    auto t = server::issue_token(ctx.tx(), b, ctx.now, ctx.app.config().session_ttl_seconds);
    audit_login(ctx, "", "operator", op.str("id"), op.str("email"), "operator", true);
    return token_body(t, {{"operator",
                           {{"id", op.str("id")},
                            {"email", op.str("email")},
                            {"name", op.str("name")},
                            {"can_break_glass", op.flag("can_break_glass")}}}});
}

}  // namespace

Response login(Ctx& ctx) {
    Response err;
    auto body = parse_object(ctx, err);
    if (!body) return err;
    // "firm" (slug, for people in several firms) and "kind" (auto|staff|portal|operator)
    // route the login; the credentials themselves are checked by the core's rules.
    json credentials = *body;
    credentials.erase("firm");
    credentials.erase("kind");
    if (auto errors = validation::validate_login(credentials); !errors.empty())
        return validation_failed(errors);
    const std::string email = lower((*body)["email"].get<std::string>());
    const std::string password = (*body)["password"].get<std::string>();
    const std::string kind = str_or(*body, "kind", "auto");  // auto | staff | portal | operator
    const std::string address = ctx.req.remote_address;

    if (auto throttled = begin_password_attempt(ctx, email)) return *throttled;

    std::optional<storage::Row> account;
    std::string account_kind;
    if (kind == "auto" || kind == "staff") {
        account = ctx.tx().query_one("SELECT * FROM users WHERE email = ?", {email});
        if (account) account_kind = "staff";
    }
    if (!account && (kind == "auto" || kind == "portal")) {
        account = ctx.tx().query_one("SELECT * FROM portal_users WHERE email = ?", {email});
        if (account) account_kind = "portal";
    }
    if (!account && kind == "operator") {
        account = ctx.tx().query_one("SELECT * FROM platform_operators WHERE email = ?", {email});
        if (account) account_kind = "operator";
    }
    // Argon2id is deliberately slow: release the database while it runs.
    ctx.commit();
    Response busy;
    auto matched = verify_password(
        ctx, account ? account->str("password_hash") : server::decoy_hash(ctx.app.config().passwords), password,
        busy);
    if (!matched) return busy;
    const bool ok = account && *matched;
    if (!ok) {
        audit_login(ctx, "", "anonymous", "", email, "", false,
                    account ? "wrong_password" : "unknown_account");
        return invalid_credentials();
    }
    ctx.app.throttle().attempt_succeeded(email, address, ctx.now);
    if (account_kind == "staff") return login_member(ctx, *account, str_or(*body, "firm"));
    if (account_kind == "portal") return login_portal(ctx, *account);
    return login_operator(ctx, *account);
}

Response logout(Ctx& ctx) {
    server::revoke_session(ctx.tx(), ctx.principal.session_id, ctx.now);
    record(ctx, audit_event(ctx, "AUTH", "auth.logout"));
    return json_response(200, {{"ok", true}});
}

Response me(Ctx& ctx) {
    using server::PrincipalKind;
    const auto& p = ctx.principal;
    json out{{"object", "principal"}};
    switch (p.kind) {
        case PrincipalKind::member:
            out["kind"] = "member";
            out["user"] = {{"id", p.user_id}, {"email", p.email}};
            out["membership"] = {{"id", p.membership_id},
                                 {"role", p.role},
                                 {"firm_id", p.firm_id},
                                 {"capabilities", capabilities_of(p.role)}};
            break;
        case PrincipalKind::portal_user:
            out["kind"] = "portal_user";
            out["portal_user"] = {{"id", p.portal_user_id},
                                  {"email", p.email},
                                  {"client_id", p.client_id},
                                  {"can_view_billing", p.can_view_billing},
                                  {"can_view_projects", p.can_view_projects}};
            break;
        case PrincipalKind::operator_:
            out["kind"] = "operator";
            out["operator"] = {
                {"id", p.operator_id}, {"email", p.operator_email}, {"can_break_glass", p.can_break_glass}};
            break;
        case PrincipalKind::break_glass:
            out["kind"] = "break_glass";
            out["operator"] = {{"id", p.operator_id}, {"email", p.operator_email}};
            out["break_glass"] = {{"id", p.break_glass_id},
                                  {"firm_id", p.firm_id},
                                  {"reason", p.break_glass_reason},
                                  {"expires_at", iso(p.break_glass_expires_at)},
                                  {"impersonated_membership_id",
                                   p.membership_id.empty() ? json(nullptr) : json(p.membership_id)},
                                  {"role", p.role},
                                  {"capabilities", capabilities_of(p.role)}};
            break;
        case PrincipalKind::anonymous:
            break;
    }
    return json_response(200, out);
}

}  // namespace cp::api
