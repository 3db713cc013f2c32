// Disputes and chargebacks (Billing IV): read-only for the firm; they change only through
// the processor's events (server/payments/disputes.hpp).
#include "server/api/handlers.hpp"
#include "server/payments/disputes.hpp"
#include "shared/state/dispute_status.hpp"

namespace cp::api {

Response list_disputes(Ctx& ctx) {
    Response err;
    auto page = parse_page(ctx, err);
    if (!page) return err;
    std::string sql = "SELECT * FROM disputes WHERE firm_id = ? AND id > ?";
    storage::Params params{ctx.principal.firm_id, page->cursor};
    if (!check_filter_choice(ctx, "status", [](const std::string& v) { return state::parse_dispute_status(v); }, err)) {
        return err;
    }
    if (!add_exact_filters(ctx, {"invoice_id", "status"}, sql, params, err)) return err;
    sql += " ORDER BY id LIMIT ?";
    params.push_back(page->limit + 1);
    json items = json::array();
    for (const auto& r : ctx.tx().query(sql, params)) items.push_back(server::payments::dispute_json(r));
    return json_response(200, list_body(items, *page));
}

Response get_dispute(Ctx& ctx) {
    auto d = ctx.tx().query_one("SELECT * FROM disputes WHERE id = ? AND firm_id = ?",
                                {ctx.param("id"), ctx.principal.firm_id});
    if (!d) return not_found();
    return json_response(200, server::payments::dispute_json(*d));
}

}  // namespace cp::api
