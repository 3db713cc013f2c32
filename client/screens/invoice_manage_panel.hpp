#pragma once
// Firm staff's actions on an invoice's page, below its totals (client/app/invoice_manage_actions.hpp).
#include "client/app/app_state.hpp"

namespace cp::portal {

// Payments with refunds, signed links, and record payment / credit note / void as the
// invoice's state and the person's role allow. Draws nothing for client portal users.
void draw_invoice_manage_panel(AppState& state);

}  // namespace cp::portal
