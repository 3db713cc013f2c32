#include "client/app/actions.hpp"

#include <cstring>

#include "client/api/api_client.hpp"

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

void start_login(AppState& state) {
    if (state.login.in_flight) return;
    state.login.in_flight = true;
    state.login.error.reset();
    nlohmann::json body = {{"email", state.login.email.data()},
                           {"password", state.login.password.data()}};
    api_request("POST", "/api/v1/auth/login", body.dump(), "", [](AppState& s, const ApiResult& r) {
        s.login.in_flight = false;
        auto j = nlohmann::json::parse(r.body, nullptr, false);
        if (r.status != 200 || !j.is_object() || !j.contains("token") || !j["token"].is_string()) {
            s.login.error = error_from_api(r);
            return;
        }
        s.session = {};
        s.session.token = j["token"].get<std::string>();
        s.session.email = s.login.email.data();
        const auto& user = j.contains("user") ? j["user"] : nlohmann::json{};
        s.session.display_name = text_of(user, "name");
        if (j.contains("membership") && j["membership"].is_object()) {
            s.session.role = text_of(j["membership"], "role");
            s.session.firm_name = text_of(j["membership"], "firm_name");
        }
        if (j.contains("portal_user") && j["portal_user"].is_object()) {
            s.session.is_portal_user = true;
            s.session.role = "portal";
            s.session.firm_name = text_of(j["portal_user"], "firm_name");
        }
        if (s.session.firm_name.empty() && j.contains("firm")) s.session.firm_name = text_of(j["firm"], "name");
        // The password leaves memory as soon as it has done its job.
        std::memset(s.login.password.data(), 0, s.login.password.size());
        s.screen = Screen::invoices;
        load_invoices(s);
    });
}

void load_invoices(AppState& state) {
    state.invoices.loading = true;
    state.invoices.error.reset();
    std::string path = state.session.is_portal_user ? "/api/v1/portal/invoices?limit=200"
                                                    : "/api/v1/invoices?limit=200";
    api_request("GET", path, "", state.session.token, [](AppState& s, const ApiResult& r) {
        s.invoices.loading = false;
        auto j = nlohmann::json::parse(r.body, nullptr, false);
        if (r.status != 200 || !j.is_object() || !j.contains("data") || !j["data"].is_array()) {
            s.invoices.error = error_from_api(r);
            if (r.status == 401) s.screen = Screen::login;
            return;
        }
        s.invoices.rows.clear();
        for (const auto& item : j["data"]) s.invoices.rows.push_back(row_from_json(item));
        s.invoices.loaded = true;
    });
}

void sign_out(AppState& state) {
    if (!state.session.token.empty()) {
        api_request("POST", "/api/v1/auth/logout", "{}", state.session.token,
                    [](AppState&, const ApiResult&) {});
    }
    state.session = {};
    state.invoices = {};
    state.break_glass_banner.clear();
    state.screen = Screen::login;
}

void open_new_invoice(AppState& state) {
    state.editor = {};
    state.editor.lines.resize(1);
    auto& line = state.editor.lines.front();
    std::strncpy(line.description.data(), "Advisory hours", line.description.size() - 1);
    std::strncpy(line.quantity.data(), "1", line.quantity.size() - 1);
    std::strncpy(line.unit_price.data(), "0.00", line.unit_price.size() - 1);
    std::strncpy(line.tax_rate.data(), "0", line.tax_rate.size() - 1);
    state.screen = Screen::invoice_editor;
}

}  // namespace cp::portal
