// Reading and verifying the firm's audit log. There is deliberately no route that
// updates or deletes an event.
#include <charconv>

#include "server/api/handlers.hpp"

namespace cp::api {

Response list_audit(Ctx& ctx) {
    Response err;
    auto page = parse_page(ctx, err);
    if (!page) return err;
    std::int64_t after = 0;
    if (!page->cursor.empty()) {
        auto [ptr, ec] =
            std::from_chars(page->cursor.data(), page->cursor.data() + page->cursor.size(), after);
        if (ec != std::errc() || ptr != page->cursor.data() + page->cursor.size()) {
            return error_response(400, "INVALID_PAGINATION", "cursor is malformed.", "cursor");
        }
    }
    if (!check_filter_choice(ctx, "category",
                             {"AUTH", "PERMISSIONS", "BREAK_GLASS", "BILLING", "PURGE", "CONFIG", "DATA_ACCESS", "SYSTEM"},
                             err) ||
        !check_filter_choice(ctx, "severity", {"INFO", "WARNING", "CRITICAL"}, err)) {
        return err;
    }
    std::string sql = "SELECT * FROM audit_events WHERE firm_id = ? AND seq > ?";
    storage::Params params{ctx.principal.firm_id, after};
    if (!add_exact_filters(
            ctx, {"category", "action", "severity", "actor_id", "target_type", "target_id", "outcome"}, sql,
            params, err)) {
        return err;
    }
    // since/until: Unix seconds, inclusive/exclusive.
    for (const auto& [name, op] : {std::pair{"since", " >= ?"}, std::pair{"until", " < ?"}}) {
        if (auto it = ctx.req.query.find(name); it != ctx.req.query.end()) {
            std::int64_t t = 0;
            auto [ptr, ec] = std::from_chars(it->second.data(), it->second.data() + it->second.size(), t);
            if (ec != std::errc() || ptr != it->second.data() + it->second.size()) {
                return error_response(400, "INVALID_FILTER", "since/until are Unix seconds.", name);
            }
            sql += std::string(" AND created_at") + op;
            params.push_back(t);
        }
    }
    sql += " ORDER BY seq LIMIT ?";
    params.push_back(page->limit + 1);
    json items = json::array();
    for (const auto& r : ctx.tx().query(sql, params)) items.push_back(server::audit::to_json(r));
    return json_response(200, list_body(items, *page, "seq"));
}

Response verify_audit(Ctx& ctx) {
    auto v = server::audit::verify_chain(ctx.tx(), ctx.principal.firm_id, ctx.now);
    json problems = json::array();
    for (const auto& p : v.problems) problems.push_back({{"seq", p.seq}, {"problem", p.problem}});
    return json_response(200, {{"ok", v.ok()}, {"checked", v.checked}, {"problems", problems}});
}

}  // namespace cp::api
