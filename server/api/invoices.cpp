// Invoices (read side) and the live preview, which is exactly the core's preview_invoice:
// the portal editor runs the same function in Wasm on every keystroke.
#include "server/api/handlers.hpp"
#include "server/api/invoices_query.hpp"
#include "server/api/serializers.hpp"
#include "shared/billing/invoice_preview.hpp"

namespace cp::api {

json invoice_with_lines(Ctx& ctx, const storage::Row& invoice) {
    json out = invoice_json(invoice);
    json lines = json::array();
    for (const auto& l :
         ctx.tx().query("SELECT * FROM invoice_lines WHERE invoice_id = ? AND firm_id = ? ORDER BY position",
                        {invoice.str("id"), invoice.str("firm_id")})) {
        lines.push_back(invoice_line_json(l, invoice.str("currency")));
    }
    out["lines"] = lines;
    return out;
}

Response list_invoices_where(Ctx& ctx, const std::string& extra_sql, storage::Params extra) {
    Response err;
    auto page = parse_page(ctx, err);
    if (!page) return err;
    std::string sql = "SELECT * FROM invoices WHERE firm_id = ? AND id > ?" + extra_sql;
    storage::Params params{ctx.principal.firm_id, page->cursor};
    for (auto& p : extra) params.push_back(std::move(p));
    if (!add_exact_filters(ctx, {"status", "client_id"}, sql, params, err)) return err;
    sql += " ORDER BY id LIMIT ?";
    params.push_back(page->limit + 1);
    json items = json::array();
    for (const auto& r : ctx.tx().query(sql, params)) items.push_back(invoice_json(r));
    return json_response(200, list_body(items, *page));
}

Response list_invoices(Ctx& ctx) { return list_invoices_where(ctx, "", {}); }

Response get_invoice(Ctx& ctx) {
    auto inv = ctx.tx().query_one("SELECT * FROM invoices WHERE id = ? AND firm_id = ?",
                                  {ctx.param("id"), ctx.principal.firm_id});
    if (!inv) return not_found();
    return json_response(200, invoice_with_lines(ctx, *inv));
}

Response preview_invoice(Ctx& ctx) {
    Response err;
    auto body = parse_object(ctx, err);
    if (!body) return err;
    if (!body->contains("currency")) {
        auto firm = ctx.tx().query_one("SELECT currency FROM firms WHERE id = ?", {ctx.principal.firm_id});
        (*body)["currency"] = firm->str("currency");
    }
    json result = billing::preview_invoice(*body);
    if (!result.value("ok", false)) {
        Errors errors;
        for (const auto& e : result["errors"]) {
            errors.push_back({e.value("code", ""), e.value("field", ""), e.value("message", "")});
        }
        return validation_failed(errors);
    }
    return json_response(200, result);
}

}  // namespace cp::api
