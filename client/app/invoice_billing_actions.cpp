#include "client/app/invoice_billing_actions.hpp"

#include "client/api/api_client.hpp"
#include "client/app/actions.hpp"
#include "client/platform/page_bridge.hpp"

namespace cp::portal {
namespace {

std::string text(const nlohmann::json& j, const char* key) {
    if (!j.is_object() || !j.contains(key) || !j[key].is_string()) return {};
    return j[key].get<std::string>();
}

}  // namespace

void pay_open_invoice(AppState& state) {
    auto& detail = state.detail;
    if (detail.pay.in_flight || !state.session.is_portal_user || !detail.invoice.is_object()) return;
    auto body = client_payment_body(detail.pay, text(detail.invoice, "currency"), text(detail.invoice, "balance_due"));
    detail.pay.outcome.clear();
    detail.pay.errors.clear();
    if (!body) {
        detail.pay.errors.push_back(body.error());  // the core refused: nothing is sent
        return;
    }
    detail.pay.in_flight = true;
    const std::string id = detail.id;
    api_request("POST", "/api/v1/portal/invoices/" + id + "/payments", body->dump(), state.session.token,
                [id](AppState& s, const ApiResult& r) {
                    if (s.detail.id != id) return;
                    auto j = parse_answer(r.body);
                    PayForm pay = s.detail.pay;
                    record_payment_outcome(pay, r.status, j, error_from_api(r));
                    // Read the invoice again (totals re-checked by the core), keeping what the
                    // person was told about their payment.
                    open_invoice(s, id);
                    s.detail.pay = pay;
                    load_payment_history(s);
                    load_invoices(s);  // the list's balances and summary follow
                });
}

void download_open_invoice_pdf(AppState& state) {
    auto& detail = state.detail;
    if (detail.download_id != 0 || !detail.invoice.is_object()) return;
    const std::string base = state.session.is_portal_user ? "/api/v1/portal/invoices/" : "/api/v1/invoices/";
    const std::string number = text(detail.invoice, "number").empty() ? "invoice" : text(detail.invoice, "number");
    detail.download_note = "Preparing the PDF...";
    detail.download_id = page::start_download(base + detail.id + "/pdf", state.session.token, number + ".pdf");
}

void poll_open_invoice_download(AppState& state) {
    auto& detail = state.detail;
    if (detail.download_id == 0) return;
    const int status = page::download_status(detail.download_id);
    if (status == 0) return;
    detail.download_id = 0;
    const std::string number = text(detail.invoice, "number").empty() ? "invoice" : text(detail.invoice, "number");
    if (status == 200) {
        detail.download_note = "Saved " + number + ".pdf to your downloads.";
    } else if (status == 401) {
        end_expired_session(state);
    } else {
        detail.download_note = "The PDF could not be downloaded (" +
                               std::string(status < 0 ? "no connection" : "HTTP " + std::to_string(status)) +
                               "). Try again in a moment.";
    }
}

void load_payment_history(AppState& state) {
    if (!state.session.is_portal_user) return;
    api_request("GET", "/api/v1/portal/payments?limit=100", "", state.session.token, [](AppState& s, const ApiResult& r) {
        auto j = parse_answer(r.body);
        if (r.status != 200 || !j.is_object() || !j.contains("data") || !j["data"].is_array()) {
            s.payment_history.error = error_from_api(r);
            return;
        }
        s.payment_history.error.reset();
        s.payment_history.rows = j["data"];
        s.payment_history.loaded = true;
    });
}

}  // namespace cp::portal
