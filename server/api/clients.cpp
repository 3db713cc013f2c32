// Clients of a firm and their portal users. Company names are unique per firm.
#include <algorithm>
#include <cctype>

#include "server/payments/payment_service.hpp"
#include "server/api/client_records.hpp"
#include "server/api/handlers.hpp"
#include "server/api/quotas.hpp"
#include "server/api/serializers.hpp"
#include "server/auth/passwords.hpp"
#include "server/util/crypto.hpp"
#include "shared/validation/client_validation.hpp"
#include "shared/validation/membership_validation.hpp"

namespace cp::api {
namespace {

std::optional<storage::Row> find(Ctx& ctx, const std::string& id) {
    return ctx.tx().query_one("SELECT * FROM clients WHERE id = ? AND firm_id = ?",
                              {id, ctx.principal.firm_id});
}

bool name_taken(Ctx& ctx, const std::string& name, const std::string& except_id) {
    return ctx.tx()
        .query_one("SELECT id FROM clients WHERE firm_id = ? AND name = ? AND id <> ?",
                   {ctx.principal.firm_id, name, except_id})
        .has_value();
}

Response duplicate_name() {
    return error_response(409, "DUPLICATE_NAME", "A client with that company name exists.", "company_name");
}

void audit_client(Ctx& ctx, const char* action, const std::string& id, const std::string& name, json before,
                  json after) {
    auto e = audit_event(ctx, "CONFIG", action);
    e.target_type = "client";
    e.target_id = id;
    e.target_label = name;
    if (!before.is_null()) e.metadata["before"] = std::move(before);
    e.metadata["after"] = std::move(after);
    record(ctx, e);
}

}  // namespace

Response list_clients(Ctx& ctx) {
    Response err;
    auto page = parse_page(ctx, err);
    if (!page) return err;
    std::string sql = "SELECT * FROM clients WHERE firm_id = ? AND id > ?";
    storage::Params params{ctx.principal.firm_id, page->cursor};
    if (!check_filter_choice(ctx, "status", {"active", "inactive", "terminated"}, err)) return err;
    if (!add_exact_filters(ctx, {"status"}, sql, params, err)) return err;
    if (!add_search_filter(ctx, "name", sql, params, err)) return err;
    sql += " ORDER BY id LIMIT ?";
    params.push_back(page->limit + 1);
    json items = json::array();
    for (const auto& r : ctx.tx().query(sql, params)) items.push_back(client_json(r));
    return json_response(200, list_body(items, *page));
}

Response create_client(Ctx& ctx) {
    Response err;
    auto body = parse_object(ctx, err);
    if (!body) return err;
    auto errors = validation::validate_client(*body, validation::Mode::create);
    check_time_zone_installed(*body, errors);
    if (!errors.empty()) return validation_failed(errors);
    const std::string name = (*body)["company_name"];
    if (name_taken(ctx, name, "")) return duplicate_name();
    if (auto full = check_room_for(ctx, QuotaResource::client)) return *full;
    auto created = insert_client(ctx, *body);
    return json_response(201, created);
}

Response get_client(Ctx& ctx) {
    auto c = find(ctx, ctx.param("id"));
    if (!c) return not_found();
    return json_response(200, client_json(*c));
}

Response update_client(Ctx& ctx) {
    Response err;
    auto body = parse_object(ctx, err);
    if (!body) return err;
    auto c = find(ctx, ctx.param("id"));
    if (!c) return not_found();
    validation::ClientContext stored{!c->is_null("payment_method_ref"), c->flag("autopay_enabled")};
    auto errors = validation::validate_client(*body, validation::Mode::update, stored);
    check_time_zone_installed(*body, errors);
    if (!errors.empty()) return validation_failed(errors);
    json before = client_json(*c);
    json merged = before;
    for (const auto& [key, value] : body->items()) merged[key] = value;
    if (merged["company_name"] != before["company_name"] &&
        name_taken(ctx, merged["company_name"], c->str("id"))) {
        return duplicate_name();
    }
    ctx.tx().exec(
        "UPDATE clients SET name = ?, status = ?, billing_email = ?, time_zone = ?, portal_enabled = ?, "
        "autopay_enabled = ?, payment_method_ref = ?, contacts = ?, updated_at = ? WHERE id = ? AND firm_id "
        "= ?",
        {merged["company_name"].get<std::string>(), merged["status"].get<std::string>(),
         merged["billing_email"].get<std::string>(), merged["time_zone"].get<std::string>(),
         std::int64_t{merged["portal_enabled"].get<bool>()},
         std::int64_t{merged["autopay_enabled"].get<bool>()},
         merged["payment_method_ref"].is_string()
             ? storage::Param(merged["payment_method_ref"].get<std::string>())
             : storage::Param(nullptr),
         merged["contacts"].dump(), ctx.now, c->str("id"), ctx.principal.firm_id});
    json after = client_json(*find(ctx, c->str("id")));
    audit_client(ctx, "client.update", c->str("id"), after["company_name"], before, after);
    // Disabling autopay cancels the client's pending retries (Billing III).
    if (c->flag("autopay_enabled") && !merged["autopay_enabled"].get<bool>()) {
        server::payments::cancel_autopay_retries(ctx.tx(), ctx.principal.firm_id, c->str("id"), ctx.now,
                                                 audit_event(ctx, "BILLING", "autopay.cancel", "WARNING"));
    }
    return json_response(200, after);
}

Response list_portal_users(Ctx& ctx) {
    auto c = find(ctx, ctx.param("id"));
    if (!c) return not_found();
    Response err;
    auto page = parse_page(ctx, err);
    if (!page) return err;
    json items = json::array();
    for (const auto& r : ctx.tx().query(
             "SELECT * FROM portal_users WHERE firm_id = ? AND client_id = ? AND id > ? ORDER BY id LIMIT ?",
             {ctx.principal.firm_id, c->str("id"), page->cursor, page->limit + 1})) {
        items.push_back(portal_user_json(r));
    }
    return json_response(200, list_body(items, *page));
}

Response create_portal_user(Ctx& ctx) {
    Response err;
    auto body = parse_object(ctx, err);
    if (!body) return err;
    auto c = find(ctx, ctx.param("id"));
    if (!c) return not_found();
    // Email, name and password follow the same core rules as a firm user's.
    json account = json::object();
    Errors errors;
    for (const auto& [key, value] : body->items()) {
        if (key == "email" || key == "name" || key == "password") {
            account[key] = value;
        } else if (key == "can_view_billing" || key == "can_view_projects") {
            if (!value.is_boolean()) errors.push_back({"INVALID_TYPE", key, "must be true or false"});
        } else {
            errors.push_back({"UNKNOWN_FIELD", key, "is not a portal user field"});
        }
    }
    account["role"] = "staff";
    for (auto& e : validation::validate_membership(account, validation::Mode::create)) errors.push_back(e);
    if (!errors.empty()) return validation_failed(errors);
    std::string email = account["email"];
    std::transform(email.begin(), email.end(), email.begin(),
                   [](unsigned char ch) { return static_cast<char>(std::tolower(ch)); });
    // Portal users are never firm members: one email, one kind of account.
    if (ctx.tx().query_one("SELECT id FROM users WHERE email = ?", {email}) ||
        ctx.tx().query_one("SELECT id FROM portal_users WHERE email = ?", {email})) {
        return validation_failed({{"EMAIL_IN_USE", "email", "this email already has an account"}});
    }
    // Argon2id is slow on purpose: release the database while it runs (the checks above are
    // repeated by the unique constraints should a concurrent request race us).
    ctx.commit();
    Response busy;
    auto made = hash_password(ctx, account["password"].get<std::string>(), busy);
    if (!made) return busy;
    const std::string hash = std::move(*made);
    const std::string id = server::new_id("pu");
    ctx.tx().exec(
        "INSERT INTO portal_users (id, firm_id, client_id, email, name, password_hash, can_view_billing, "
        "can_view_projects, status, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'active', ?)",
        {id, ctx.principal.firm_id, c->str("id"), email, account["name"].get<std::string>(), hash,
         std::int64_t{body->value("can_view_billing", true)},
         std::int64_t{body->value("can_view_projects", true)}, ctx.now});
    auto e = audit_event(ctx, "PERMISSIONS", "portal_user.create");
    e.target_type = "portal_user";
    e.target_id = id;
    e.target_label = email;
    e.metadata["client_id"] = c->str("id");
    record(ctx, e);
    auto row = ctx.tx().query_one("SELECT * FROM portal_users WHERE id = ? AND firm_id = ?",
                                  {id, ctx.principal.firm_id});
    return json_response(201, portal_user_json(*row));
}

}  // namespace cp::api
