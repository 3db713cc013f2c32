#include "client/app/actions.hpp"

#include <cstring>
#include <iterator>

#include "client/api/api_client.hpp"
#include "client/app/editor_choices.hpp"
#include "client/app/invoice_billing_actions.hpp"
#include "client/app/routes.hpp"
#include "client/app/workspace.hpp"
#include "client/platform/page_bridge.hpp"
#include "shared/billing/invoice_preview.hpp"

namespace cp::portal {
namespace {

std::string text_of(const nlohmann::json& object, const char* key) {
    if (!object.is_object() || !object.contains(key)) return {};
    const auto& v = object[key];
    if (v.is_string()) return v.get<std::string>();
    if (v.is_number_integer()) return std::to_string(v.get<long long>());
    return {};
}

InvoiceRow row_from_json(const nlohmann::json& j) {
    InvoiceRow row;
    row.id = text_of(j, "id");
    row.number = text_of(j, "number");
    row.client_id = text_of(j, "client_id");
    row.client_name = text_of(j, "client_name");
    if (row.client_name.empty() && j.contains("client") && j["client"].is_object()) {
        row.client_name = text_of(j["client"], "company_name");
    }
    row.status = text_of(j, "status");
    row.issue_date = text_of(j, "issue_date");
    row.due_date = text_of(j, "due_date");
    row.currency = text_of(j, "currency");
    row.total = text_of(j, "total");
    row.balance_due = text_of(j, "balance_due");
    return row;
}

}  // namespace

void load_portal_firm(AppState& state);

void start_login(AppState& state, const std::string& firm) {
    if (state.login.in_flight) return;
    state.login.in_flight = true;
    state.login.error.reset();
    nlohmann::json body = {{"email", state.login.email.data()},
                           {"password", state.login.password.data()}};
    if (!firm.empty()) body["firm"] = firm;
    api_request("POST", "/api/v1/auth/login", body.dump(), "", [](AppState& s, const ApiResult& r) {
        s.login.in_flight = false;
        auto j = parse_answer(r.body);
        if (r.status != 200 || !j.is_object() || !j.contains("token") || !j["token"].is_string()) {
            s.login.error = error_from_api(r);
            // Several firms: the person picks one (login_screen.cpp) and it is sent again.
            s.login.firm_choices = s.login.error->code == "FIRM_SELECTION_REQUIRED" && j.is_object() &&
                                           j.contains("firms") && j["firms"].is_array()
                                       ? j["firms"]
                                       : nlohmann::json::array();
            return;
        }
        s.login.firm_choices = nlohmann::json::array();
        begin_session(s, j, s.login.email.data());
        // The password leaves memory as soon as it has done its job.
        std::memset(s.login.password.data(), 0, s.login.password.size());
    });
}

void begin_session(AppState& s, const nlohmann::json& j, const std::string& email) {
    s.session = {};
    s.session.token = j["token"].get<std::string>();
    s.session.email = email;
    const auto& user = j.contains("user") ? j["user"] : nlohmann::json{};
    s.session.display_name = text_of(user, "name");
    if (s.session.display_name.empty()) s.session.display_name = text_of(user, "email");
    if (j.contains("membership") && j["membership"].is_object()) {
        const auto& m = j["membership"];
        s.session.role = text_of(m, "role");
        if (m.contains("firm")) s.session.firm_name = text_of(m["firm"], "name");
    }
    if (j.contains("portal_user") && j["portal_user"].is_object()) {
        const auto& pu = j["portal_user"];
        s.session.is_portal_user = true;
        s.session.role = "client portal";
        s.session.display_name = text_of(pu, "name");
        s.session.client_name = text_of(pu, "client_name");
        load_portal_firm(s);
    }
    persist_session(s.session);
    const std::string back_to = s.return_route.empty() ? home_route(s.session.role, s.session.is_portal_user) : s.return_route;
    s.return_route.clear();
    s.invoices = {};
    s.staff = {};
    s.nav = {};
    s.package_run = {};
    s.portal_users = {};
    s.break_glass = {};
    s.detail = {};
    s.manage = {};
    s.hourly = {};
    // A portal user's one client is named by the login itself (after the reset above, or
    // the list would show the client's id).
    if (s.session.is_portal_user) s.invoices.client_names[text_of(j["portal_user"], "client_id")] = s.session.client_name;
    s.screen = Screen::invoices;
    if (reads_invoices(s.session.role, s.session.is_portal_user)) load_invoices(s);
    go_to_route(s, back_to);
}

// A portal user is billed by a firm: the header names that firm, not the client itself.
void load_portal_firm(AppState& state) {
    api_request("GET", "/api/v1/portal/me", "", state.session.token, [](AppState& s, const ApiResult& r) {
        auto j = parse_answer(r.body);
        if (r.status != 200 || !j.is_object() || !j.contains("firm")) return;
        s.session.firm_name = text_of(j["firm"], "name");
        if (j.contains("client")) s.session.client_name = text_of(j["client"], "company_name");
        persist_session(s.session);
    });
}

void persist_session(const Session& session) {
    page::store_session(nlohmann::json{{"token", session.token},
                                       {"email", session.email},
                                       {"display_name", session.display_name},
                                       {"firm_name", session.firm_name},
                                       {"role", session.role},
                                       {"client_name", session.client_name},
                                       {"is_portal_user", session.is_portal_user}}
                            .dump());
}

bool restore_session(AppState& state) {
    auto j = parse_answer(page::stored_session());
    if (!j.is_object() || text_of(j, "token").empty()) return false;
    state.session.token = text_of(j, "token");
    state.session.email = text_of(j, "email");
    state.session.display_name = text_of(j, "display_name");
    state.session.firm_name = text_of(j, "firm_name");
    state.session.role = text_of(j, "role");
    state.session.client_name = text_of(j, "client_name");
    state.session.is_portal_user = j.value("is_portal_user", false);
    return true;
}

void end_expired_session(AppState& state) {
    if (state.session.token.empty()) return;
    page::clear_session();
    state.return_route = state.screen == Screen::session_expired || state.screen == Screen::login
                             ? std::string{}  // home, by role, after signing in again
                             : route_of(state);
    state.session = {};
    state.invoices = {};
    state.staff = {};
    state.nav = {};
    state.package_run = {};
    state.portal_users = {};
    state.break_glass = {};
    state.manage = {};
    state.hourly = {};
    state.screen = Screen::session_expired;
}

void revoke_break_glass(AppState& state) {
    if (!state.break_glass.active() || state.break_glass.revoking) return;
    state.break_glass.revoking = true;
    const nlohmann::json body = {{"reason", "Revoked from the portal by " + state.session.email}};
    api_request("POST", "/api/v1/break-glass/" + state.break_glass.session_id + "/revoke", body.dump(),
                state.session.token, [](AppState& s, const ApiResult& r) {
                    s.break_glass.revoking = false;
                    if (r.status == 200) s.break_glass = {};
                });
}

void recheck_break_glass(AppState& state) {
    state.banner_checked_ms = page::now_ms();
    api_request("GET", "/api/v1/auth/me", "", state.session.token, [](AppState&, const ApiResult&) {});
}

void load_client_names(AppState& state) {
    if (state.session.is_portal_user) return;  // a portal user's one client came with the login
    api_request("GET", "/api/v1/clients?limit=200", "", state.session.token,
                [](AppState& s, const ApiResult& r) {
                    auto j = parse_answer(r.body);
                    if (r.status != 200 || !j.is_object() || !j.contains("data") || !j["data"].is_array()) return;
                    for (const auto& c : j["data"]) {
                        s.invoices.client_names[text_of(c, "id")] = text_of(c, "company_name");
                    }
                });
}

void load_invoices(AppState& state, bool next_page) {
    state.invoices.loading = true;
    state.invoices.error.reset();
    std::string path = state.session.is_portal_user ? "/api/v1/portal/invoices?limit=100"
                                                    : "/api/v1/invoices?limit=100";
    if (!state.session.is_portal_user) {  // staff filter on the server (overdue is computed there)
        const int status = state.invoices.status_filter;
        if (status > 0 && status < static_cast<int>(std::size(kInvoiceStatusFilters))) {
            path += std::string("&status=") + kInvoiceStatusFilters[status];
        }
        if (!state.invoices.client_filter.empty()) path += "&client_id=" + state.invoices.client_filter;
        if (!state.invoices.applied_from.empty()) path += "&issued_from=" + state.invoices.applied_from;
        if (!state.invoices.applied_to.empty()) path += "&issued_to=" + state.invoices.applied_to;
    }
    if (!state.invoice_server_sort.empty()) path += "&sort=" + state.invoice_server_sort;
    if (next_page && !state.invoices.next_cursor.empty()) path += "&cursor=" + state.invoices.next_cursor;
    if (!next_page) load_client_names(state);
    if (!next_page) load_payment_history(state);  // portal users only; the list's companion
    if (!next_page) ++state.invoice_generation;
    const int generation = state.invoice_generation;
    api_request("GET", path, "", state.session.token, [next_page, generation](AppState& s, const ApiResult& r) {
        if (s.invoice_generation != generation) return;
        s.invoices.loading = false;
        auto j = parse_answer(r.body);
        if (r.status != 200 || !j.is_object() || !j.contains("data") || !j["data"].is_array()) {
            s.invoices.error = error_from_api(r);
            return;
        }
        ++s.invoices.version;
        if (!next_page) s.invoices.rows.clear();
        for (const auto& item : j["data"]) {
            auto row = row_from_json(item);
            s.invoices.rows.push_back(std::move(row));
        }
        if (j.contains("summary") && j["summary"].is_object()) s.invoices.summary = j["summary"];
        bool more = j.contains("has_more") && j["has_more"].is_boolean() && j["has_more"].get<bool>();
        s.invoices.next_cursor = more ? text_of(j, "next_cursor") : std::string{};
        s.invoices.loaded = true;
    });
}

void open_invoice(AppState& state, const std::string& id) {
    state.detail = {};
    state.manage = {};
    state.selected_row = -1;
    state.detail.id = id;
    state.detail.loading = true;
    state.screen = Screen::invoice_detail;
    std::string path = (state.session.is_portal_user ? "/api/v1/portal/invoices/" : "/api/v1/invoices/") + id;
    api_request("GET", path, "", state.session.token, [id](AppState& s, const ApiResult& r) {
        if (s.detail.id != id) return;  // the user moved on to another invoice
        s.detail.loading = false;
        auto j = parse_answer(r.body);
        if (r.status != 200 || !j.is_object()) {
            s.detail.error = error_from_api(r);
            return;
        }
        s.detail.invoice = j;
        // Recompute with the same core function the server used when it stored the totals.
        nlohmann::json draft = {{"currency", text_of(j, "currency")},
                                {"tax_mode", j.value("tax_mode", "per_line")},
                                {"rounding", j.value("rounding", "half_up")},
                                {"amount_paid", text_of(j, "amount_paid")},
                                {"lines", nlohmann::json::array()}};
        if (text_of(j, "document_type") == "credit_note") draft["document_type"] = "credit_note";
        if (j.contains("lines") && j["lines"].is_array()) {
            for (const auto& line : j["lines"]) {
                draft["lines"].push_back({{"kind", text_of(line, "kind")},
                                          {"description", text_of(line, "description")},
                                          {"quantity", text_of(line, "quantity")},
                                          {"unit_price", text_of(line, "unit_price")},
                                          {"tax_rate", text_of(line, "tax_rate")}});
            }
        }
        s.detail.recomputed = cp::billing::preview_invoice(draft);
        s.detail.totals_match = s.detail.recomputed.value("ok", false);
        // The server's balance due also subtracts credit notes, and a credit note's own is applied
        // in full to its invoice: the preview knows neither, so then only the totals are compared.
        const std::string credited = text_of(j, "amount_credited");
        const bool credit_applies = text_of(j, "document_type") == "credit_note" ||
                                    credited.find_first_not_of("0.") != std::string::npos;
        for (const char* key : {"subtotal", "tax", "total", "balance_due"}) {
            if (credit_applies && std::string(key) == "balance_due") continue;
            if (text_of(s.detail.recomputed, key) != text_of(j, key)) s.detail.totals_match = false;
        }
    });
}

void sign_out(AppState& state) {
    if (!state.session.token.empty()) {
        api_request("POST", "/api/v1/auth/logout", "{}", state.session.token,
                    [](AppState&, const ApiResult&) {});
    }
    page::clear_session();
    state.session = {};
    state.invoices = {};
    state.staff = {};
    state.nav = {};
    state.package_run = {};
    state.portal_users = {};
    state.break_glass = {};
    state.editor = {};
    state.detail = {};
    state.manage = {};
    state.return_route.clear();
    state.screen = Screen::login;
}

void add_editor_line(InvoiceEditor& editor) {
    // A new line starts valid (1 × 0.00 at 0 %) so the totals never show an error for a
    // line the user has not typed in yet.
    auto& line = editor.lines.emplace_back();
    std::strncpy(line.description.data(), "Advisory hours", line.description.size() - 1);
    std::strncpy(line.quantity.data(), "1", line.quantity.size() - 1);
    std::strncpy(line.unit_price.data(), "0.00", line.unit_price.size() - 1);
    std::strncpy(line.tax_rate.data(), "0", line.tax_rate.size() - 1);
}

bool editor_has_unsaved_changes(const InvoiceEditor& editor) {
    return editor_draft_json(editor).dump() != editor.saved_input;
}

void open_new_invoice(AppState& state) {
    state.editor = {};
    add_editor_line(state.editor);
    state.editor.saved_input = editor_draft_json(state.editor).dump();
    state.screen = Screen::invoice_editor;
}

}  // namespace cp::portal
