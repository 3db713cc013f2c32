#pragma once
// Every screen has a hash route, so the address bar, Back/Forward, reload and deep links
// work: #/login, #/invoices, #/invoices/new, #/invoices/<id>; anything else is "not found".
// Hash routes need nothing from the server beyond index.html.
#include <string>

#include "client/app/app_state.hpp"

namespace cp::portal {

// The route of what the portal shows now.
std::string route_of(const AppState& state);

// Moves the portal to `hash` (from the address bar, Back/Forward or after signing in).
// Leaving an editor with unsaved changes asks first instead.
void go_to_route(AppState& state, const std::string& hash);

// Keeps the address bar in step with the screen; call once per frame after drawing.
void publish_route(AppState& state);

}  // namespace cp::portal
