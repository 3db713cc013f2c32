// Break-glass: an operator with the capability opens a time-boxed session into one firm
// (reason required, default 30 min, at most 4 h), optionally impersonating a member.
// active -> expired (at expires_at, enforced per request) | revoked (operator or a firm
// owner/admin, with a reason). Closed sessions can be reviewed once. All CRITICAL audit.
#include "server/api/handlers.hpp"
#include "server/api/serializers.hpp"
#include "server/auth/sessions.hpp"
#include "server/util/crypto.hpp"
#include "shared/state/break_glass_status.hpp"
#include "shared/validation/break_glass_validation.hpp"

namespace cp::api {
namespace {

// The expiry rule holds whatever a cron did or did not do: any read past expires_at
// closes the session first.
std::optional<storage::Row> load(Ctx& ctx, const std::string& id, const std::string& firm_id = "") {
    std::string sql = "SELECT * FROM break_glass_sessions WHERE id = ?";
    storage::Params params{id};
    if (!firm_id.empty()) {
        sql += " AND firm_id = ?";
        params.push_back(firm_id);
    }
    auto s = ctx.tx().query_one(sql, params);
    if (s && s->str("status") == "active" && s->i64("expires_at") <= ctx.now) {
        ctx.tx().exec("UPDATE break_glass_sessions SET status = 'expired', closed_at = ? WHERE id = ?",
                      {s->i64("expires_at"), id});
        server::audit::Event e;
        e.firm_id = s->str("firm_id");
        e.category = "BREAK_GLASS";
        e.action = "break_glass.expire";
        e.severity = "CRITICAL";
        e.target_type = "break_glass_session";
        e.target_id = e.break_glass_id = id;
        record(ctx, e);
        s = ctx.tx().query_one(sql, params);
    }
    return s;
}

server::audit::Event bg_event(Ctx& ctx, const char* action, const storage::Row& s) {
    auto e = audit_event(ctx, "BREAK_GLASS", action, "CRITICAL");
    e.firm_id = s.str("firm_id");
    e.target_type = "break_glass_session";
    e.target_id = s.str("id");
    if (e.break_glass_id.empty()) e.break_glass_id = s.str("id");
    return e;
}

Response close(Ctx& ctx, const storage::Row& s, const std::string& by, const std::string& reason,
               const char* action) {
    auto from = state::parse_break_glass_status(s.str("status"));
    auto moved = state::transition(from.value(), state::BreakGlassStatus::revoked);
    if (!moved) return error_response(409, {moved.error()});
    ctx.tx().exec(
        "UPDATE break_glass_sessions SET status = 'revoked', closed_at = ?, closed_by = ?, close_reason = ? "
        "WHERE id = ?",
        {ctx.now, by, reason, s.str("id")});
    ctx.tx().exec("UPDATE sessions SET revoked_at = ? WHERE break_glass_id = ? AND revoked_at IS NULL",
                  {ctx.now, s.str("id")});
    auto e = bg_event(ctx, action, s);
    e.reason = reason;
    record(ctx, e);
    return json_response(200, break_glass_json(*load(ctx, s.str("id"))));
}

}  // namespace

Response open_break_glass(Ctx& ctx) {
    if (!ctx.principal.can_break_glass) return forbidden("FORBIDDEN", "You lack the break-glass capability.");
    Response err;
    auto body = parse_object(ctx, err);
    if (!body) return err;
    if (auto errors = validation::validate_break_glass_open(*body); !errors.empty())
        return validation_failed(errors);
    const auto reason = std::optional<std::string>((*body)["reason"].get<std::string>());
    const std::int64_t minutes = body->value("duration_minutes", validation::kDefaultBreakGlassMinutes);
    const std::string firm_id = str_or(*body, "firm_id");
    auto firm = ctx.tx().query_one("SELECT id, slug FROM firms WHERE id = ?", {firm_id});
    if (!firm) return not_found();
    storage::Param impersonated = nullptr;
    if (body->contains("impersonate_user_id")) {
        auto m = ctx.tx().query_one(
            "SELECT id FROM memberships WHERE user_id = ? AND firm_id = ? AND status = 'active'",
            {str_or(*body, "impersonate_user_id"), firm_id});
        if (!m) return not_found();
        impersonated = m->str("id");
    }
    const std::string id = server::new_id("bg");
    const std::int64_t expires_at = ctx.now + minutes * 60;
    ctx.tx().exec(
        "INSERT INTO break_glass_sessions (id, firm_id, operator_id, reason, impersonated_membership_id, "
        "status, opened_at, expires_at) VALUES (?, ?, ?, ?, ?, 'active', ?, ?)",
        {id, firm_id, ctx.principal.operator_id, *reason, impersonated, ctx.now, expires_at});
    server::SessionBinding b{"break_glass", firm_id, "", "", ctx.principal.operator_id, id};
    auto token = server::issue_token(ctx.tx(), b, ctx.now, minutes * 60);
    auto s = load(ctx, id);
    auto e = bg_event(ctx, "break_glass.open", *s);
    e.reason = *reason;
    e.target_label = firm->str("slug");
    e.metadata["expires_at"] = iso(expires_at);
    if (!impersonated.is_null()) e.metadata["impersonated_membership_id"] = impersonated.text;
    record(ctx, e);
    json out = break_glass_json(*s);
    out["token"] = token.token;
    return json_response(201, out);
}

Response get_break_glass(Ctx& ctx) {
    auto s = load(ctx, ctx.param("id"));
    if (!s) return not_found();
    return json_response(200, break_glass_json(*s));
}

Response operator_revoke_break_glass(Ctx& ctx) {
    Response err;
    auto body = parse_object(ctx, err);
    if (!body) return err;
    auto s = load(ctx, ctx.param("id"));
    if (!s) return not_found();
    if (!ctx.principal.can_break_glass) {
        return forbidden("FORBIDDEN", "Only operators with the break-glass capability may revoke sessions.");
    }
    if (auto errors = validation::validate_break_glass_revoke(*body); !errors.empty())
        return validation_failed(errors);
    const auto reason = std::optional<std::string>((*body)["reason"].get<std::string>());
    return close(ctx, *s, "operator:" + ctx.principal.operator_id, *reason, "break_glass.revoke");
}

Response end_break_glass(Ctx& ctx) {
    auto s = load(ctx, ctx.param("id"));
    if (!s) return not_found();
    if (s->str("operator_id") != ctx.principal.operator_id) {
        return forbidden("FORBIDDEN", "Only the operator who opened a session can end it.");
    }
    return close(ctx, *s, "operator:" + ctx.principal.operator_id, "ended by operator", "break_glass.end");
}

Response review_break_glass(Ctx& ctx) {
    Response err;
    auto body = ctx.req.body.empty() ? std::optional<json>(json::object()) : parse_object(ctx, err);
    if (!body) return err;
    auto s = load(ctx, ctx.param("id"));
    if (!s) return not_found();
    if (!state::can_review(state::parse_break_glass_status(s->str("status")).value())) {
        return error_response(409, "INVALID_TRANSITION", "Only a closed session can be reviewed.", "status");
    }
    // Four eyes: a session is reviewed by a break-glass operator other than the one who used it.
    if (!ctx.principal.can_break_glass) {
        return forbidden("FORBIDDEN", "Only operators with the break-glass capability may review sessions.");
    }
    if (s->str("operator_id") == ctx.principal.operator_id) {
        return forbidden("SELF_REVIEW",
                         "A session is reviewed by another operator than the one who opened it.");
    }
    if (!s->is_null("reviewed_at"))
        return error_response(409, "ALREADY_REVIEWED", "This session was reviewed.");
    ctx.tx().exec(
        "UPDATE break_glass_sessions SET reviewed_at = ?, reviewed_by = ?, review_notes = ? WHERE id = ?",
        {ctx.now, ctx.principal.operator_id, str_or(*body, "notes"), s->str("id")});
    auto e = bg_event(ctx, "break_glass.review", *s);
    e.reason = str_or(*body, "notes");
    record(ctx, e);
    return json_response(200, break_glass_json(*load(ctx, s->str("id"))));
}

Response firm_list_break_glass(Ctx& ctx) {
    Response err;
    auto page = parse_page(ctx, err);
    if (!page) return err;
    json items = json::array();
    for (const auto& r : ctx.tx().query(
             "SELECT id FROM break_glass_sessions WHERE firm_id = ? AND id > ? ORDER BY id LIMIT ?",
             {ctx.principal.firm_id, page->cursor, page->limit + 1})) {
        items.push_back(break_glass_json(*load(ctx, r.str("id"), ctx.principal.firm_id)));
    }
    return json_response(200, list_body(items, *page));
}

Response firm_revoke_break_glass(Ctx& ctx) {
    Response err;
    auto body = parse_object(ctx, err);
    if (!body) return err;
    auto s = load(ctx, ctx.param("id"), ctx.principal.firm_id);
    if (!s) return not_found();
    if (auto errors = validation::validate_break_glass_revoke(*body); !errors.empty())
        return validation_failed(errors);
    const auto reason = std::optional<std::string>((*body)["reason"].get<std::string>());
    return close(ctx, *s, "member:" + ctx.principal.user_id, *reason, "break_glass.revoke");
}

}  // namespace cp::api
