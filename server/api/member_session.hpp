#pragma once
// A member's session in one firm, as login and switch-firm both answer it.
#include "server/api/common.hpp"

namespace cp::api {

// Issues a token bound to `membership` (columns id, role, firm_id, firm_name, firm_slug,
// firm_status) and answers {token, token_type, expires_at, user, membership}. The caller
// audits: login and switch-firm record different events.
Response member_session_answer(Ctx& ctx, const storage::Row& user, const storage::Row& membership);

}  // namespace cp::api
