#pragma once
// The Invoices screen's "Run package billing" panel (client/app/package_run_actions.hpp).
#include "client/app/app_state.hpp"

namespace cp::portal {

// The toggle button (owners and admins only: billing.run) and, while open, the form, the
// dry run's list and the run's counts.
void draw_package_run_button(AppState& state);
void draw_package_run_panel(AppState& state);

}  // namespace cp::portal
