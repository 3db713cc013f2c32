#pragma once
// Money on an open invoice: a client portal user pays it (all or part, sandbox cards), anyone
// who may read it downloads its PDF, and a portal user sees their payment history.
#include "client/app/app_state.hpp"

namespace cp::portal {

// POST /api/v1/portal/invoices/{id}/payments with what the detail's pay form says, judged by
// the core first; then the invoice and the history are read again.
void pay_open_invoice(AppState& state);
// GET /api/v1/portal/invoices/{id}/pdf (portal users) or /api/v1/invoices/{id}/pdf (staff),
// saved by the browser as <number>.pdf.
void download_open_invoice_pdf(AppState& state);
// Follows a running PDF download; call once per frame while the detail is shown.
void poll_open_invoice_download(AppState& state);
// GET /api/v1/portal/payments (client portal users).
void load_payment_history(AppState& state);

}  // namespace cp::portal
