#pragma once
// Listing and adding a client's portal users (GET/POST /clients/{id}/portal-users). The
// form is judged by the core's validate_membership, the rules the server applies to the
// email, name and password of every account.
#include "client/app/app_state.hpp"

namespace cp::portal {

// Loads the users of `client_id` unless they are the ones listed already.
void show_portal_users(AppState& state, const std::string& client_id);
void judge_portal_user(AppState& state);
void create_portal_user(AppState& state);

}  // namespace cp::portal
