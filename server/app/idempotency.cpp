#include "server/app/idempotency.hpp"

#include <fmt/format.h>

#include "server/api/common.hpp"
#include "server/util/crypto.hpp"

namespace cp::server {

namespace {
constexpr std::int64_t kKeyLifetimeSeconds = 24 * 3600;

std::string scope_of(const Ctx& ctx) {
    const auto& p = ctx.principal;
    // fmt rather than operator+: g++ 12 -O2 raises false -Warray-bounds on short concatenations.
    if (p.in_firm())
        return fmt::format("firm:{}:{}", p.firm_id,
                           p.break_glass_id.empty() ? p.membership_id : p.break_glass_id);
    if (p.kind == PrincipalKind::portal_user) return fmt::format("portal:{}", p.portal_user_id);
    if (p.kind == PrincipalKind::operator_) return fmt::format("operator:{}", p.operator_id);
    return "anonymous";  // public POSTs (sign-up): the key alone must be unguessable
}
std::string request_hash_of(const Ctx& ctx) {
    return sha256_hex(fmt::format("{}\n{}\n{}", ctx.req.method, ctx.req.path, ctx.req.body));
}

// The stored answer for (scope, key), or the 422 for a different request under the same key.
std::optional<http::Response> stored_answer(Ctx& ctx, const std::string& scope, const std::string& key,
                                            const std::string& request_hash) {
    auto stored = ctx.tx().query_one(
        "SELECT request_hash, status, response_body FROM idempotency_keys WHERE scope = ? AND idem_key = ?",
        {scope, key});
    if (!stored) return std::nullopt;
    if (stored->str("request_hash") != request_hash) {
        return api::error_response(422, "IDEMPOTENCY_KEY_REUSED",
                                   "This Idempotency-Key was used with a different request.");
    }
    http::Response replay;
    replay.status = static_cast<int>(stored->i64("status"));
    replay.body = stored->str("response_body");
    api::add_header(replay, "Idempotent-Replayed", "true");
    return replay;
}

}  // namespace

std::optional<http::Response> replay_after_conflict(Ctx& ctx) {
    if (ctx.req.method != "POST") return std::nullopt;
    auto key = ctx.req.header("idempotency-key");
    if (!key || key->empty() || key->size() > 255) return std::nullopt;
    auto answer = stored_answer(ctx, scope_of(ctx), *key, request_hash_of(ctx));
    ctx.commit();
    return answer;
}

http::Response with_idempotency(Ctx& ctx, const std::function<http::Response()>& handler) {
    std::string key = *ctx.req.header("idempotency-key");
    if (key.empty() || key.size() > 255) {
        return api::error_response(400, "INVALID_IDEMPOTENCY_KEY",
                                   "Idempotency-Key must be 1-255 characters.");
    }
    std::string scope = scope_of(ctx);
    std::string request_hash = request_hash_of(ctx);
    // Keys live 24 hours, like Stripe's: after that the same key starts afresh.
    ctx.tx().exec("DELETE FROM idempotency_keys WHERE scope = ? AND idem_key = ? AND created_at <= ?",
                  {scope, key, ctx.now - kKeyLifetimeSeconds});
    if (auto answer = stored_answer(ctx, scope, key, request_hash)) return *answer;
    auto response = handler();
    if (response.status < 500 && ctx.has_tx()) {
        ctx.tx().exec(
            "INSERT INTO idempotency_keys (scope, idem_key, request_hash, status, response_body, "
            "created_at) VALUES (?, ?, ?, ?, ?, ?)",
            {scope, key, request_hash, std::int64_t{response.status}, response.body, ctx.now});
    }
    return response;
}

}  // namespace cp::server
