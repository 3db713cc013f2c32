// Firms: sign-up, read, settings changes with before/after audit and rollback to a
// snapshot. The caller's firm always comes from the token; /firms/{id} answers only for it.
#include <algorithm>
#include <cctype>

#include "server/api/handlers.hpp"
#include "server/api/quotas.hpp"
#include "server/api/serializers.hpp"
#include "server/auth/passwords.hpp"
#include "server/util/crypto.hpp"
#include "shared/crm/follow_ups.hpp"
#include "shared/messaging/email_settings.hpp"
#include "shared/validation/firm_validation.hpp"
#include "shared/validation/membership_validation.hpp"

namespace cp::api {
namespace {

using validation::Mode;

json default_settings() {
    return {{"tax_mode", "per_line"},
            {"rounding", "half_up"},
            {"payment_terms_days", 30},
            {"proration", false},
            {"invoice_number_prefix", "INV-"},
            {"billing_run_time", "06:00"}};
}

// Firm settings are server configuration (not a core entity), so their allowlist lives here.
Errors check_settings(const json& s) {
    Errors errors;
    if (!s.is_object()) return {{"INVALID_TYPE", "settings", "must be an object"}};
    for (const auto& [key, value] : s.items()) {
        std::string field = "settings." + key;
        if (key == "tax_mode") {
            if (!value.is_string() || (value != "per_line" && value != "per_document")) {
                errors.push_back({"INVALID_VALUE", field, "must be per_line or per_document"});
            }
        } else if (key == "rounding") {
            if (!value.is_string() || (value != "half_up" && value != "half_even")) {
                errors.push_back({"INVALID_VALUE", field, "must be half_up or half_even"});
            }
        } else if (key == "payment_terms_days") {
            if (!value.is_number_integer() || value.get<std::int64_t>() < 0 ||
                value.get<std::int64_t>() > 365) {
                errors.push_back({"OUT_OF_RANGE", field, "must be a whole number of days from 0 to 365"});
            }
        } else if (key == "proration") {
            if (!value.is_boolean()) errors.push_back({"INVALID_TYPE", field, "must be true or false"});
        } else if (key == "billing_run_time") {
            // Local wall-clock time of the daily package fee run, "HH:MM" (24 h).
            const std::string t = value.is_string() ? value.get<std::string>() : "";
            const bool ok = t.size() == 5 && t[2] == ':' && std::isdigit(static_cast<unsigned char>(t[0])) &&
                            std::isdigit(static_cast<unsigned char>(t[1])) &&
                            std::isdigit(static_cast<unsigned char>(t[3])) &&
                            std::isdigit(static_cast<unsigned char>(t[4])) && std::stoi(t.substr(0, 2)) < 24 &&
                            std::stoi(t.substr(3, 2)) < 60;
            if (!ok) errors.push_back({"INVALID_VALUE", field, "must be a local time HH:MM (00:00 to 23:59)"});
        } else if (key == "invoice_number_prefix") {
            if (!value.is_string() || value.get<std::string>().size() > 20) {
                errors.push_back({"INVALID_VALUE", field, "must be a string of at most 20 characters"});
            }
        } else if (key == "crm") {
            // CRM follow-ups: lead untouched days, proposal expiring window (the core's rules).
            for (auto& e : crm::validate_follow_up_settings(value, field)) errors.push_back(e);
        } else if (key == "email") {
            // Client email: reminder days, reply-to, subject templates (the core's rules).
            for (auto& e : messaging::validate_email_settings(value, field)) errors.push_back(e);
        } else {
            errors.push_back({"UNKNOWN_FIELD", field, "is not a firm setting"});
        }
    }
    return errors;
}

// The configuration a snapshot captures and a rollback restores.
json configuration_of(const storage::Row& f) {
    return {{"name", f.str("name")},
            {"plan", f.str("plan")},
            {"time_zone", f.str("time_zone")},
            {"currency", f.str("currency")},
            {"settings", json::parse(f.str("settings"))}};
}

void write_configuration(Ctx& ctx, const json& c) {
    ctx.tx().exec(
        "UPDATE firms SET name = ?, plan = ?, time_zone = ?, currency = ?, settings = ?, "
        "updated_at = ? WHERE id = ?",
        {c["name"].get<std::string>(), c["plan"].get<std::string>(), c["time_zone"].get<std::string>(),
         c["currency"].get<std::string>(), c["settings"].dump(), ctx.now, ctx.principal.firm_id});
}

std::string snapshot(Ctx& ctx, const json& configuration, const std::string& reason) {
    std::string id = server::new_id("snap");
    ctx.tx().exec(
        "INSERT INTO firm_settings_snapshots (id, firm_id, settings, reason, created_by, created_at) "
        "VALUES (?, ?, ?, ?, ?, ?)",
        {id, ctx.principal.firm_id, configuration.dump(), reason, ctx.principal.user_id, ctx.now});
    return id;
}

std::optional<storage::Row> own_firm(Ctx& ctx) {
    return ctx.tx().query_one("SELECT * FROM firms WHERE id = ?", {ctx.principal.firm_id});
}

}  // namespace

Response signup_firm(Ctx& ctx) {
    Response err;
    auto body = parse_object(ctx, err);
    if (!body) return err;
    json firm_part = *body;
    firm_part.erase("owner");
    Errors errors = validation::validate_firm(firm_part, Mode::create);
    json owner = body->value("owner", json());
    if (!owner.is_object()) {
        errors.push_back({"VALIDATION_REQUIRED", "owner", "owner {email, name, password} is required"});
    } else {
        json m = owner;
        m["role"] = "owner";
        for (auto e : validation::validate_membership(m, Mode::create)) {
            e.field = "owner." + e.field;
            errors.push_back(e);
        }
    }
    if (firm_part.contains("status") && firm_part["status"] != "trial") {
        errors.push_back({"INVALID_VALUE", "status", "a new firm starts in trial"});
    }
    check_time_zone_installed(firm_part, errors);
    if (!errors.empty()) return validation_failed(errors);

    // Every check that needs no password runs before Argon2id does: a flood of sign-ups for
    // a taken slug costs nothing, and each address may start only so many sign-ups an hour.
    if (auto wait = ctx.app.throttle().begin_signup(ctx.req.remote_address, ctx.now)) {
        return too_many_attempts(*wait);
    }
    std::string email = owner["email"].get<std::string>();
    std::transform(email.begin(), email.end(), email.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    const std::string password = owner["password"].get<std::string>();
    const std::string slug = (*body)["slug"].get<std::string>();
    if (ctx.tx().query_one("SELECT id FROM firms WHERE slug = ?", {slug})) {
        return error_response(409, "SLUG_TAKEN", "That slug is taken.", "slug");
    }
    auto existing = ctx.tx().query_one("SELECT id, password_hash FROM users WHERE email = ?", {email});
    const bool portal_email =
        !existing && ctx.tx().query_one("SELECT id FROM portal_users WHERE email = ?", {email});
    // Argon2id is slow on purpose: release the database while it runs. The slug and email
    // are checked again by the unique indexes when the rows are written.
    ctx.commit();
    Response busy;
    std::string user_id;
    std::string hash;
    if (existing || portal_email) {
        // An existing user may found another firm, but only by proving the account is theirs,
        // throttled exactly like a login so sign-up is no way around the login limits. A
        // portal user's email gets the same answer, the same throttle and the same cost (a
        // decoy hash), so sign-up cannot tell the two kinds of account apart.
        if (auto throttled = begin_password_attempt(ctx, email)) return *throttled;
        auto matched = verify_password(
            ctx, existing ? existing->str("password_hash") : server::decoy_hash(ctx.app.config().passwords),
            password, busy);
        if (!matched) return busy;
        if (!existing || !*matched) {
            server::audit::Event failed;
            failed.firm_id = server::audit::kPlatformChain;
            failed.category = "AUTH";
            failed.action = "firm.signup_failed";
            failed.severity = "WARNING";
            failed.actor_type = "anonymous";
            failed.actor_email = email;
            failed.outcome = "failure";
            failed.metadata = {{"remote_address", ctx.req.remote_address},
                               {"request_id", ctx.request_id},
                               {"why", existing ? "wrong_password" : "portal_account"}};
            record(ctx, failed);
            return error_response(401, "INVALID_CREDENTIALS", "Email or password is incorrect.");
        }
        ctx.app.throttle().attempt_succeeded(email, ctx.req.remote_address, ctx.now);
        user_id = existing->str("id");
    } else {
        auto made = hash_password(ctx, password, busy);
        if (!made) return busy;
        hash = std::move(*made);
    }

    auto& tx = ctx.tx();
    if (tx.query_one("SELECT id FROM firms WHERE slug = ?", {slug})) {
        return error_response(409, "SLUG_TAKEN", "That slug is taken.", "slug");
    }
    if (user_id.empty()) {
        // A concurrent sign-up of the same email loses on the unique email: 409 CONFLICT.
        user_id = server::new_id("usr");
        tx.exec("INSERT INTO users (id, email, name, password_hash, created_at) VALUES (?, ?, ?, ?, ?)",
                {user_id, email, owner["name"].get<std::string>(), hash, ctx.now});
    }
    const std::string firm_id = server::new_id("firm");
    tx.exec(
        "INSERT INTO firms (id, name, slug, status, plan, time_zone, currency, settings, created_at, "
        "updated_at) "
        "VALUES (?, ?, ?, 'trial', ?, ?, ?, ?, ?, ?)",
        {firm_id, (*body)["name"].get<std::string>(), slug, str_or(*body, "plan", "starter"),
         str_or(*body, "time_zone", "America/New_York"), str_or(*body, "currency", "USD"),
         default_settings().dump(), ctx.now, ctx.now});
    const std::string membership_id = server::new_id("mem");
    tx.exec(
        "INSERT INTO memberships (id, firm_id, user_id, role, status, created_at, updated_at) "
        "VALUES (?, ?, ?, 'owner', 'active', ?, ?)",
        {membership_id, firm_id, user_id, ctx.now, ctx.now});

    server::audit::Event e = audit_event(ctx, "CONFIG", "firm.create");
    e.firm_id = firm_id;
    e.actor_type = "member";
    e.actor_id = user_id;
    e.actor_email = email;
    e.actor_role = "owner";
    e.target_type = "firm";
    e.target_id = firm_id;
    e.target_label = slug;
    record(ctx, e);
    e.category = "PERMISSIONS";
    e.action = "membership.create";
    e.target_type = "membership";
    e.target_id = membership_id;
    e.target_label = email;
    e.metadata["role"] = "owner";
    record(ctx, e);

    auto firm = tx.query_one("SELECT * FROM firms WHERE id = ?", {firm_id});
    return json_response(
        201, {{"firm", firm_json(*firm)},
              {"owner", {{"user_id", user_id}, {"email", email}, {"membership_id", membership_id}}}});
}

// The firms of the calling account (a person may belong to several); each needs its own
// login with "firm" set. Under break-glass only the session's firm is listed.
Response list_my_firms(Ctx& ctx) {
    Response err;
    auto page = parse_page(ctx, err);
    if (!page) return err;
    json items = json::array();
    if (ctx.principal.kind != server::PrincipalKind::member) {
        if (auto f = own_firm(ctx)) items.push_back(firm_json(*f));
        return json_response(
            200, {{"object", "list"}, {"data", items}, {"has_more", false}, {"next_cursor", nullptr}});
    }
    for (const auto& r :
         ctx.tx().query("SELECT f.*, m.role AS my_role FROM memberships m JOIN firms f ON f.id = m.firm_id "
                        "WHERE m.user_id = ? AND m.status = 'active' AND m.firm_id > ? ORDER BY m.firm_id LIMIT ?",
                        {ctx.principal.user_id, page->cursor, page->limit + 1})) {
        json f = json{{"object", "firm_summary"}, {"id", r.str("id")},         {"name", r.str("name")},
                      {"slug", r.str("slug")},    {"status", r.str("status")}, {"role", r.str("my_role")}};
        items.push_back(f);
    }
    return json_response(200, list_body(items, *page));
}

Response current_firm(Ctx& ctx) {
    auto f = own_firm(ctx);
    if (!f) return not_found();
    return json_response(200, firm_json(*f));
}

Response get_firm(Ctx& ctx) {
    if (ctx.param("id") != ctx.principal.firm_id) return not_found();
    return current_firm(ctx);
}

Response update_firm_settings(Ctx& ctx) {
    Response err;
    auto body = parse_object(ctx, err);
    if (!body) return err;
    Errors errors;
    json firm_part = json::object();
    for (const auto& [key, value] : body->items()) {
        if (key == "name" || key == "plan" || key == "time_zone" || key == "currency") {
            firm_part[key] = value;
        } else if (key != "settings" && key != "reason") {
            errors.push_back({"UNKNOWN_FIELD", key, "cannot be changed here"});
        }
    }
    for (auto& e : validation::validate_firm(firm_part, Mode::update)) errors.push_back(e);
    if (body->contains("settings")) {
        for (auto& e : check_settings((*body)["settings"])) errors.push_back(e);
    }
    if (body->contains("reason") && !(*body)["reason"].is_string()) {
        errors.push_back({"INVALID_TYPE", "reason", "must be a string"});
    }
    check_time_zone_installed(firm_part, errors);
    if (!errors.empty()) return validation_failed(errors);

    auto f = own_firm(ctx);
    if (!f) return not_found();
    json before = configuration_of(*f);
    json after = before;
    for (const auto& [key, value] : firm_part.items()) after[key] = value;
    if (body->contains("settings")) {
        for (const auto& [key, value] : (*body)["settings"].items()) after["settings"][key] = value;
    }
    if (after["plan"] != before["plan"]) {
        if (auto refused = check_plan_fits(ctx, after["plan"].get<std::string>())) return *refused;
    }
    const std::string reason = str_or(*body, "reason");
    std::string snapshot_id = snapshot(ctx, before, reason.empty() ? "before settings change" : reason);
    write_configuration(ctx, after);

    auto e = audit_event(ctx, "CONFIG", "firm.settings.update", "WARNING");
    e.target_type = "firm";
    e.target_id = ctx.principal.firm_id;
    e.target_label = f->str("slug");
    e.reason = reason;
    e.metadata["before"] = before;
    e.metadata["after"] = after;
    e.metadata["snapshot_id"] = snapshot_id;
    record(ctx, e);
    auto updated = own_firm(ctx);
    json out = firm_json(*updated);
    out["snapshot_id"] = snapshot_id;
    return json_response(200, out);
}

Response list_settings_snapshots(Ctx& ctx) {
    Response err;
    auto page = parse_page(ctx, err);
    if (!page) return err;
    auto rows = ctx.tx().query(
        "SELECT * FROM firm_settings_snapshots WHERE firm_id = ? AND id > ? ORDER BY id LIMIT ?",
        {ctx.principal.firm_id, page->cursor, page->limit + 1});
    json items = json::array();
    for (const auto& r : rows) {
        items.push_back({{"object", "settings_snapshot"},
                         {"id", r.str("id")},
                         {"reason", r.str("reason")},
                         {"created_by", r.str("created_by")},
                         {"created_at", iso(r.i64("created_at"))},
                         {"configuration", json::parse(r.str("settings"))}});
    }
    return json_response(200, list_body(items, *page));
}

Response rollback_settings(Ctx& ctx) {
    auto snap = ctx.tx().query_one("SELECT * FROM firm_settings_snapshots WHERE id = ? AND firm_id = ?",
                                   {ctx.param("id"), ctx.principal.firm_id});
    if (!snap) return not_found();
    Response err;
    auto body = ctx.req.body.empty() ? std::optional<json>(json::object()) : parse_object(ctx, err);
    if (!body) return err;
    auto f = own_firm(ctx);
    json before = configuration_of(*f);
    json target = json::parse(snap->str("settings"));
    if (target.contains("plan") && target["plan"].is_string() && target["plan"] != before["plan"]) {
        if (auto refused = check_plan_fits(ctx, target["plan"].get<std::string>())) return *refused;
    }
    std::string undo_id = snapshot(ctx, before, "before rollback to " + snap->str("id"));
    write_configuration(ctx, target);
    auto e = audit_event(ctx, "CONFIG", "firm.settings.rollback", "WARNING");
    e.target_type = "firm";
    e.target_id = ctx.principal.firm_id;
    e.target_label = f->str("slug");
    e.reason = str_or(*body, "reason");
    e.metadata["before"] = before;
    e.metadata["after"] = target;
    e.metadata["restored_snapshot_id"] = snap->str("id");
    e.metadata["snapshot_id"] = undo_id;
    record(ctx, e);
    auto updated = own_firm(ctx);
    json out = firm_json(*updated);
    out["snapshot_id"] = undo_id;
    return json_response(200, out);
}

}  // namespace cp::api
