// Engagements: versioned contracts with a client. Pricing terms freeze once completed or
// once any invoice references the engagement; renewal makes version + 1 and marks the old
// one renewed (its invoices untouched). What may change and how a renewal's dates and
// pricing come out are the core's rules (validation/engagement_changes.hpp), the ones the
// portal's edit and renew panels run.
#include "server/api/engagement_records.hpp"
#include "server/api/handlers.hpp"
#include "server/api/serializers.hpp"
#include "server/util/crypto.hpp"
#include "shared/money/currency.hpp"
#include "shared/money/decimal.hpp"
#include "shared/state/engagement_status.hpp"
#include "shared/time/civil.hpp"
#include "shared/validation/engagement_changes.hpp"
#include "shared/validation/engagement_validation.hpp"

namespace cp::api {
namespace {

using validation::Mode;

std::optional<storage::Row> find(Ctx& ctx, const std::string& id) {
    return ctx.tx().query_one("SELECT * FROM engagements WHERE id = ? AND firm_id = ?",
                              {id, ctx.principal.firm_id});
}

// The stored record in request form, so "merged = stored + body" can go through the core.
json as_request(const storage::Row& e) {
    json j = engagement_json(e);
    json out{{"client_id", j["client_id"]},
             {"name", j["name"]},
             {"pricing_mode", j["pricing_mode"]},
             {"schedule", j["schedule"]},
             {"start_date", j["start_date"]},
             {"currency", j["currency"]},
             {"payment_terms_days", j["payment_terms_days"]}};
    if (!j["end_date"].is_null()) out["end_date"] = j["end_date"];
    if (!j["package_fee"].is_null()) out["package_fee"] = j["package_fee"];
    if (!j["hourly_rate"].is_null()) out["hourly_rate"] = j["hourly_rate"];
    return out;
}

bool pricing_frozen(Ctx& ctx, const storage::Row& e) {
    if (e.str("status") != "current") return true;
    return ctx.tx()
        .query_one("SELECT id FROM invoices WHERE firm_id = ? AND engagement_id = ?",
                   {ctx.principal.firm_id, e.str("id")})
        .has_value();
}

Response insert(Ctx& ctx, const json& m, std::int64_t version, const storage::Param& parent) {
    return json_response(201, engagement_json(insert_engagement(ctx, m, version, parent)));
}

}  // namespace

Response list_engagements(Ctx& ctx) {
    Response err;
    auto page = parse_page(ctx, err);
    if (!page) return err;
    std::string sql = "SELECT * FROM engagements WHERE firm_id = ? AND id > ?";
    storage::Params params{ctx.principal.firm_id, page->cursor};
    if (!check_filter_choice(ctx, "status", [](const std::string& v) { return state::parse_engagement_status(v); },
                             err)) {
        return err;
    }
    if (!add_exact_filters(ctx, {"client_id", "status"}, sql, params, err)) return err;
    if (!add_search_filter(ctx, "name", sql, params, err)) return err;
    sql += " ORDER BY id LIMIT ?";
    params.push_back(page->limit + 1);
    json items = json::array();
    for (const auto& r : ctx.tx().query(sql, params)) items.push_back(engagement_json(r));
    return json_response(200, list_body(items, *page));
}

Response create_engagement(Ctx& ctx) {
    Response err;
    auto body = parse_object(ctx, err);
    if (!body) return err;
    auto firm = ctx.tx().query_one("SELECT currency FROM firms WHERE id = ?", {ctx.principal.firm_id});
    json merged = *body;
    if (!merged.contains("currency")) merged["currency"] = firm->str("currency");
    if (auto errors = validation::validate_engagement(merged, Mode::create); !errors.empty()) {
        return validation_failed(errors);
    }
    // Another firm's client is as absent as a client that never existed.
    if (!ctx.tx().query_one("SELECT id FROM clients WHERE id = ? AND firm_id = ?",
                            {merged["client_id"].get<std::string>(), ctx.principal.firm_id})) {
        return not_found();
    }
    return insert(ctx, merged, 1, nullptr);
}

Response get_engagement(Ctx& ctx) {
    auto e = find(ctx, ctx.param("id"));
    if (!e) return not_found();
    json out = engagement_json(*e);
    out["pricing_frozen"] = pricing_frozen(ctx, *e);
    return json_response(200, out);
}

Response update_engagement(Ctx& ctx) {
    Response err;
    auto body = parse_object(ctx, err);
    if (!body) return err;
    auto e = find(ctx, ctx.param("id"));
    if (!e) return not_found();

    json changes = *body;
    std::string status = e->str("status");
    if (changes.contains("status")) {
        // -> completed here (core rules); -> renewed only through /renew.
        if (changes["status"] != "completed") {
            return validation_failed(
                {{"INVALID_VALUE", "status", "only \"completed\" can be set here; renew through /renew"}});
        }
        auto moved = state::transition(state::parse_engagement_status(status).value(),
                                       state::EngagementStatus::completed);
        if (!moved) return error_response(409, {moved.error()});
        status = "completed";
        changes.erase("status");
    }
    auto checked = validation::check_engagement_update(as_request(*e), changes, pricing_frozen(ctx, *e));
    if (!checked.errors.empty()) {
        if (checked.errors.front().code == "PRICING_FROZEN") return error_response(409, {checked.errors.front()});
        return validation_failed(checked.errors);
    }
    const json& merged = checked.merged;
    json before = engagement_json(*e);
    auto p = engagement_pricing_params(merged);
    ctx.tx().exec(
        "UPDATE engagements SET name = ?, status = ?, pricing_mode = ?, package_fee = ?, hourly_rate = ?, "
        "currency = ?, schedule = ?, payment_terms_days = ?, start_date = ?, end_date = ?, updated_at = ? "
        "WHERE id = ? AND firm_id = ?",
        {merged["name"].get<std::string>(), status, p[0], p[1], p[2], p[3], p[4], p[5],
         merged["start_date"].get<std::string>(),
         merged.contains("end_date") ? storage::Param(merged["end_date"].get<std::string>())
                                     : storage::Param(nullptr),
         ctx.now, e->str("id"), ctx.principal.firm_id});
    auto after = find(ctx, e->str("id"));
    audit_engagement(ctx, "engagement.update", *after, before);
    return json_response(200, engagement_json(*after));
}

Response renew_engagement(Ctx& ctx) {
    Response err;
    auto body = ctx.req.body.empty() ? std::optional<json>(json::object()) : parse_object(ctx, err);
    if (!body) return err;
    auto old = find(ctx, ctx.param("id"));
    if (!old) return not_found();
    auto moved = state::transition(state::parse_engagement_status(old->str("status")).value(),
                                   state::EngagementStatus::renewed);
    if (!moved) return error_response(409, {moved.error()});
    // Inherited fields, overrides, dates (the core's renewal_period): the shared rules.
    auto checked = validation::check_engagement_renewal(as_request(*old), *body);
    if (!checked.errors.empty()) return validation_failed(checked.errors);
    const json& merged = checked.merged;
    json before = engagement_json(*old);
    ctx.tx().exec("UPDATE engagements SET status = 'renewed', updated_at = ? WHERE id = ? AND firm_id = ?",
                  {ctx.now, old->str("id"), ctx.principal.firm_id});
    audit_engagement(ctx, "engagement.renewed", *find(ctx, old->str("id")), before);
    return insert(ctx, merged, old->i64("version") + 1, old->str("id"));
}

}  // namespace cp::api
