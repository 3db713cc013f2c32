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

}  // namespace cp::portal
