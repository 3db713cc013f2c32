// Invoices (read side) and the live preview, which is exactly the core's preview_invoice:
// the portal editor runs the same function in Wasm on every keystroke. The reported status
// is computed on read: `overdue` follows the client's calendar, without a nightly job.
#include <fmt/format.h>

#include "server/api/handlers.hpp"
#include "server/api/invoice_records.hpp"
#include "server/api/invoices_query.hpp"
#include "server/api/serializers.hpp"
#include "server/api/invoice_list_order.hpp"
#include "shared/billing/invoice_preview.hpp"
#include "shared/validation/invoice_list_query.hpp"

namespace cp::api {
namespace {

// SQL for "reported overdue" (billing::reported_status): open, a balance left, due before
// today in the client's zone. One (zone, today) pair per zone the firm's clients use, so the
// filter and pagination stay in SQL.
std::string overdue_condition(Ctx& ctx, storage::Params& params) {
    // fmt rather than operator+: g++ 12 -O2 raises false -Warray-bounds on short concatenations.
    std::string zones;
    for (const auto& z : ctx.tx().query("SELECT DISTINCT time_zone FROM clients WHERE firm_id = ?",
                                        {ctx.principal.firm_id})) {
        const std::string name = z.str("time_zone");
        zones =
            fmt::format("{}{}(client_time_zone = ? AND due_date < ?)", zones, zones.empty() ? "" : " OR ");
        params.push_back(name);
        params.push_back(time::format_iso_date(ctx.app.zones().local_date(name, ctx.now)));
    }
    return fmt::format(
        "(document_type = 'invoice' AND status IN ('sent', 'partial') AND due_date IS NOT NULL AND "
        "balance_due > 0 AND ({}))",
        zones.empty() ? "1 = 0" : zones);
}

bool add_status_filter(Ctx& ctx, std::string& sql, storage::Params& params, Response& error) {
    auto it = ctx.req.query.find("status");
    if (it == ctx.req.query.end()) return true;
    if (it->second.size() > 100) {
        error = error_response(400, "INVALID_FILTER", "status is at most 100 characters.", "status");
        return false;
    }
    const std::string& status = it->second;
    if (status == "overdue") {
        sql += fmt::format(" AND (status = 'overdue' OR {})", overdue_condition(ctx, params));
    } else if (status == "sent" || status == "partial") {
        sql += " AND status = ?";
        params.push_back(status);
        sql += fmt::format(" AND NOT {}", overdue_condition(ctx, params));
    } else {
        sql += " AND status = ?";
        params.push_back(status);
    }
    return true;
}

}  // namespace

json invoice_with_lines(Ctx& ctx, const storage::Row& invoice) { return invoice_view(ctx, invoice, true); }

Response list_invoices_where(Ctx& ctx, const std::string& extra_sql, storage::Params extra) {
    Response err;
    auto page = parse_page(ctx, err);
    if (!page) return err;
    Errors errors;
    const auto query = validation::read_invoice_list_query(ctx.req.query, errors);
    if (!errors.empty()) return error_response(400, errors);
    std::string filters = extra_sql;
    storage::Params filter_params = std::move(extra);
    if (!add_status_filter(ctx, filters, filter_params, err)) return err;
    if (!add_exact_filters(ctx, {"client_id", "document_type"}, filters, filter_params, err)) return err;
    add_date_filters(query, filters, filter_params);
    if (query.sort) return list_invoices_sorted(ctx, *page, query, filters, std::move(filter_params));
    // A sorted list's cursor here would read as an id and silently end the list.
    if (page->cursor.find(':') != std::string::npos) {
        return error_response(400, "INVALID_PAGINATION", "cursor belongs to a sorted list: pass the same sort.", "cursor");
    }
    std::string sql = fmt::format("{} WHERE firm_id = ? AND id > ?{} ORDER BY id LIMIT ?", kInvoicesWithZone, filters);
    storage::Params params{ctx.principal.firm_id, page->cursor};
    for (auto& p : filter_params) params.push_back(std::move(p));
    params.push_back(page->limit + 1);
    json items = json::array();
    for (const auto& r : ctx.tx().query(sql, params)) items.push_back(invoice_view(ctx, r, false));
    return json_response(200, list_body(items, *page));
}

// `?q=` finds invoices by number (a substring, so a prefix too; drafts have none).
Response list_invoices(Ctx& ctx) {
    std::string sql;
    storage::Params params;
    Response err;
    if (!add_search_filter(ctx, "number", sql, params, err)) return err;
    return list_invoices_where(ctx, sql, std::move(params));
}

Response get_invoice(Ctx& ctx) {
    auto inv = find_invoice(ctx, ctx.param("id"));
    if (!inv) return not_found();
    return json_response(200, invoice_view(ctx, *inv, true));
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
