// Leads: companies the firm might work for, new -> contacted -> qualified (or
// disqualified); a qualified lead converts into a prospect. Every change is audited and
// lands on the lead's timeline.
#include "server/api/crm_records.hpp"
#include "server/api/handlers.hpp"
#include "server/util/crypto.hpp"
#include "shared/money/currency.hpp"
#include "shared/money/decimal.hpp"
#include "shared/state/crm_status.hpp"
#include "shared/validation/crm_validation.hpp"

namespace cp::api {
namespace {

using validation::Mode;

std::string firm_currency(Ctx& ctx) {
    return ctx.tx().query_one("SELECT currency FROM firms WHERE id = ?", {ctx.principal.firm_id})->str("currency");
}

int32_t digits_of(const std::string& currency) { return money::find_currency(currency)->minor_digits; }

// The owner must be a member of this firm; another firm's membership is as absent as none.
bool owner_known(Ctx& ctx, const json& body) {
    if (!body.contains("owner_membership_id") || body["owner_membership_id"].is_null()) return true;
    const json& id = body["owner_membership_id"];
    return ctx.tx()
        .query_one("SELECT id FROM memberships WHERE id = ? AND firm_id = ?",
                   {id.is_string() ? id.get<std::string>() : id.dump(), ctx.principal.firm_id})
        .has_value();
}

Response unknown_owner() {
    return validation_failed({{"NOT_FOUND", "owner_membership_id", "no such member in this firm"}});
}

storage::Param money_param(const json& body, const char* key, const std::string& currency) {
    if (!body.contains(key) || body[key].is_null()) return nullptr;
    return money::parse_fixed(body[key].get<std::string>(), digits_of(currency)).value();
}

storage::Param text_param(const json& body, const char* key) {
    if (!body.contains(key) || body[key].is_null()) return nullptr;
    return body[key].is_string() ? body[key].get<std::string>() : body[key].dump();
}

}  // namespace

Response list_leads(Ctx& ctx) {
    Response err;
    auto page = parse_page(ctx, err);
    if (!page) return err;
    std::string sql = "SELECT * FROM leads WHERE firm_id = ? AND id > ?";
    storage::Params params{ctx.principal.firm_id, page->cursor};
    if (!check_filter_choice(ctx, "status", [](const std::string& v) { return state::parse_lead_status(v); }, err)) {
        return err;
    }
    if (!add_exact_filters(ctx, {"status", "owner_membership_id"}, sql, params, err)) return err;
    sql += " ORDER BY id LIMIT ?";
    params.push_back(page->limit + 1);
    json items = json::array();
    for (const auto& r : ctx.tx().query(sql, params)) items.push_back(lead_json(r));
    return json_response(200, list_body(items, *page));
}

Response create_lead(Ctx& ctx) {
    Response err;
    auto body = parse_object(ctx, err);
    if (!body) return err;
    const std::string fallback = firm_currency(ctx);
    if (auto errors = validation::validate_lead(*body, Mode::create, digits_of(fallback)); !errors.empty())
        return validation_failed(errors);
    if (!owner_known(ctx, *body)) return unknown_owner();
    const std::string currency = str_or(*body, "currency", fallback);
    // Unowned leads are nobody's follow-up: the creator owns it unless told otherwise.
    storage::Param owner = text_param(*body, "owner_membership_id");
    if (owner.is_null() && !ctx.principal.membership_id.empty()) owner = ctx.principal.membership_id;
    const std::string id = server::new_id("lead");
    ctx.tx().exec(
        "INSERT INTO leads (id, firm_id, company, contact_name, contact_email, source, estimated_value, currency, "
        "owner_membership_id, notes, status, last_activity_at, created_at, updated_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'new', ?, ?, ?)",
        {id, ctx.principal.firm_id, (*body)["company"].get<std::string>(), text_param(*body, "contact_name"),
         text_param(*body, "contact_email"), text_param(*body, "source"),
         money_param(*body, "estimated_value", currency), currency, owner, text_param(*body, "notes"), ctx.now,
         ctx.now, ctx.now});
    json created = lead_json(*find_firm_row(ctx, "leads", id));
    audit_crm(ctx, "lead.create", "lead", id, created["company"], id, nullptr, created);
    return json_response(201, created);
}

Response get_lead(Ctx& ctx) {
    auto lead = find_firm_row(ctx, "leads", ctx.param("id"));
    if (!lead) return not_found();
    return json_response(200, lead_json(*lead));
}

Response update_lead(Ctx& ctx) {
    Response err;
    auto body = parse_object(ctx, err);
    if (!body) return err;
    auto lead = find_firm_row(ctx, "leads", ctx.param("id"));
    if (!lead) return not_found();
    const std::string currency = lead->str("currency");
    if (body->contains("currency") && (*body)["currency"] != currency)
        return validation_failed({{"NOT_UPDATABLE", "currency", "a lead keeps its currency"}});
    if (auto errors = validation::validate_lead(*body, Mode::update, digits_of(currency)); !errors.empty())
        return validation_failed(errors);
    if (!owner_known(ctx, *body)) return unknown_owner();
    std::string status = lead->str("status");
    if (body->contains("status") && (*body)["status"] != status) {
        auto moved = state::transition(state::parse_lead_status(status).value(),
                                       state::parse_lead_status((*body)["status"].get<std::string>()).value());
        if (!moved) return error_response(409, {moved.error()});
        // A lead already converted lives on as its prospect: lose that instead.
        if (ctx.tx().query_one("SELECT id FROM prospects WHERE firm_id = ? AND lead_id = ?",
                               {ctx.principal.firm_id, lead->str("id")})) {
            return error_response(409, "INVALID_TRANSITION",
                                  "lead was converted to a prospect; mark the prospect lost instead", "status");
        }
        status = std::string(state::to_string(*moved));
    }
    json before = lead_json(*lead);
    auto pick = [&](const char* key, const char* column) -> storage::Param {
        if (body->contains(key)) return text_param(*body, key);
        return lead->is_null(column) ? storage::Param(nullptr) : storage::Param(lead->str(column));
    };
    storage::Param value = body->contains("estimated_value") ? money_param(*body, "estimated_value", currency)
                           : lead->is_null("estimated_value") ? storage::Param(nullptr)
                                                              : storage::Param(lead->i64("estimated_value"));
    ctx.tx().exec(
        "UPDATE leads SET company = ?, contact_name = ?, contact_email = ?, source = ?, estimated_value = ?, "
        "owner_membership_id = ?, notes = ?, status = ?, updated_at = ? WHERE id = ? AND firm_id = ?",
        {str_or(*body, "company", lead->str("company")), pick("contact_name", "contact_name"),
         pick("contact_email", "contact_email"), pick("source", "source"), value,
         pick("owner_membership_id", "owner_membership_id"), pick("notes", "notes"), status, ctx.now,
         lead->str("id"), ctx.principal.firm_id});
    json after = lead_json(*find_firm_row(ctx, "leads", lead->str("id")));
    const bool moved = before["status"] != after["status"];
    audit_crm(ctx, moved ? "lead.transition" : "lead.update", "lead", lead->str("id"), after["company"],
              lead->str("id"), before, after);
    return json_response(200, lead_json(*find_firm_row(ctx, "leads", lead->str("id"))));
}

Response convert_lead(Ctx& ctx) {
    Response err;
    auto body = ctx.req.body.empty() ? std::optional<json>(json::object()) : parse_object(ctx, err);
    if (!body) return err;
    auto lead = find_firm_row(ctx, "leads", ctx.param("id"));
    if (!lead) return not_found();
    // Converting again answers with the prospect it already became (a retried click).
    if (auto existing = ctx.tx().query_one("SELECT * FROM prospects WHERE firm_id = ? AND lead_id = ?",
                                           {ctx.principal.firm_id, lead->str("id")})) {
        return json_response(200, prospect_json(*existing));
    }
    if (lead->str("status") != "qualified") {
        return error_response(409, "INVALID_TRANSITION",
                              "lead cannot become a prospect from '" + lead->str("status") + "': qualify it first",
                              "status");
    }
    if (auto errors = validation::validate_prospect(*body, Mode::create); !errors.empty())
        return validation_failed(errors);
    const std::string id = server::new_id("pros");
    ctx.tx().exec(
        "INSERT INTO prospects (id, firm_id, lead_id, company, stage, expected_close_date, estimated_value, "
        "currency, owner_membership_id, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        {id, ctx.principal.firm_id, lead->str("id"), lead->str("company"), str_or(*body, "stage", "discovery"),
         (*body)["expected_close_date"].get<std::string>(),
         lead->is_null("estimated_value") ? storage::Param(nullptr) : storage::Param(lead->i64("estimated_value")),
         lead->str("currency"),
         lead->is_null("owner_membership_id") ? storage::Param(nullptr)
                                              : storage::Param(lead->str("owner_membership_id")),
         ctx.now, ctx.now});
    json created = prospect_json(*find_firm_row(ctx, "prospects", id));
    audit_crm(ctx, "prospect.create", "prospect", id, created["company"], lead->str("id"), nullptr, created);
    return json_response(201, created);
}

Response lead_timeline(Ctx& ctx) {
    auto lead = find_firm_row(ctx, "leads", ctx.param("id"));
    if (!lead) return not_found();
    // A lead's history is short: one answer, oldest first, at most 500 entries.
    json items = json::array();
    for (const auto& r : ctx.tx().query(
             "SELECT * FROM crm_activities WHERE firm_id = ? AND lead_id = ? ORDER BY id LIMIT 500",
             {ctx.principal.firm_id, lead->str("id")})) {
        items.push_back({{"id", r.str("id")},
                         {"object", "activity"},
                         {"kind", r.str("kind")},
                         {"detail", json::parse(r.str("detail"))},
                         {"actor_id", r.is_null("actor_id") ? json(nullptr) : json(r.str("actor_id"))},
                         {"at", iso(r.i64("at"))}});
    }
    return json_response(200, {{"object", "list"}, {"data", items}, {"has_more", false}, {"next_cursor", nullptr}});
}

}  // namespace cp::api
