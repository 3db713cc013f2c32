#include "server/api/invoice_list_order.hpp"

#include <fmt/format.h>

#include <charconv>

#include "server/api/invoice_records.hpp"
#include "shared/time/civil.hpp"

namespace cp::api {
namespace {

// Where a sorted page starts: after a valued row, or after a row of the trailing run
// without a value. Written "<sort>:v:<value>:<id>" ("<sort>:v:<currency>:<amount>:<id>" for
// amounts) or "<sort>:n:<id>", where <sort> is the ?sort= it belongs to: a cursor of another
// order would skip rows silently. Ids never hold ':'.
struct SortCursor {
    bool in_nulls = false;
    std::string currency;  // amounts only
    std::optional<storage::Param> value;
    std::string id;
};

std::optional<SortCursor> read_cursor(const std::string& text, const validation::InvoiceListQuery& query) {
    const auto& key = *query.sort;
    SortCursor c;
    if (text.empty()) return c;
    const std::string spec = query.sort_spec() + ":";
    if (text.rfind(spec, 0) != 0) return std::nullopt;
    const std::string rest = text.substr(spec.size());
    if (rest.rfind("n:", 0) == 0) {
        if (!key.nullable || rest.size() == 2 || rest.find(':', 2) != std::string::npos) return std::nullopt;
        c.in_nulls = true;
        c.id = rest.substr(2);
        return c;
    }
    const auto last = rest.rfind(':');
    if (rest.rfind("v:", 0) != 0 || last < 2 || last + 1 == rest.size()) return std::nullopt;
    std::string value = rest.substr(2, last - 2);
    if (value.empty()) return std::nullopt;
    c.id = rest.substr(last + 1);
    if (key.amount) {
        const auto colon = value.find(':');
        if (colon != 3) return std::nullopt;
        c.currency = value.substr(0, 3);
        value.erase(0, 4);
        std::int64_t n = 0;
        auto [ptr, ec] = std::from_chars(value.data(), value.data() + value.size(), n);
        if (value.empty() || ec != std::errc() || ptr != value.data() + value.size()) return std::nullopt;
        c.value = n;
        return c;
    }
    if (key.date && !time::parse_iso_date(value)) return std::nullopt;
    c.value = value;
    return c;
}

std::string write_cursor(const storage::Row& last, const validation::InvoiceListQuery& query) {
    const std::string col = query.sort->name;
    const std::string spec = query.sort_spec() + ":";
    if (last.is_null(col)) return spec + "n:" + last.str("id");
    const std::string currency = query.sort->amount ? last.str("currency") + ":" : std::string();
    return spec + "v:" + currency + last.str(col) + ":" + last.str("id");
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
    auto cursor = read_cursor(page.cursor, query);
    if (!cursor) {
        return error_response(400, "INVALID_PAGINATION", "cursor is malformed or belongs to another sort.", "cursor");
    }
    const char* dir = query.descending ? "DESC" : "ASC";
    const std::string col = key.name;
    std::vector<storage::Row> rows;
    const auto want = static_cast<std::size_t>(page.limit + 1);
    if (!cursor->in_nulls) {
        // Amounts go by currency first: the index is (firm_id, currency, amount, id).
        const std::string keys = key.amount ? "currency, " + col + ", id" : col + ", id";
        std::string sql = fmt::format("{} WHERE firm_id = ?{}", kInvoicesWithZone,
                                      key.nullable ? fmt::format(" AND {} IS NOT NULL", col) : std::string());
        storage::Params params{ctx.principal.firm_id};
        if (cursor->value) {
            sql += fmt::format(" AND ({}) {} ({}?, ?)", keys, query.descending ? "<" : ">", key.amount ? "?, " : "");
            if (key.amount) params.push_back(cursor->currency);
            params.push_back(*cursor->value);
            params.push_back(cursor->id);
        }
        sql += filters;
        sql += key.amount ? fmt::format(" ORDER BY currency {0}, {1} {0}, id {0} LIMIT ?", dir, col)
                          : fmt::format(" ORDER BY {1} {0}, id {0} LIMIT ?", dir, col);
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
    if (has_more && !rows.empty()) next = write_cursor(rows.back(), query);
    return json_response(200, {{"object", "list"}, {"data", items}, {"has_more", has_more}, {"next_cursor", next}});
}

}  // namespace cp::api
