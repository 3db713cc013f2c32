#pragma once
// The client page's "Portal users" (client/app/portal_user_actions.hpp).
#include "client/app/app_state.hpp"

namespace cp::portal {

// Lists the users of the client being edited and, with clients.write, a form to add one.
// `portal_enabled`: the client's saved setting (its users cannot sign in while it is off).
void draw_portal_users_panel(AppState& state, const std::string& client_id, bool portal_enabled);

}  // namespace cp::portal
