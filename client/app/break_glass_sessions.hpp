#pragma once
// The firm's record of operator break-glass sessions (GET /api/v1/break-glass), shown in the
// Audit log section to those who may revoke them (owner, admin): each with its reason, and
// Revoke while it is active. The header banner revokes only the session it shows.
#include <string>

#include "client/app/app_state.hpp"

namespace cp::portal {

bool may_manage_break_glass(const AppState& state);
// Loads the list into state.staff.lists["break_glass"].
void load_break_glass_sessions(AppState& state);
// POST /api/v1/break-glass/{id}/revoke with a reason naming who revoked it; then the list
// and the banner are read again.
void revoke_break_glass_session(AppState& state, const std::string& session_id);

}  // namespace cp::portal
