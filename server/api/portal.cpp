// The client portal surface. A portal user sees only their own client's rows, never
// drafts, and only what their flags allow; everything else is 403 PORTAL_ACCESS_DENIED
// (other surfaces) or 404 (other clients' ids).
#include <fmt/format.h>

#include "server/api/client_payments.hpp"
#include "server/api/handlers.hpp"
#include "server/api/invoice_documents.hpp"
#include "server/api/invoice_records.hpp"
#include "server/api/invoices_query.hpp"
#include "server/api/serializers.hpp"
#include "shared/state/payment_status.hpp"

namespace cp::api {
namespace {
Response denied() { return forbidden("PORTAL_ACCESS_DENIED", "Your portal access does not include this."); }
}  // namespace

Response portal_me(Ctx& ctx) {
    const auto& p = ctx.principal;
    auto c =
        ctx.tx().query_one("SELECT name FROM clients WHERE id = ? AND firm_id = ?", {p.client_id, p.firm_id});
    auto f = ctx.tx().query_one("SELECT name FROM firms WHERE id = ?", {p.firm_id});
    return json_response(200, {{"object", "portal_user"},
                               {"id", p.portal_user_id},
                               {"email", p.email},
                               {"client", {{"id", p.client_id}, {"company_name", c ? c->str("name") : ""}}},
                               {"firm", {{"id", p.firm_id}, {"name", f ? f->str("name") : ""}}},
                               {"can_view_billing", p.can_view_billing},
                               {"can_view_projects", p.can_view_projects}});
}

Response portal_list_invoices(Ctx& ctx) {
    if (!ctx.principal.can_view_billing) return denied();
    if (auto s = ctx.req.query.find("client_id");
        s != ctx.req.query.end() && s->second != ctx.principal.client_id) {
        return json_response(
            200,
            {{"object", "list"}, {"data", json::array()}, {"has_more", false}, {"next_cursor", nullptr}});
    }
    Response list = list_invoices_where(ctx, " AND client_id = ? AND status <> 'draft'", {ctx.principal.client_id});
    if (list.status != 200) return list;
    json body = json::parse(list.body);
    body["summary"] = client_summary(ctx, ctx.principal.firm_id, ctx.principal.client_id);
    return json_response(200, body);
}

Response portal_get_invoice(Ctx& ctx) {
    if (!ctx.principal.can_view_billing) return denied();
    auto inv = ctx.tx().query_one(fmt::format("{} WHERE id = ? AND firm_id = ? AND client_id = ? AND status <> 'draft'", kInvoicesWithZone),
                                  {ctx.param("id"), ctx.principal.firm_id, ctx.principal.client_id});
    if (!inv) return not_found();
    return json_response(200, invoice_with_lines(ctx, *inv));
}

Response portal_get_invoice_pdf(Ctx& ctx) {
    if (!ctx.principal.can_view_billing) return denied();
    auto inv = ctx.tx().query_one(fmt::format("{} WHERE id = ? AND firm_id = ? AND client_id = ? AND status <> 'draft'", kInvoicesWithZone),
                                  {ctx.param("id"), ctx.principal.firm_id, ctx.principal.client_id});
    if (!inv) return not_found();
    return invoice_pdf_response(ctx, *inv);
}

Response portal_pay_invoice(Ctx& ctx) {
    if (!ctx.principal.can_view_billing) return denied();
    auto inv = ctx.tx().query_one(fmt::format("{} WHERE id = ? AND firm_id = ? AND client_id = ? AND status <> 'draft'", kInvoicesWithZone),
                                  {ctx.param("id"), ctx.principal.firm_id, ctx.principal.client_id});
    if (!inv) return not_found();
    return pay_as_client(ctx, *inv, "portal", ctx.principal.portal_user_id, audit_event(ctx, "BILLING", ""));
}

Response portal_list_payments(Ctx& ctx) {
    if (!ctx.principal.can_view_billing) return denied();
    Response err;
    auto page = parse_page(ctx, err);
    if (!page) return err;
    std::string sql = "SELECT * FROM payments WHERE firm_id = ? AND client_id = ? AND id > ?";
    storage::Params params{ctx.principal.firm_id, ctx.principal.client_id, page->cursor};
    if (!check_filter_choice(ctx, "status", [](const std::string& v) { return state::parse_payment_status(v); }, err)) {
        return err;
    }
    if (!add_exact_filters(ctx, {"invoice_id", "status"}, sql, params, err)) return err;
    sql += " ORDER BY id LIMIT ?";
    params.push_back(page->limit + 1);
    json items = json::array();
    for (const auto& r : ctx.tx().query(sql, params)) items.push_back(client_payment_json(r));
    return json_response(200, list_body(items, *page));
}

Response portal_list_engagements(Ctx& ctx) {
    if (!ctx.principal.can_view_projects) return denied();
    Response err;
    auto page = parse_page(ctx, err);
    if (!page) return err;
    json items = json::array();
    for (const auto& r : ctx.tx().query(
             "SELECT * FROM engagements WHERE firm_id = ? AND client_id = ? AND id > ? ORDER BY id LIMIT ?",
             {ctx.principal.firm_id, ctx.principal.client_id, page->cursor, page->limit + 1})) {
        items.push_back(engagement_json(r));
    }
    return json_response(200, list_body(items, *page));
}

Response portal_get_engagement(Ctx& ctx) {
    if (!ctx.principal.can_view_projects) return denied();
    auto e = ctx.tx().query_one("SELECT * FROM engagements WHERE id = ? AND firm_id = ? AND client_id = ?",
                                {ctx.param("id"), ctx.principal.firm_id, ctx.principal.client_id});
    if (!e) return not_found();
    return json_response(200, engagement_json(*e));
}

}  // namespace cp::api
