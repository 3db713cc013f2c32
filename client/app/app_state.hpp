#pragma once
// Everything the portal knows, in one struct. Screens are functions of it; network results
// enter it only through apply_api_results() (client/api/api_client.hpp).
#include <array>
#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "client/app/hourly_invoice_state.hpp"
#include "client/app/invoice_manage_state.hpp"
#include "client/app/nav_state.hpp"
#include "client/app/package_run_state.hpp"
#include "client/app/portal_user_state.hpp"
#include "client/app/signed_link_state.hpp"
#include "client/app/staff_state.hpp"
#include "shared/billing/draft_reader.hpp"
#include "shared/core/error.hpp"
#include "shared/validation/field_rules.hpp"

namespace cp::portal {

// staff: a section of the firm workspace other than invoices (StaffWorkspace says which).
enum class Screen { login, invoices, invoice_editor, invoice_detail, not_found, session_expired, signed_link, staff };

// Field limits in code points; buffers hold four bytes per code point (any UTF-8) plus NUL.
// The core's own limits where it has one, so the portal refuses exactly what the core would.
inline constexpr int kEmailChars = static_cast<int>(validation::kMaxEmailLength);
inline constexpr int kPasswordChars = 256;
inline constexpr int kDescriptionChars = static_cast<int>(billing::kMaxDescriptionLength);
inline constexpr int kNumberChars = 32;
constexpr std::size_t buffer_for(int chars) { return static_cast<std::size_t>(chars) * 4 + 1; }

struct Session {
    std::string token;
    std::string email;
    std::string display_name;
    std::string firm_name;
    std::string role;  // firm role, or "client portal" for a client portal user
    bool is_portal_user = false;
    std::string client_name;  // portal users: the client they sign in for
};

struct LoginForm {
    std::array<char, buffer_for(kEmailChars)> email{};
    std::array<char, buffer_for(kPasswordChars)> password{};
    bool in_flight = false;
    std::optional<Error> error;
    // An account in several firms: the server's list to pick from ([{id, name, slug}]).
    nlohmann::json firm_choices = nlohmann::json::array();
};

struct InvoiceRow {
    std::string id, number, client_id, client_name, status, issue_date, due_date, currency;
    std::string total, balance_due;
};

struct InvoiceList {
    std::vector<InvoiceRow> rows;
    std::string next_cursor;  // non-empty while the server has more pages
    bool loading = false;
    bool loaded = false;
    std::optional<Error> error;
    std::map<std::string, std::string> client_names;  // client id -> company name
    // Staff: the server-side filters of the list (indexes into the screen's choices).
    int status_filter = 0;
    std::string client_filter;  // a client id, or "" for all
    // Staff: the issue-date range typed into the filter row (YYYY-MM-DD, either may be
    // empty), what was last sent, and the core's verdict on what was typed: a bad range
    // is shown at its field and never sent.
    std::array<char, 41> issued_from{}, issued_to{};
    std::string applied_from, applied_to;
    std::vector<Error> date_errors;
    int scrolled_to = -1;       // the keyboard cursor row last scrolled into view
    // Bumped whenever rows change: the table's sorted order is rebuilt only then (or when
    // the sort changes), not every frame, so 100,000 rows cost what a screenful does.
    int version = 0;
    std::vector<int> order;
    int order_version = -1, order_column = -2;
    bool order_descending = false;
    // Client portal users: what they owe ({by_currency{CUR{outstanding, overdue, open_invoices,
    // overdue_invoices}}, next_due}), as the server computed it.
    nlohmann::json summary;
};

// One invoice as stored, and the core's recomputation of its totals from its lines: the
// portal shows both agree (or loudly that they do not).
struct InvoiceDetail {
    std::string id;
    nlohmann::json invoice;     // the server's document, with lines
    nlohmann::json recomputed;  // preview_invoice() over the same lines
    bool totals_match = false;
    bool loading = false;
    std::optional<Error> error;
    PayForm pay;          // client portal users pay from here
    int download_id = 0;  // the PDF download in progress (page::download_status), 0 if none
    std::string download_note;
};

// A client portal user's payments on every invoice (GET /api/v1/portal/payments).
struct PaymentHistory {
    nlohmann::json rows = nlohmann::json::array();
    bool loaded = false;
    std::optional<Error> error;
};

struct EditorLine {
    std::array<char, buffer_for(kDescriptionChars)> description{};
    std::array<char, buffer_for(kNumberChars)> quantity{};
    std::array<char, buffer_for(kNumberChars)> unit_price{};
    std::array<char, buffer_for(kNumberChars)> tax_rate{};
};

struct InvoiceEditor {
    int currency_index = 0;
    int rounding_index = 0;  // half_up, half_even
    int tax_mode_index = 0;  // per_line, per_document
    std::vector<EditorLine> lines;
    std::string last_input;  // the draft JSON the current preview was computed from
    nlohmann::json preview;  // the core's answer for last_input
    // "code@field" of every error drawn in the last frame: a test checks none is hidden.
    std::vector<std::string> shown_errors;
    // Saving and issuing: the client billed, the draft once the server has it, and the
    // server's errors of the last save or issue (drawn at their fields like the core's).
    std::string client_id;
    std::string draft_id;
    std::string issued_number, issued_due_date;
    bool saving = false;
    bool issuing = false;
    nlohmann::json server_errors = nlohmann::json::array();
    std::string notice;
    std::string saved_input;     // the draft as last saved (or opened): unsaved when different
    std::string leave_to_route;  // non-empty while "discard unsaved changes?" is asked
};

// An operator's break-glass session inside the firm, from the X-Break-Glass header.
struct BreakGlassBanner {
    std::string session_id, operator_email, operator_name, reason;
    double expires_at_ms = 0;  // Unix epoch
    bool revoking = false;
    bool active() const { return !session_id.empty(); }
};

// How the invoice table is ordered (a click on a header changes it).
// Number, dates and amounts are sorted by the server (the whole list, page by page);
// client and status order the rows loaded so far.
struct TableSort {
    int column = -1;  // -1: the server's creation order
    bool descending = false;
    friend bool operator==(const TableSort&, const TableSort&) = default;
};

struct AppState {
    Screen screen = Screen::login;
    Session session;
    LoginForm login;
    InvoiceList invoices;
    InvoiceEditor editor;
    InvoiceDetail detail;
    InvoiceManage manage;            // firm staff's actions on the open invoice
    HourlyInvoiceForm hourly;        // "Bill hours" of an engagement (Engagements section)
    PackageRunForm package_run;      // "Run package billing" (Invoices, owners and admins)
    PortalUsers portal_users;        // the open client's portal users (Clients section)
    PaymentHistory payment_history;  // client portal users only
    SignedLink link;               // only when the page was opened at /i/<token>
    StaffWorkspace staff;          // firm staff only: the workspace sections
    NavState nav;                  // firm staff only: global search, firm switcher
    BreakGlassBanner break_glass;  // firm staff only; never kept for client portal users
    double banner_checked_ms = 0;  // last time the banner was re-checked with the server
    std::string notice;            // one-line status (e.g. a network failure)
    std::string published_route;   // what the address bar shows
    std::string return_route;      // where to go after signing in again
    TableSort invoice_sort;
    // The ?sort= the loaded rows came in ("" creation order). A client or status column
    // orders those rows in the portal and leaves this, and the rows, as they are.
    std::string invoice_server_sort;
    // Bumped by every fresh invoice load (a filter change, Refresh, signing in); kept across
    // the list's resets. An answer to an older request, such as a next page asked for by
    // scrolling just before, is dropped rather than mixed into the new list.
    int invoice_generation = 0;
    int selected_row = -1;         // keyboard cursor in the invoice table
    bool narrow = false;           // phone-width layout (under 640 CSS px)
    float dpi_scale = 1.0f;
    std::uint32_t frame = 0;
};

}  // namespace cp::portal
