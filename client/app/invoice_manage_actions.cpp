#include "client/app/invoice_manage_actions.hpp"
#include "client/app/json_text.hpp"

#include <random>

#include "client/api/api_client.hpp"
#include "client/app/actions.hpp"
#include "client/app/routes.hpp"
#include "client/app/staff_actions.hpp"
#include "shared/billing/invoice_preview.hpp"
#include "shared/billing/invoice_rules.hpp"
#include "shared/money/money.hpp"
#include "shared/validation/invoice_action_validation.hpp"
#include "shared/validation/payment_validation.hpp"

namespace cp::portal {
namespace {

const money::Currency* invoice_currency(const AppState& state) {
    return money::find_currency(text_of(state.detail.invoice, "currency"));
}

int32_t minor_digits(const AppState& state) {
    const auto* c = invoice_currency(state);
    return c ? c->minor_digits : 2;
}

std::string new_idempotency_key() {
    std::random_device rd;  // the browser's crypto.getRandomValues under Emscripten
    static constexpr char kHex[] = "0123456789abcdef";
    std::string key = "portal-";
    for (int i = 0; i < 32; ++i) key += kHex[rd() & 15];
    return key;
}

nlohmann::json record_payment_body(const RecordPaymentForm& f) {
    nlohmann::json body = {{"amount", f.amount.data()}, {"method", kRecordedMethods[f.method_index]}};
    if (f.reference[0] != '\0') body["reference"] = f.reference.data();
    if (f.received_on[0] != '\0') body["received_on"] = f.received_on.data();
    return body;
}

nlohmann::json credit_note_lines(const CreditNoteForm& f) {
    return nlohmann::json::array({{{"kind", "adjustment"},
                                   {"description", f.reason.data()},
                                   {"quantity", "1"},
                                   {"unit_price", f.amount.data()},
                                   {"tax_rate", f.tax_rate[0] == '\0' ? "0" : f.tax_rate.data()}}});
}

// The preview names the line's fields; the form has one field for each.
std::string credit_field(const std::string& core_field) {
    if (core_field.find("unit_price") != std::string::npos) return "amount";
    if (core_field.find("tax_rate") != std::string::npos) return "tax_rate";
    if (core_field.find("description") != std::string::npos) return "reason";
    return core_field.empty() || core_field.rfind("lines", 0) == 0 || core_field == "total" ? "amount" : core_field;
}

// After any change the invoice is read again (its totals and status moved) and so are its
// payments and links; the notice says what happened.
void after_change(AppState& s, const std::string& notice) {
    const std::string id = s.detail.id;
    open_invoice(s, id);
    s.manage.invoice_id.clear();
    load_invoice_manage(s);
    s.manage.notice = notice;
}

// One page of the open invoice's payments or links into `rows`, dropped if the person moved on.
void fetch_rows(AppState& state, const std::string& path, nlohmann::json InvoiceManage::*rows,
                bool InvoiceManage::*loaded) {
    const std::string id = state.manage.invoice_id;
    api_request("GET", path, "", state.session.token, [id, rows, loaded](AppState& s, const ApiResult& r) {
        if (s.manage.invoice_id != id) return;
        auto j = parse_answer(r.body);
        if (r.status != 200 || !j.is_object() || !j.contains("data")) {
            s.manage.errors.push_back(error_from_api(r));
            return;
        }
        s.manage.*rows = j["data"];
        s.manage.*loaded = true;
    });
}

bool busy(const InvoiceManage& m) {
    return m.payment.in_flight || m.void_form.in_flight || m.credit.in_flight || m.refund.in_flight ||
           m.creating_link || m.issuing;
}

}  // namespace

void load_invoice_manage(AppState& state) {
    if (state.session.is_portal_user || state.detail.id.empty() || state.manage.invoice_id == state.detail.id) return;
    const std::string id = state.detail.id;
    state.manage = {};
    state.manage.invoice_id = id;
    state.manage.payment.idempotency_key = new_idempotency_key();
    fetch_rows(state, "/api/v1/payments?limit=200&invoice_id=" + id, &InvoiceManage::payments,
               &InvoiceManage::payments_loaded);
    fetch_rows(state, "/api/v1/invoices/" + id + "/links", &InvoiceManage::links, &InvoiceManage::links_loaded);
}

void judge_record_payment(AppState& state) {
    auto& f = state.manage.payment;
    f.core_errors = validation::validate_invoice_payment(record_payment_body(f), minor_digits(state));
}

void judge_void(AppState& state) {
    auto& f = state.manage.void_form;
    f.core_errors = validation::validate_invoice_action({{"reason", f.reason.data()}}, {"reason"}, true);
}

void judge_credit_note(AppState& state) {
    auto& f = state.manage.credit;
    const auto& inv = state.detail.invoice;
    f.core_errors = validation::validate_invoice_action({{"reason", f.reason.data()}}, {"reason"}, true);
    nlohmann::json draft = {{"currency", text_of(inv, "currency")},
                            {"rounding", text_of(inv, "rounding")},
                            {"tax_mode", text_of(inv, "tax_mode")},
                            {"document_type", "credit_note"},
                            {"lines", credit_note_lines(f)}};
    f.preview = billing::preview_invoice(draft);
    if (!f.preview.value("ok", false)) {
        for (const auto& e : f.preview["errors"]) {
            const std::string field = credit_field(text_of(e, "field"));
            if (field == "reason") continue;  // the reason's own check above says it better
            f.core_errors.push_back({text_of(e, "code"), field, text_of(e, "message")});
        }
        return;
    }
    // At most what is left to credit: the same rule the server applies.
    const auto* cur = invoice_currency(state);
    if (!cur) return;
    auto total = money::parse_money(text_of(inv, "total"), *cur);
    auto credited = money::parse_money(text_of(inv, "amount_credited").empty() ? "0" : text_of(inv, "amount_credited"), *cur);
    auto credit = money::parse_money(text_of(f.preview, "total"), *cur);
    if (!total || !credited || !credit) return;
    if (auto ok = billing::apply_credit_note(total->minor, credited->minor, credit->minor); !ok) {
        Error e = ok.error();
        e.field = "amount";
        f.core_errors.push_back(e);
    }
}

void judge_refund(AppState& state) {
    auto& f = state.manage.refund;
    f.core_errors = validation::validate_refund({{"amount", f.amount.data()}, {"reason", f.reason.data()}},
                                                minor_digits(state));
}

void record_invoice_payment(AppState& state) {
    auto& f = state.manage.payment;
    f.touched = true;
    judge_record_payment(state);
    if (!f.core_errors.empty() || busy(state.manage)) return;
    f.in_flight = true;
    f.server_errors.clear();
    const std::string id = state.detail.id;
    api_request(
        "POST", "/api/v1/invoices/" + id + "/payments", record_payment_body(f).dump(), state.session.token,
        [id](AppState& s, const ApiResult& r) {
            if (s.manage.invoice_id != id) return;
            auto& form = s.manage.payment;
            form.in_flight = false;
            auto j = parse_answer(r.body);
            if ((r.status != 201 && r.status != 202) || !j.is_object() || text_of(j, "object") != "payment") {
                form.server_errors = errors_of(r);
                if (r.status != 0) form.idempotency_key = new_idempotency_key();  // refused: a new attempt is new
                return;
            }
            after_change(s, "Payment of " + text_of(j, "amount") + " " + text_of(j, "currency") + " recorded" +
                                (r.status == 202 ? " (being processed)." : "."));
        },
        {{"Idempotency-Key", f.idempotency_key}});
}

void void_open_invoice(AppState& state) {
    auto& f = state.manage.void_form;
    f.touched = true;
    judge_void(state);
    if (!f.core_errors.empty() || busy(state.manage)) return;
    f.in_flight = true;
    f.server_errors.clear();
    const std::string id = state.detail.id;
    const nlohmann::json body = {{"reason", f.reason.data()}};
    api_request("POST", "/api/v1/invoices/" + id + "/void", body.dump(), state.session.token,
                [id](AppState& s, const ApiResult& r) {
                    if (s.manage.invoice_id != id) return;
                    s.manage.void_form.in_flight = false;
                    if (r.status != 200) {
                        s.manage.void_form.server_errors = errors_of(r);
                        return;
                    }
                    after_change(s, "Invoice voided. Its time and expenses can be billed again.");
                });
}

void credit_open_invoice(AppState& state) {
    auto& f = state.manage.credit;
    f.touched = true;
    judge_credit_note(state);
    if (!f.core_errors.empty() || busy(state.manage)) return;
    f.in_flight = true;
    f.server_errors.clear();
    const std::string id = state.detail.id;
    const nlohmann::json body = {{"reason", f.reason.data()}, {"lines", credit_note_lines(f)}};
    api_request("POST", "/api/v1/invoices/" + id + "/credit-notes", body.dump(), state.session.token,
                [id](AppState& s, const ApiResult& r) {
                    if (s.manage.invoice_id != id) return;
                    s.manage.credit.in_flight = false;
                    auto j = parse_answer(r.body);
                    if (r.status != 201 || !j.is_object()) {
                        s.manage.credit.server_errors = errors_of(r);
                        for (auto& e : s.manage.credit.server_errors) e.field = credit_field(e.field);
                        return;
                    }
                    after_change(s, "Credit note " + text_of(j, "number") + " issued for " + text_of(j, "total") + " " +
                                        text_of(j, "currency") + ".");
                });
}

void refund_payment(AppState& state) {
    auto& f = state.manage.refund;
    f.touched = true;
    judge_refund(state);
    if (f.payment_id.empty() || !f.core_errors.empty() || busy(state.manage)) return;
    f.in_flight = true;
    f.server_errors.clear();
    const std::string id = state.detail.id;
    const nlohmann::json body = {{"amount", f.amount.data()}, {"reason", f.reason.data()}};
    api_request("POST", "/api/v1/payments/" + f.payment_id + "/refunds", body.dump(), state.session.token,
                [id](AppState& s, const ApiResult& r) {
                    if (s.manage.invoice_id != id) return;
                    s.manage.refund.in_flight = false;
                    auto j = parse_answer(r.body);
                    if ((r.status != 201 && r.status != 202) || !j.is_object()) {
                        s.manage.refund.server_errors = errors_of(r);
                        return;
                    }
                    after_change(s, r.status == 202 ? "Refund sent to the processor; it is pending."
                                                    : "Refund of " + text_of(j, "amount") + " " + text_of(j, "currency") +
                                                          " recorded.");
                });
}

void issue_open_draft(AppState& state) {
    if (busy(state.manage)) return;
    state.manage.issuing = true;
    state.manage.errors.clear();
    const std::string id = state.detail.id;
    api_request("POST", "/api/v1/invoices/" + id + "/issue", "", state.session.token,
                [id](AppState& s, const ApiResult& r) {
                    if (s.manage.invoice_id != id) return;
                    s.manage.issuing = false;
                    auto j = parse_answer(r.body);
                    if (r.status != 200 || !j.is_object()) {
                        s.manage.errors = errors_of(r);
                        return;
                    }
                    after_change(s, "Issued as " + text_of(j, "number") + ", due " + text_of(j, "due_date") + ".");
                });
}

void delete_open_draft(AppState& state) {
    if (busy(state.manage)) return;
    state.manage.issuing = true;
    state.manage.errors.clear();
    const std::string id = state.detail.id;
    api_request("DELETE", "/api/v1/invoices/" + id, "", state.session.token, [id](AppState& s, const ApiResult& r) {
        if (s.manage.invoice_id != id) return;
        s.manage.issuing = false;
        if (r.status != 204) {
            s.manage.errors = errors_of(r);
            return;
        }
        load_invoices(s);
        go_to_route(s, "#/invoices");
    });
}

void create_invoice_link(AppState& state) {
    if (busy(state.manage)) return;
    state.manage.creating_link = true;
    const std::string id = state.detail.id;
    api_request("POST", "/api/v1/invoices/" + id + "/links", "{}", state.session.token,
                [id](AppState& s, const ApiResult& r) {
                    if (s.manage.invoice_id != id) return;
                    s.manage.creating_link = false;
                    auto j = parse_answer(r.body);
                    if (r.status != 201 || !j.is_object()) {
                        s.manage.errors = errors_of(r);
                        return;
                    }
                    const std::string url = text_of(j, "url");
                    after_change(s, "Link created. Copy it now: it is shown only once.");
                    s.manage.new_link_url = url;
                });
}

void revoke_invoice_link(AppState& state, const std::string& link_id) {
    if (busy(state.manage)) return;
    const std::string id = state.detail.id;
    api_request("POST", "/api/v1/invoice-links/" + link_id + "/revoke", "{}", state.session.token,
                [id](AppState& s, const ApiResult& r) {
                    if (s.manage.invoice_id != id) return;
                    if (r.status != 200) {
                        s.manage.errors = errors_of(r);
                        return;
                    }
                    after_change(s, "Link revoked: it no longer opens the invoice.");
                });
}

}  // namespace cp::portal
