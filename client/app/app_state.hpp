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

#include "shared/core/error.hpp"

namespace cp::portal {

enum class Screen { login, invoices, invoice_editor, invoice_detail };

struct Session {
    std::string token;
    std::string email;
    std::string display_name;
    std::string firm_name;
    std::string role;  // firm role, or "portal" for a client portal user
    bool is_portal_user = false;
};

struct LoginForm {
    std::array<char, 256> email{};
    std::array<char, 256> password{};
    bool in_flight = false;
    std::optional<Error> error;
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
};

struct EditorLine {
    std::array<char, 201> description{};
    std::array<char, 32> quantity{};
    std::array<char, 32> unit_price{};
    std::array<char, 16> tax_rate{};
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
};

struct AppState {
    Screen screen = Screen::login;
    Session session;
    LoginForm login;
    InvoiceList invoices;
    InvoiceEditor editor;
    InvoiceDetail detail;
    std::string break_glass_banner;  // non-empty while an operator session is active
    std::string notice;              // one-line status (e.g. a network failure)
    float dpi_scale = 1.0f;
    std::uint32_t frame = 0;
};

}  // namespace cp::portal
