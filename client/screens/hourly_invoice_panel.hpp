#pragma once
// The Engagements section's "Bill hours" form (client/app/hourly_invoice_actions.hpp).
#include "client/app/app_state.hpp"

namespace cp::portal {

// Draws the form while one is open (AppState::hourly); nothing otherwise.
void draw_hourly_invoice_panel(AppState& state);

}  // namespace cp::portal
