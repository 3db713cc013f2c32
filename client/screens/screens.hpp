#pragma once
// One function per screen; each draws from AppState and changes it only through actions.
#include "client/app/app_state.hpp"

namespace cp::portal {

void draw_login_screen(AppState& state);
void draw_invoices_screen(AppState& state);
void draw_invoice_editor_screen(AppState& state);
void draw_invoice_detail_screen(AppState& state);
void draw_not_found_screen(AppState& state);
void draw_session_expired_screen(AppState& state);
// A signed invoice link (/i/<token>): the whole page, no header bar, no account.
void draw_signed_link_screen(AppState& state);
// The header bar shown on every signed-in screen (user, firm, break-glass banner).
void draw_header_bar(AppState& state);

}  // namespace cp::portal
