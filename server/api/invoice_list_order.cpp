#include "server/api/invoice_list_order.hpp"

#include <fmt/format.h>

#include <charconv>

#include "server/api/invoice_records.hpp"

namespace cp::api {
namespace {

// Where a sorted page starts: after a valued row, or after a row of the trailing run
// without a value. Written "v:<value>:<id>" or "n:<id>" (ids never hold ':').
struct SortCursor {
    bool in_nulls = false;
    std::optional<storage::Param> value;
    std::string id;
};

std::optional<SortCursor> read_cursor(const std::string& text, const validation::InvoiceSortKey& key) {
    SortCursor c;
    if (text.empty()) return c;
    if (text.rfind("n:", 0) == 0 && key.nullable && text.size() > 2) {
        c.in_nulls = true;
        c.id = text.substr(2);
        return c;
    }
    const auto last = text.rfind(':');
    if (text.rfind("v:", 0) != 0 || last < 2 || last + 1 == text.size()) return std::nullopt;
    const std::string value = text.substr(2, last - 2);
    c.id = text.substr(last + 1);
    if (key.integer) {
        std::int64_t n = 0;
        auto [ptr, ec] = std::from_chars(value.data(), value.data() + value.size(), n);
        if (ec != std::errc() || ptr != value.data() + value.size()) return std::nullopt;
        c.value = n;
    } else {
        c.value = value;
    }
    return c;
}

// A column written so that no index can serve it ("|| ''" is an expression to both
// databases). Without statistics the planners prefer an index with a range on a filtered
// column and then sort the whole range; a keyset page must walk the index of its order.
std::string unindexed(const std::string& column) { return column + " || ''"; }

}  // namespace

void add_date_filters(const validation::InvoiceListQuery& query, std::string& sql, storage::Params& params) {
    // ISO dates compare as text, on both databases.
    const auto add = [&](const std::optional<std::string>& date, const std::string& column, const char* op) {
        if (!date) return;
        const bool ordered_by_it = query.sort && column == query.sort->name;
        sql += fmt::format(" AND {} {} ?", ordered_by_it ? column : unindexed(column), op);
        params.push_back(*date);
    };
    add(query.issued_from, "issue_date", ">=");
    add(query.issued_to, "issue_date", "<=");
    add(query.due_from, "due_date", ">=");
    add(query.due_to, "due_date", "<=");
}

Response list_invoices_sorted(Ctx& ctx, const Page& page, const validation::InvoiceListQuery& query,
                              const std::string& filters, storage::Params filter_params) {
    const auto& key = *query.sort;
    auto cursor = read_cursor(page.cursor, key);
    if (!cursor) return error_response(400, "INVALID_PAGINATION", "cursor is malformed.", "cursor");
    const char* dir = query.descending ? "DESC" : "ASC";
    const std::string col = key.name;
    std::vector<storage::Row> rows;
    const auto want = static_cast<std::size_t>(page.limit + 1);
    if (!cursor->in_nulls) {
        std::string sql = fmt::format("{} WHERE firm_id = ?{}", kInvoicesWithZone,
                                      key.nullable ? fmt::format(" AND {} IS NOT NULL", col) : std::string());
        storage::Params params{ctx.principal.firm_id};
        if (cursor->value) {
            sql += fmt::format(" AND ({}, id) {} (?, ?)", col, query.descending ? "<" : ">");
            params.push_back(*cursor->value);
            params.push_back(cursor->id);
        }
        sql += fmt::format("{} ORDER BY {} {}, id {} LIMIT ?", filters, col, dir, dir);
        for (const auto& p : filter_params) params.push_back(p);
        params.push_back(static_cast<std::int64_t>(want));
        for (auto& r : ctx.tx().query(sql, params)) rows.push_back(std::move(r));
    }
    if (key.nullable && rows.size() < want) {
        // The number's index is the unique (firm_id, number), without id: this run walks
        // (firm_id, id) instead; the dates' indexes hold id and serve it directly.
        std::string sql = fmt::format("{} WHERE firm_id = ? AND {} IS NULL", kInvoicesWithZone,
                                      col == "number" ? unindexed(col) : col);
        storage::Params params{ctx.principal.firm_id};
        if (cursor->in_nulls) {
            sql += " AND id > ?";
            params.push_back(cursor->id);
        }
        sql += fmt::format("{} ORDER BY id LIMIT ?", filters);
        for (const auto& p : filter_params) params.push_back(p);
        params.push_back(static_cast<std::int64_t>(want - rows.size()));
        for (auto& r : ctx.tx().query(sql, params)) rows.push_back(std::move(r));
    }
    const bool has_more = rows.size() > static_cast<std::size_t>(page.limit);
    if (has_more) rows.pop_back();
    json items = json::array();
    for (const auto& r : rows) items.push_back(invoice_view(ctx, r, false));
    json next = nullptr;
    if (has_more && !rows.empty()) {
        const auto& last = rows.back();
        next = last.is_null(col) ? "n:" + last.str("id") : "v:" + last.str(col) + ":" + last.str("id");
    }
    return json_response(200, {{"object", "list"}, {"data", items}, {"has_more", has_more}, {"next_cursor", next}});
}

}  // namespace cp::api
