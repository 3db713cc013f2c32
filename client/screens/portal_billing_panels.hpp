#pragma once
// The client portal's billing panels: what the client owes (above their invoice list), the
// payment history (below it), and paying / the PDF on an invoice's page.
#include "client/app/app_state.hpp"

namespace cp::portal {

// "Invoices from <firm>": outstanding and overdue per currency, and the next invoice due.
void draw_portal_summary(AppState& state);
// Every payment the client made, newest last.
void draw_payment_history(AppState& state);
// The invoice page's money actions: Download PDF for everyone; Pay for portal users while
// something is due.
void draw_invoice_money_actions(AppState& state);

}  // namespace cp::portal
