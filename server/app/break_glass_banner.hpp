#pragma once
// While a break-glass session is active on a firm, every response to that firm's staff
// carries X-Break-Glass: {session_id, operator, operator_name, reason, expires_at} for the
// portal to show.
// Client portal users never get it (the operator's address and reason are internal).
#include "server/app/context.hpp"

namespace cp::server {
void add_break_glass_banner(Ctx& ctx, http::Response& response);
}
