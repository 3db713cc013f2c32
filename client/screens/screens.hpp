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

// The firm workspace (staff only): whether the screen is one of its sections, its sidebar
// (wide screens), its folding menu (phone width) and breadcrumbs.
bool is_workspace_screen(const AppState& state);
void draw_sidebar(AppState& state, float width);
void draw_narrow_menu(AppState& state);
void draw_breadcrumbs(AppState& state);
// nav_widgets.cpp: the global search (sidebar or phone menu) and the firm switcher (header;
// its width is 0 while the account has one firm).
void draw_global_search(AppState& state);
float firm_switcher_width(AppState& state);
void draw_firm_switcher(AppState& state);
// Screen::staff: the open section (client/screens/*_screen.cpp below).
void draw_staff_screen(AppState& state);
void draw_dashboard_screen(AppState& state);
void draw_pipeline_screen(AppState& state);  // pipeline_screen.cpp: board, lead and proposal editors
void draw_clients_screen(AppState& state);
void draw_engagements_screen(AppState& state);
void draw_time_screen(AppState& state);
void draw_payments_screen(AppState& state);
// The Payments side's switch between its payments and its autopay failures (retry dates in
// the client's zone) with the firm's alerts; true when it drew the latter.
bool draw_payment_failures_panel(AppState& state);
void draw_disputes_screen(AppState& state);
void draw_reports_screen(AppState& state);
void draw_settings_screen(AppState& state);
void draw_members_screen(AppState& state);
void draw_member_add_panel(AppState& state);  // member_add_panel.cpp
void draw_audit_screen(AppState& state);

}  // namespace cp::portal
