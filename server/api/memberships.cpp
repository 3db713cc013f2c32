// Firm members. Only an owner may grant or take away the owner role, and a firm always
// keeps at least one active owner. Changes are PERMISSIONS audit events.
#include <algorithm>
#include <cctype>

#include "server/api/handlers.hpp"
#include "server/api/quotas.hpp"
#include "server/api/serializers.hpp"
#include "server/auth/passwords.hpp"
#include "server/util/crypto.hpp"
#include "shared/validation/membership_validation.hpp"

namespace cp::api {
namespace {

// A macro so queries are joined at compile time (literal concatenation).
#define CP_MEMBERSHIP_SELECT \
    "SELECT m.*, u.email, u.name FROM memberships m JOIN users u ON u.id = m.user_id "

std::optional<storage::Row> find(Ctx& ctx, const std::string& id) {
    return ctx.tx().query_one(CP_MEMBERSHIP_SELECT "WHERE m.id = ? AND m.firm_id = ?",
                              {id, ctx.principal.firm_id});
}

bool caller_is_owner(const Ctx& ctx) { return ctx.principal.can(server::Capability::firm_settings); }

std::int64_t active_owners(Ctx& ctx) {
    auto r = ctx.tx().query_one(
        "SELECT COUNT(*) AS n FROM memberships WHERE firm_id = ? AND role = 'owner' AND status = 'active'",
        {ctx.principal.firm_id});
    return r ? r->i64("n") : 0;
}

}  // namespace

Response list_memberships(Ctx& ctx) {
    Response err;
    auto page = parse_page(ctx, err);
    if (!page) return err;
    auto rows = ctx.tx().query(CP_MEMBERSHIP_SELECT "WHERE m.firm_id = ? AND m.id > ? ORDER BY m.id LIMIT ?",
                               {ctx.principal.firm_id, page->cursor, page->limit + 1});
    json items = json::array();
    for (const auto& r : rows) items.push_back(membership_json(r));
    return json_response(200, list_body(items, *page));
}

Response create_membership(Ctx& ctx) {
    Response err;
    auto body = parse_object(ctx, err);
    if (!body) return err;
    if (auto errors = validation::validate_membership(*body, validation::Mode::create); !errors.empty()) {
        return validation_failed(errors);
    }
    const std::string role = (*body)["role"];
    if (role == "owner" && !caller_is_owner(ctx))
        return forbidden("FORBIDDEN", "Only an owner may add an owner.");
    std::string email = (*body)["email"];
    std::transform(email.begin(), email.end(), email.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    const std::string password = (*body)["password"].get<std::string>();
    // Someone else's account (or a portal login) is never added on a firm admin's word alone:
    // its holder consents by typing its own password, throttled like a login. The answer
    // is the same for both kinds of account.
    const auto account_exists = [] {
        return error_response(409, "ACCOUNT_EXISTS",
                              "This email already has an account: its own password is needed to add it.",
                              "password");
    };
    std::optional<storage::Row> existing =
        ctx.tx().query_one("SELECT id, password_hash FROM users WHERE email = ?", {email});
    const bool portal_email =
        !existing && ctx.tx().query_one("SELECT id FROM portal_users WHERE email = ?", {email});
    if (auto full = check_room_for(ctx, QuotaResource::member)) return *full;
    if (existing && ctx.tx().query_one("SELECT id FROM memberships WHERE firm_id = ? AND user_id = ?",
                                       {ctx.principal.firm_id, existing->str("id")})) {
        return error_response(409, "ALREADY_MEMBER", "That person is already a member.", "email");
    }
    // Argon2id is slow on purpose: release the database while it runs.
    ctx.commit();
    if (portal_email) return account_exists();
    std::string hash;
    if (existing) {
        if (auto throttled = begin_password_attempt(ctx, email)) return *throttled;
        Response busy;
        auto matched = verify_password(ctx, existing->str("password_hash"), password, busy);
        if (!matched) return busy;
        if (!*matched) return account_exists();
        ctx.app.throttle().attempt_succeeded(email, ctx.req.remote_address, ctx.now);
    } else {
        Response busy;
        auto made = hash_password(ctx, password, busy);
        if (!made) return busy;
        hash = std::move(*made);
    }

    auto& tx = ctx.tx();
    std::string user_id;
    if (existing) {
        user_id = existing->str("id");
    } else {
        // A concurrent sign-up of the same email loses on the unique email: 409 CONFLICT.
        user_id = server::new_id("usr");
        tx.exec("INSERT INTO users (id, email, name, password_hash, created_at) VALUES (?, ?, ?, ?, ?)",
                {user_id, email, (*body)["name"].get<std::string>(), hash, ctx.now});
    }
    const std::string id = server::new_id("mem");
    tx.exec(
        "INSERT INTO memberships (id, firm_id, user_id, role, status, created_at, updated_at) "
        "VALUES (?, ?, ?, ?, 'active', ?, ?)",
        {id, ctx.principal.firm_id, user_id, role, ctx.now, ctx.now});
    auto e = audit_event(ctx, "PERMISSIONS", "membership.create", role == "owner" ? "WARNING" : "INFO");
    e.target_type = "membership";
    e.target_id = id;
    e.target_label = email;
    e.metadata["role"] = role;
    record(ctx, e);
    return json_response(201, membership_json(*find(ctx, id)));
}

Response get_membership(Ctx& ctx) {
    auto m = find(ctx, ctx.param("id"));
    if (!m) return not_found();
    return json_response(200, membership_json(*m));
}

Response update_membership(Ctx& ctx) {
    Response err;
    auto body = parse_object(ctx, err);
    if (!body) return err;
    auto m = find(ctx, ctx.param("id"));
    if (!m) return not_found();

    json core_part = *body;
    core_part.erase("status");
    Errors errors = validation::validate_membership(core_part, validation::Mode::update);
    if (core_part.contains("email") || core_part.contains("password")) {
        errors.push_back({"NOT_UPDATABLE", core_part.contains("email") ? "email" : "password",
                          "is changed by the account holder, not through a membership"});
    }
    if (body->contains("status") && (*body)["status"] != "active" && (*body)["status"] != "disabled") {
        errors.push_back({"INVALID_VALUE", "status", "must be active or disabled"});
    }
    if (!errors.empty()) return validation_failed(errors);

    const std::string old_role = m->str("role"), old_status = m->str("status");
    const std::string role = body->value("role", old_role);
    const std::string status = body->value("status", old_status);
    // An owner answers only to owners: an admin may not disable, rename or demote one.
    if (old_role == "owner" && !caller_is_owner(ctx)) {
        return forbidden("OWNER_PROTECTED", "Only an owner may change an owner's membership.");
    }
    if ((role == "owner") != (old_role == "owner") && !caller_is_owner(ctx)) {
        return forbidden("FORBIDDEN", "Only an owner may grant or remove the owner role.");
    }
    if (status == "active" && old_status != "active") {
        if (auto full = check_room_for(ctx, QuotaResource::member)) return *full;
    }
    bool loses_owner =
        old_role == "owner" && old_status == "active" && (role != "owner" || status != "active");
    if (loses_owner && active_owners(ctx) <= 1) {
        return validation_failed({{"LAST_OWNER", "role", "a firm must keep at least one active owner"}});
    }
    if (body->contains("name")) {
        // The name belongs to the person's account: a firm renames only an account that is
        // its alone, never one another firm also sees.
        auto others =
            ctx.tx().query_one("SELECT COUNT(*) AS n FROM memberships WHERE user_id = ? AND firm_id <> ?",
                               {m->str("user_id"), ctx.principal.firm_id});
        if (others && others->i64("n") > 0) {
            return error_response(
                409, "ACCOUNT_SHARED",
                "This person's account is also used in another firm: they change their name "
                "themselves.",
                "name");
        }
    }
    ctx.tx().exec("UPDATE memberships SET role = ?, status = ?, updated_at = ? WHERE id = ? AND firm_id = ?",
                  {role, status, ctx.now, m->str("id"), ctx.principal.firm_id});
    if (body->contains("name")) {
        ctx.tx().exec("UPDATE users SET name = ? WHERE id = ?",
                      {(*body)["name"].get<std::string>(), m->str("user_id")});
    }
    if (status != "active") {
        ctx.tx().exec("UPDATE sessions SET revoked_at = ? WHERE membership_id = ? AND revoked_at IS NULL",
                      {ctx.now, m->str("id")});
    }
    auto e = audit_event(ctx, "PERMISSIONS", "membership.update", "WARNING");
    e.target_type = "membership";
    e.target_id = m->str("id");
    e.target_label = m->str("email");
    e.metadata["before"] = {{"role", old_role}, {"status", old_status}};
    e.metadata["after"] = {{"role", role}, {"status", status}};
    record(ctx, e);
    return json_response(200, membership_json(*find(ctx, m->str("id"))));
}

}  // namespace cp::api
