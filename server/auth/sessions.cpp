#include "server/auth/sessions.hpp"

#include <cctype>
#include <string_view>

#include "server/util/crypto.hpp"

namespace cp::server {

IssuedToken issue_token(storage::Transaction& tx, const SessionBinding& b, std::int64_t now,
                        std::int64_t ttl_seconds) {
    IssuedToken t{random_token(), new_id("ses"), now + ttl_seconds};
    auto opt = [](const std::string& s) -> storage::Param {
        if (s.empty()) return nullptr;
        return s;
    };
    tx.exec(
        "INSERT INTO sessions (id, token_hash, kind, firm_id, membership_id, portal_user_id, "
        "operator_id, break_glass_id, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        {t.session_id, sha256_hex(t.token), b.kind, opt(b.firm_id), opt(b.membership_id),
         opt(b.portal_user_id), opt(b.operator_id), opt(b.break_glass_id), now, t.expires_at});
    return t;
}

void revoke_session(storage::Transaction& tx, const std::string& session_id, std::int64_t now) {
    tx.exec("UPDATE sessions SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL", {now, session_id});
}

namespace {

void load_member(storage::Transaction& tx, Principal& p, const std::string& membership_id) {
    auto m = tx.query_one(
        "SELECT m.id, m.role, m.status, u.id AS user_id, u.email FROM memberships m "
        "JOIN users u ON u.id = m.user_id WHERE m.id = ? AND m.firm_id = ?",
        {membership_id, p.firm_id});
    if (!m || m->str("status") != "active") {
        p.kind = PrincipalKind::anonymous;
        return;
    }
    p.membership_id = m->str("id");
    p.role = m->str("role");
    p.user_id = m->str("user_id");
    p.email = m->str("email");
}

}  // namespace

std::optional<std::string> bearer_token(const std::optional<std::string>& authorization) {
    if (!authorization) return std::nullopt;
    const std::string& h = *authorization;
    // RFC 9110 §11.1: the scheme is case-insensitive; one or more spaces follow it.
    static constexpr std::string_view kScheme = "bearer";
    if (h.size() <= kScheme.size()) return std::nullopt;
    for (std::size_t i = 0; i < kScheme.size(); ++i) {
        if (std::tolower(static_cast<unsigned char>(h[i])) != kScheme[i]) return std::nullopt;
    }
    std::size_t start = kScheme.size();
    if (h[start] != ' ') return std::nullopt;
    while (start < h.size() && h[start] == ' ') ++start;
    std::string token = h.substr(start);
    while (!token.empty() && token.back() == ' ') token.pop_back();
    if (token.empty()) return std::nullopt;
    return token;
}

Resolved resolve_principal(storage::Transaction& tx, const std::optional<std::string>& authorization,
                           std::int64_t now) {
    Resolved out;
    if (!authorization) return out;
    out.failure = AuthFailure::invalid;
    auto token = bearer_token(authorization);
    if (!token) return out;
    auto s = tx.query_one("SELECT * FROM sessions WHERE token_hash = ?", {sha256_hex(*token)});
    if (!s || !s->is_null("revoked_at")) return out;
    // A break-glass token expires at the same second as its session: past that it still
    // resolves far enough to mark the session expired (and have it audited), then is refused.
    const bool token_expired = s->i64("expires_at") <= now;
    if (token_expired && s->str("kind") != "break_glass") return out;

    Principal p;
    p.session_id = s->str("id");
    p.firm_id = s->str("firm_id");
    const std::string kind = s->str("kind");
    if (!p.firm_id.empty()) {
        auto f = tx.query_one("SELECT status FROM firms WHERE id = ?", {p.firm_id});
        if (!f) return out;
        p.firm_status = f->str("status");
    }
    if (kind == "member") {
        p.kind = PrincipalKind::member;
        load_member(tx, p, s->str("membership_id"));
    } else if (kind == "portal_user") {
        auto u = tx.query_one(
            "SELECT pu.*, c.portal_enabled FROM portal_users pu JOIN clients c ON c.id = pu.client_id "
            "WHERE pu.id = ? AND pu.firm_id = ?",
            {s->str("portal_user_id"), p.firm_id});
        if (!u || u->str("status") != "active") return out;
        p.kind = PrincipalKind::portal_user;
        p.portal_user_id = u->str("id");
        p.client_id = u->str("client_id");
        p.email = u->str("email");
        p.can_view_billing = u->flag("can_view_billing");
        p.can_view_projects = u->flag("can_view_projects");
        p.portal_enabled = u->flag("portal_enabled");
    } else if (kind == "operator" || kind == "break_glass") {
        auto o = tx.query_one("SELECT * FROM platform_operators WHERE id = ?", {s->str("operator_id")});
        if (!o) return out;
        p.operator_id = o->str("id");
        p.operator_email = o->str("email");
        p.can_break_glass = o->flag("can_break_glass");
        p.kind = PrincipalKind::operator_;
        if (kind == "break_glass") {
            auto bg = tx.query_one("SELECT * FROM break_glass_sessions WHERE id = ? AND firm_id = ?",
                                   {s->str("break_glass_id"), p.firm_id});
            if (!bg) return out;
            if (bg->str("status") == "active" && bg->i64("expires_at") <= now) {
                tx.exec("UPDATE break_glass_sessions SET status = 'expired', closed_at = ? WHERE id = ?",
                        {bg->i64("expires_at"), bg->str("id")});
                out.break_glass_just_expired = true;
                out.failure = AuthFailure::break_glass_closed;
                return out;
            }
            if (bg->str("status") != "active") {
                out.failure = AuthFailure::break_glass_closed;
                return out;
            }
            if (token_expired) return out;
            p.kind = PrincipalKind::break_glass;
            p.break_glass_id = bg->str("id");
            p.break_glass_reason = bg->str("reason");
            p.break_glass_expires_at = bg->i64("expires_at");
            p.role = "break_glass";
            if (!bg->is_null("impersonated_membership_id")) {
                load_member(tx, p, bg->str("impersonated_membership_id"));
                if (p.kind == PrincipalKind::anonymous) return out;
            }
        }
    } else {
        return out;
    }
    if (p.kind == PrincipalKind::anonymous) return out;
    out.principal = std::move(p);
    return out;
}

}  // namespace cp::server
