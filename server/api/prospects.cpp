// Prospects: qualified leads being worked towards a proposal, with a stage and an
// expected close date. Stage moves are the core's state machine; won/lost close them.
#include "server/api/crm_records.hpp"
#include "server/api/handlers.hpp"
#include "shared/state/crm_status.hpp"
#include "shared/validation/crm_validation.hpp"

namespace cp::api {

Response list_prospects(Ctx& ctx) {
    Response err;
    auto page = parse_page(ctx, err);
    if (!page) return err;
    std::string sql = "SELECT * FROM prospects WHERE firm_id = ? AND id > ?";
    storage::Params params{ctx.principal.firm_id, page->cursor};
    if (!check_filter_choice(ctx, "stage", [](const std::string& v) { return state::parse_prospect_stage(v); }, err)) {
        return err;
    }
    if (!add_exact_filters(ctx, {"stage"}, sql, params, err)) return err;
    sql += " ORDER BY id LIMIT ?";
    params.push_back(page->limit + 1);
    json items = json::array();
    for (const auto& r : ctx.tx().query(sql, params)) items.push_back(prospect_json(r));
    return json_response(200, list_body(items, *page));
}

Response get_prospect(Ctx& ctx) {
    auto p = find_firm_row(ctx, "prospects", ctx.param("id"));
    if (!p) return not_found();
    return json_response(200, prospect_json(*p));
}

Response update_prospect(Ctx& ctx) {
    Response err;
    auto body = parse_object(ctx, err);
    if (!body) return err;
    auto p = find_firm_row(ctx, "prospects", ctx.param("id"));
    if (!p) return not_found();
    if (auto errors = validation::validate_prospect(*body, validation::Mode::update); !errors.empty())
        return validation_failed(errors);
    std::string stage = p->str("stage");
    storage::Param closed_at = p->is_null("closed_at") ? storage::Param(nullptr) : storage::Param(p->i64("closed_at"));
    if (body->contains("stage") && (*body)["stage"] != stage) {
        auto moved = state::transition(state::parse_prospect_stage(stage).value(),
                                       state::parse_prospect_stage((*body)["stage"].get<std::string>()).value());
        if (!moved) return error_response(409, {moved.error()});
        stage = std::string(state::to_string(*moved));
        if (!state::is_open(*moved)) closed_at = ctx.now;
    }
    json before = prospect_json(*p);
    ctx.tx().exec(
        "UPDATE prospects SET stage = ?, expected_close_date = ?, closed_at = ?, updated_at = ? "
        "WHERE id = ? AND firm_id = ?",
        {stage, str_or(*body, "expected_close_date", p->str("expected_close_date")), closed_at, ctx.now,
         p->str("id"), ctx.principal.firm_id});
    json after = prospect_json(*find_firm_row(ctx, "prospects", p->str("id")));
    audit_crm(ctx, before["stage"] != after["stage"] ? "prospect.transition" : "prospect.update", "prospect",
              p->str("id"), after["company"], p->str("lead_id"), before, after);
    return json_response(200, after);
}

}  // namespace cp::api
