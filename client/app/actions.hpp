#pragma once
// What the portal asks of the server. Each action sends a request and says how its result
// changes AppState; screens call these, never the network.
#include "client/app/app_state.hpp"

namespace cp::portal {

// `firm`: the slug chosen when the account belongs to several firms.
void start_login(AppState& state, const std::string& firm = "");
// A login or switch-firm answer ({token, user, membership | portal_user}) becomes the
// session: the header's facts, the lists of the previous session dropped, home opened.
void begin_session(AppState& state, const nlohmann::json& answer, const std::string& email);
void load_invoices(AppState& state, bool next_page = false);
void open_invoice(AppState& state, const std::string& id);
void sign_out(AppState& state);
void open_new_invoice(AppState& state);
void add_editor_line(InvoiceEditor& editor);
bool editor_has_unsaved_changes(const InvoiceEditor& editor);

// The session is kept in sessionStorage so reloads and deep links stay signed in (this tab
// only; cleared on sign-out and when the server says the session ended).
void persist_session(const Session& session);
// Restores a stored session at start-up; false when there is none.
bool restore_session(AppState& state);
// The server answered 401 to a signed-in request: the session is over (expired, revoked).
void end_expired_session(AppState& state);

// Break-glass: revoke the operator's session (owners and admins).
void revoke_break_glass(AppState& state);
// Asks the server again so a revoked or expired banner disappears within seconds.
void recheck_break_glass(AppState& state);

// The editor's draft as the core and the API read it (without the client).
nlohmann::json editor_draft_json(const InvoiceEditor& editor);
// POST /api/v1/invoices (first save) or PATCH /api/v1/invoices/{id} (later saves).
void save_invoice_draft(AppState& state);
// POST /api/v1/invoices/{id}/issue, then opens the issued invoice.
void issue_invoice_draft(AppState& state);

}  // namespace cp::portal
