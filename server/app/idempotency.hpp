#pragma once
// Idempotency-Key on POST: the first response (below 500) is stored with a hash of the
// request, in the same transaction as the change; a replay returns it; the same key with a
// different request is 422 IDEMPOTENCY_KEY_REUSED. Keys are scoped per credential owner.
#include <functional>

#include "server/app/context.hpp"

namespace cp::server {

http::Response with_idempotency(Ctx& ctx, const std::function<http::Response()>& handler);

}  // namespace cp::server
