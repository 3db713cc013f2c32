#pragma once
// Firm staff acting on the open invoice (AppState::detail): every body is judged by the
// core's validator first, so the page refuses exactly what the server would, with the same
// codes at the same fields; then the server decides, and the detail is read again.
#include "client/app/app_state.hpp"

namespace cp::portal {

// The open invoice's payments and signed links, read once per invoice opened.
void load_invoice_manage(AppState& state);

// The core's errors for each form as typed (empty: it may be sent).
void judge_record_payment(AppState& state);
void judge_void(AppState& state);
void judge_credit_note(AppState& state);
void judge_refund(AppState& state);

void record_invoice_payment(AppState& state);  // POST /invoices/{id}/payments, with an Idempotency-Key
void void_open_invoice(AppState& state);       // POST /invoices/{id}/void {reason}
void credit_open_invoice(AppState& state);     // POST /invoices/{id}/credit-notes {reason, lines}
void refund_payment(AppState& state);          // POST /payments/{id}/refunds {amount, reason}
void issue_open_draft(AppState& state);        // POST /invoices/{id}/issue
void delete_open_draft(AppState& state);       // DELETE /invoices/{id}: releases its entries
void create_invoice_link(AppState& state);     // POST /invoices/{id}/links
void revoke_invoice_link(AppState& state, const std::string& link_id);

}  // namespace cp::portal
