#pragma once
// Idempotency-Key on POST: the first response (below 500) is stored with a hash of the
// request, in the same transaction as the change; a replay returns it; the same key with a
// different request is 422 IDEMPOTENCY_KEY_REUSED. Keys are scoped per credential owner.
#include <functional>
#include <optional>

#include "server/app/context.hpp"

namespace cp::server {

http::Response with_idempotency(Ctx& ctx, const std::function<http::Response()>& handler);

// After a request with an Idempotency-Key lost a unique-constraint race (a concurrent request
// with the same key committed first), the stored answer of that request, so the caller gets
// the replay it would have got a moment later; nullopt when there is none to give.
std::optional<http::Response> replay_after_conflict(Ctx& ctx);

}  // namespace cp::server
