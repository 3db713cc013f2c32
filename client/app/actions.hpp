#pragma once
// What the portal asks of the server. Each action sends a request and says how its result
// changes AppState; screens call these, never the network.
#include "client/app/app_state.hpp"

namespace cp::portal {

void start_login(AppState& state);
void load_invoices(AppState& state, bool next_page = false);
void open_invoice(AppState& state, const std::string& id);
void sign_out(AppState& state);
void open_new_invoice(AppState& state);
void add_editor_line(InvoiceEditor& editor);

// The editor's draft as the core and the API read it (without the client).
nlohmann::json editor_draft_json(const InvoiceEditor& editor);
// POST /api/v1/invoices (first save) or PATCH /api/v1/invoices/{id} (later saves).
void save_invoice_draft(AppState& state);
// POST /api/v1/invoices/{id}/issue, then opens the issued invoice.
void issue_invoice_draft(AppState& state);

}  // namespace cp::portal
