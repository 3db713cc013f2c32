// Platform operators see firm metadata only — name, status, plan, counts — never content.
#include "server/api/handlers.hpp"
#include "server/api/serializers.hpp"
#include "shared/state/firm_status.hpp"

namespace cp::api {
namespace {

// A macro so queries are joined at compile time (literal concatenation).
#define CP_FIRM_METADATA_SELECT                                                                             \
    "SELECT f.id, f.name, f.slug, f.status, f.plan, f.created_at, "                                         \
    "(SELECT COUNT(*) FROM memberships m WHERE m.firm_id = f.id AND m.status = 'active') AS member_count, " \
    "(SELECT COUNT(*) FROM clients c WHERE c.firm_id = f.id) AS client_count FROM firms f "

}  // namespace

Response operator_list_firms(Ctx& ctx) {
    Response err;
    auto page = parse_page(ctx, err);
    if (!page) return err;
    json items = json::array();
    for (const auto& r : ctx.tx().query(CP_FIRM_METADATA_SELECT "WHERE f.id > ? ORDER BY f.id LIMIT ?",
                                        {page->cursor, page->limit + 1})) {
        items.push_back(firm_metadata_json(r));
    }
    return json_response(200, list_body(items, *page));
}

Response operator_get_firm(Ctx& ctx) {
    auto r = ctx.tx().query_one(CP_FIRM_METADATA_SELECT "WHERE f.id = ?", {ctx.param("id")});
    if (!r) return not_found();
    return json_response(200, firm_metadata_json(*r));
}

Response operator_set_firm_status(Ctx& ctx) {
    Response err;
    auto body = parse_object(ctx, err);
    if (!body) return err;
    auto f = ctx.tx().query_one("SELECT * FROM firms WHERE id = ?", {ctx.param("id")});
    if (!f) return not_found();
    const std::string to = str_or(*body, "status");
    const std::string reason = str_or(*body, "reason");
    if (reason.empty()) return validation_failed({{"VALIDATION_REQUIRED", "reason", "a reason is required"}});
    // The transition rules are the core's (shared/state/firm_status.hpp).
    auto target = state::parse_firm_status(to);
    if (!target) return validation_failed({target.error()});
    // Offboarding belongs to the firm's owner (and its purge to the exit runner), never to
    // an operator's status change.
    if (*target == state::FirmStatus::offboarding || f->str("status") == "offboarding") {
        return error_response(409, "OFFBOARDING_OWNER_ONLY",
                              "Offboarding is started and cancelled by the firm's owner only.", "status");
    }
    auto moved = state::transition(state::parse_firm_status(f->str("status")).value(), *target);
    if (!moved) return error_response(409, {moved.error()});
    ctx.tx().exec("UPDATE firms SET status = ?, updated_at = ? WHERE id = ?", {to, ctx.now, f->str("id")});
    auto e = audit_event(ctx, "CONFIG", "firm.status", "CRITICAL");
    e.firm_id = f->str("id");
    e.target_type = "firm";
    e.target_id = f->str("id");
    e.target_label = f->str("slug");
    e.reason = reason;
    e.metadata["before"] = f->str("status");
    e.metadata["after"] = to;
    record(ctx, e);
    return operator_get_firm(ctx);
}

Response operator_verify_audit(Ctx& ctx) {
    json chains = json::array();
    bool ok = true;
    for (const auto& id : server::audit::chain_ids(ctx.tx())) {
        auto v = server::audit::verify_chain(ctx.tx(), id, ctx.now);
        ok = ok && v.ok();
        json problems = json::array();
        for (const auto& p : v.problems) problems.push_back({{"seq", p.seq}, {"problem", p.problem}});
        chains.push_back({{"chain", id}, {"ok", v.ok()}, {"checked", v.checked}, {"problems", problems}});
    }
    return json_response(200, {{"ok", ok}, {"chains", chains}});
}

}  // namespace cp::api
