// The staff half of an invoice's page: its payments (with refunds) and signed links, and the
// actions its status allows — record a payment, issue a credit note, void it. An action the
// invoice's state forbids is not offered; the server's refusal, if things changed meanwhile,
// is drawn at its field like the core's.
#include "client/screens/invoice_manage_panel.hpp"
#include "client/app/json_text.hpp"

#include <imgui.h>

#include <string>
#include <vector>

#include "client/app/invoice_manage_actions.hpp"
#include "client/platform/page_bridge.hpp"
#include "client/widgets/a11y_tree.hpp"
#include "client/widgets/controls.hpp"
#include "client/widgets/data_table.hpp"
#include "client/widgets/error_text.hpp"
#include "client/widgets/form_fields.hpp"
#include "client/widgets/widget_rects.hpp"
#include "shared/auth/capabilities.hpp"

namespace cp::portal {
namespace {

// The core's errors of a form, once the person has typed in it or tried to send it.
const std::vector<Error>& core(const ManageForm& f) {
    static const std::vector<Error> none;
    return f.touched ? f.core_errors : none;
}

bool is_zero(const std::string& amount) { return amount.find_first_not_of("0.") == std::string::npos; }

// What the invoice's state allows, as the server's rules (docs/api.md) say.
struct Allowed {
    bool pay = false, void_ = false, credit = false, link = false;
};

Allowed allowed_actions(const nlohmann::json& inv) {
    const std::string status = text_of(inv, "status");
    const bool issued_invoice = text_of(inv, "document_type") == "invoice" && status != "draft" && status != "void";
    const bool open = status == "sent" || status == "partial" || status == "overdue";
    Allowed a;
    a.pay = issued_invoice && open && !is_zero(text_of(inv, "balance_due"));
    a.void_ = issued_invoice && open && is_zero(text_of(inv, "amount_paid")) && is_zero(text_of(inv, "amount_credited"));
    a.credit = issued_invoice && status != "refunded";
    a.link = status != "draft" && status != "void";
    return a;
}

void form_buttons(const char* submit_id, const char* label, bool in_flight, ManageForm& form, bool& submit) {
    if (button(submit_id, in_flight ? "Working..." : label)) submit = true;
    ImGui::SameLine();
    const std::string cancel = std::string(submit_id) + ".cancel";
    if (button(cancel.c_str(), "Cancel")) form.open = false;
}

void draw_record_payment(AppState& state) {
    auto& f = state.manage.payment;
    f.shown_errors.clear();
    const std::string balance = "balance due " + text_of(state.detail.invoice, "balance_due");
    bool changed = labelled_field("manage.payment.amount", "Amount", f.amount.data(), f.amount.size(), 32,
                                  has_error(core(f), f.server_errors, "amount"), balance.c_str());
    field_errors(core(f), f.server_errors, "amount", f.shown_errors);
    changed |= choice("manage.payment.method", "Method", f.method_index, kRecordedMethods, kRecordedMethodCount);
    changed |= labelled_field("manage.payment.reference", "Reference (cheque or transfer number)", f.reference.data(),
                              f.reference.size(), 255, has_error(core(f), f.server_errors, "reference"));
    field_errors(core(f), f.server_errors, "reference", f.shown_errors);
    changed |= labelled_field("manage.payment.received_on", "Received on", f.received_on.data(), f.received_on.size(),
                              10, has_error(core(f), f.server_errors, "received_on"), "YYYY-MM-DD, empty: today");
    field_errors(core(f), f.server_errors, "received_on", f.shown_errors);
    other_errors(core(f), f.server_errors, {"amount", "reference", "received_on"}, f.shown_errors);
    if (changed) {
        f.touched = true;
        judge_record_payment(state);
    }
    bool submit = false;
    form_buttons("manage.payment.submit", "Record payment", f.in_flight, f, submit);
    if (submit) record_invoice_payment(state);
}

void draw_credit_note(AppState& state) {
    auto& f = state.manage.credit;
    f.shown_errors.clear();
    bool changed = labelled_field("manage.credit.amount", "Amount to credit (before tax)", f.amount.data(),
                                  f.amount.size(), 32, has_error(core(f), f.server_errors, "amount"));
    field_errors(core(f), f.server_errors, "amount", f.shown_errors);
    changed |= labelled_field("manage.credit.tax_rate", "Tax rate %", f.tax_rate.data(), f.tax_rate.size(), 15,
                              has_error(core(f), f.server_errors, "tax_rate"), "empty: 0");
    field_errors(core(f), f.server_errors, "tax_rate", f.shown_errors);
    changed |= labelled_field("manage.credit.reason", "Reason (printed on the credit note)", f.reason.data(),
                              f.reason.size(), 500, has_error(core(f), f.server_errors, "reason"));
    field_errors(core(f), f.server_errors, "reason", f.shown_errors);
    other_errors(core(f), f.server_errors, {"amount", "tax_rate", "reason"}, f.shown_errors);
    if (changed) {
        f.touched = true;
        judge_credit_note(state);
    }
    if (f.preview.value("ok", false)) {
        const std::string total = "Credit note total " + text_of(f.preview, "total") + " " + text_of(f.preview, "currency") +
                                  " (tax " + text_of(f.preview, "tax") + ")";
        ImGui::TextUnformatted(total.c_str());
        track_last_item("manage.credit.total");
        mirror_text("manage.credit.total", "status", total);
    }
    bool submit = false;
    form_buttons("manage.credit.submit", "Issue credit note", f.in_flight, f, submit);
    if (submit) credit_open_invoice(state);
}

void draw_void(AppState& state) {
    auto& f = state.manage.void_form;
    f.shown_errors.clear();
    ImGui::TextWrapped("Voiding keeps the invoice and its number for the record; its time and expenses become billable again.");
    if (labelled_field("manage.void.reason", "Reason", f.reason.data(), f.reason.size(), 500,
                       has_error(core(f), f.server_errors, "reason"))) {
        f.touched = true;
        judge_void(state);
    }
    field_errors(core(f), f.server_errors, "reason", f.shown_errors);
    other_errors(core(f), f.server_errors, {"reason"}, f.shown_errors);
    bool submit = false;
    form_buttons("manage.void.submit", "Void invoice", f.in_flight, f, submit);
    if (submit) void_open_invoice(state);
}

void draw_payments(AppState& state) {
    auto& m = state.manage;
    const bool can_write = auth::role_has(state.session.role, auth::Capability::invoices_write);
    ImGui::TextUnformatted("Payments");
    mirror_text("manage.payments.heading", "heading", "Payments");
    if (!m.payments_loaded) {
        ImGui::TextDisabled("loading...");
        return;
    }
    if (m.payments.empty()) {
        ImGui::TextDisabled("No payments recorded on this invoice.");
        return;
    }
    int n = 0;
    for (const auto& p : m.payments) {
        const std::string id = "manage.payment." + std::to_string(n);
        std::string when = text_of(p, "received_on");
        if (when.empty()) when = text_of(p, "settled_at").substr(0, 10);
        std::string line = when + "  " + text_of(p, "amount") + " " + text_of(p, "currency") + "  " + text_of(p, "method") +
                           "  " + text_of(p, "status");
        if (!is_zero(text_of(p, "amount_refunded"))) line += "  (refunded " + text_of(p, "amount_refunded") + ")";
        ImGui::TextUnformatted(line.c_str());
        track_last_item(id);
        mirror_text(id.c_str(), "row", line);
        if (can_write && text_of(p, "status") == "succeeded" && m.refund.payment_id.empty()) {
            ImGui::SameLine();
            const std::string refund_id = "manage.refund." + std::to_string(n);
            if (button(refund_id.c_str(), "Refund", true)) {
                m.refund = {};
                m.refund.open = true;
                m.refund.payment_id = text_of(p, "id");
            }
        }
        ++n;
    }
    if (!m.refund.payment_id.empty()) {
        auto& f = m.refund;
        f.shown_errors.clear();
        bool changed = labelled_field("manage.refund.amount", "Refund amount", f.amount.data(), f.amount.size(), 32,
                                      has_error(core(f), f.server_errors, "amount"));
        field_errors(core(f), f.server_errors, "amount", f.shown_errors);
        changed |= labelled_field("manage.refund.reason", "Reason", f.reason.data(), f.reason.size(), 500,
                                  has_error(core(f), f.server_errors, "reason"));
        field_errors(core(f), f.server_errors, "reason", f.shown_errors);
        other_errors(core(f), f.server_errors, {"amount", "reason"}, f.shown_errors);
        if (changed) {
            f.touched = true;
            judge_refund(state);
        }
        bool submit = false;
        form_buttons("manage.refund.submit", "Refund", f.in_flight, f, submit);
        if (submit) refund_payment(state);
        if (!f.open) f = {};
    }
}

void draw_links(AppState& state, bool can_create) {
    auto& m = state.manage;
    ImGui::TextUnformatted("Signed links");
    mirror_text("manage.links.heading", "heading", "Signed links");
    if (can_create) {
        ImGui::SameLine();
        if (button("manage.link.create", m.creating_link ? "Creating..." : "Create link", true)) create_invoice_link(state);
    }
    if (!m.new_link_url.empty()) {
        const std::string url = page::current_origin() + m.new_link_url;
        ImGui::TextUnformatted(url.c_str());
        track_last_item("manage.link.url");
        mirror_text("manage.link.url", "status", url);
        ImGui::SameLine();
        if (button("manage.link.copy", "Copy", true)) page::copy_text(url);
    }
    int n = 0;
    for (const auto& l : m.links) {
        const std::string id = "manage.link." + std::to_string(n);
        const bool revoked = l.contains("revoked_at") && l["revoked_at"].is_string();
        const std::string line = "created " + text_of(l, "created_at").substr(0, 10) + ", expires " +
                                 text_of(l, "expires_at").substr(0, 10) + ", " +
                                 std::to_string(l.value("views", 0)) + " views" + (revoked ? ", revoked" : "");
        ImGui::TextUnformatted(line.c_str());
        track_last_item(id);
        mirror_text(id.c_str(), "row", line);
        if (!revoked && auth::role_has(state.session.role, auth::Capability::invoices_write)) {
            ImGui::SameLine();
            const std::string revoke = "manage.link.revoke." + std::to_string(n);
            if (button(revoke.c_str(), "Revoke", true)) revoke_invoice_link(state, text_of(l, "id"));
        }
        ++n;
    }
}

}  // namespace

void draw_invoice_manage_panel(AppState& state) {
    if (state.session.is_portal_user || state.detail.loading || !state.detail.invoice.is_object()) return;
    load_invoice_manage(state);
    auto& m = state.manage;
    const auto& inv = state.detail.invoice;
    const bool can_write = auth::role_has(state.session.role, auth::Capability::invoices_write);
    const Allowed allowed = can_write ? allowed_actions(inv) : Allowed{};
    ImGui::Spacing();
    ImGui::Separator();
    if (!m.notice.empty()) {
        ImGui::TextColored(ImVec4(0.12f, 0.48f, 0.25f, 1), "%s", m.notice.c_str());
        track_last_item("manage.notice");
        mirror_text("manage.notice", "status", m.notice);
    }
    for (const auto& e : m.errors) draw_error(e);
    if (can_write && text_of(inv, "status") == "draft") {
        // A draft from "Bill hours" (or the API) is reviewed here, then issued or dropped.
        if (button("manage.issue", m.issuing ? "Working..." : "Issue invoice")) issue_open_draft(state);
        ImGui::SameLine();
        if (button("manage.delete_draft", "Delete draft")) delete_open_draft(state);
        return;
    }
    const bool any_open = m.payment.open || m.credit.open || m.void_form.open;
    if (!any_open && (allowed.pay || allowed.credit || allowed.void_)) {
        if (allowed.pay && button("manage.record_payment", "Record a payment")) {
            m.payment.open = true;
            judge_record_payment(state);
        }
        if (allowed.credit) {
            if (allowed.pay) ImGui::SameLine();
            if (button("manage.credit", "Issue a credit note")) {
                m.credit = {};
                m.credit.open = true;
                judge_credit_note(state);
            }
        }
        if (allowed.void_) {
            ImGui::SameLine();
            if (button("manage.void", "Void")) {
                m.void_form = {};
                m.void_form.open = true;
                judge_void(state);
            }
        }
    }
    if (m.payment.open && allowed.pay) draw_record_payment(state);
    if (m.credit.open && allowed.credit) draw_credit_note(state);
    if (m.void_form.open && allowed.void_) draw_void(state);
    ImGui::Spacing();
    if (text_of(inv, "status") != "draft") {
        draw_payments(state);
        ImGui::Spacing();
        draw_links(state, allowed.link);
    }
}

}  // namespace cp::portal
