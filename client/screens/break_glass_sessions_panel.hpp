#pragma once
#include "client/app/app_state.hpp"

namespace cp::portal {

// Operator sessions on this firm, newest last, with Revoke on the active ones (owner, admin).
void draw_break_glass_sessions(AppState& state);

}  // namespace cp::portal
