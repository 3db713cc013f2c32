// Issuing, voiding and crediting invoices. Issuing takes the next number of the firm's
// gapless sequence in the same transaction as the status change; from then on only these
// actions (and, later, payments) touch the invoice, and every one of them is audited.
#include "server/api/entry_links.hpp"
#include "server/api/handlers.hpp"
#include "server/payments/payment_service.hpp"
#include "server/api/invoice_records.hpp"
#include "server/email/message_composer.hpp"
#include "server/util/crypto.hpp"
#include "shared/billing/invoice_rules.hpp"
#include "shared/state/invoice_status.hpp"
#include "shared/validation/invoice_action_validation.hpp"
#include "shared/validation/json_reader.hpp"

namespace cp::api {
namespace {

using validation::JsonReader;
using validation::Presence;

// A body with only `allowed` keys and, when asked, a reason (the portal judges its forms alike).
std::optional<json> action_body(Ctx& ctx, std::initializer_list<std::string_view> allowed, bool needs_reason,
                                Response& error) {
    auto body = ctx.req.body.empty() ? std::optional<json>(json::object()) : parse_object(ctx, error);
    if (!body) return std::nullopt;
    Errors errors = validation::validate_invoice_action(*body, allowed, needs_reason);
    if (!errors.empty()) {
        error = validation_failed(errors);
        return std::nullopt;
    }
    return body;
}

std::string reported(Ctx& ctx, const storage::Row& inv) { return invoice_view(ctx, inv, false)["status"]; }

Response cannot(const std::string& from, const std::string& to, const std::string& why) {
    return error_response(409, "INVALID_TRANSITION",
                          "invoice cannot go from '" + from + "' to '" + to + "': " + why, "status");
}

}  // namespace

Response issue_invoice(Ctx& ctx) {
    Response err;
    if (!action_body(ctx, {}, false, err)) return err;
    auto inv = find_invoice(ctx, ctx.param("id"));
    if (!inv) return not_found();
    const auto from = state::invoice_status_from_string(reported(ctx, *inv)).value();
    if (auto moved = state::transition(from, state::InvoiceStatus::sent); !moved)
        return error_response(409, {moved.error()});
    if (!ctx.tx().query_one("SELECT id FROM invoice_lines WHERE invoice_id = ? AND firm_id = ? LIMIT 1",
                            {inv->str("id"), ctx.principal.firm_id})) {
        return validation_failed(
            {{"VALIDATION_REQUIRED", "lines", "an invoice needs at least one line to be issued"}});
    }
    // Approval may have been withdrawn since the draft was built: never issue unapproved time.
    if (auto errors = unapproved_entries(ctx, inv->str("id")); !errors.empty())
        return validation_failed(errors);

    const FirmBilling firm = firm_billing(ctx);
    const time::Date today = firm_today(ctx, firm);
    std::int64_t terms = firm.payment_terms_days;
    if (!inv->is_null("engagement_id")) {
        terms = ctx.tx()
                    .query_one("SELECT payment_terms_days FROM engagements WHERE id = ? AND firm_id = ?",
                               {inv->str("engagement_id"), ctx.principal.firm_id})
                    ->i64("payment_terms_days");
    }
    // The status guard makes a concurrent second issue find no draft (its row lock waits for us).
    if (!ctx.tx().query_one(
            "UPDATE invoices SET status = 'sent', updated_at = ? WHERE id = ? AND firm_id = ? AND "
            "status = 'draft' RETURNING id",
            {ctx.now, inv->str("id"), ctx.principal.firm_id})) {
        return cannot("sent", "sent", "it was issued by another request");
    }
    const std::string number =
        billing::format_document_number(firm.number_prefix, today.year, next_in_sequence(ctx, "invoice"));
    ctx.tx().exec(
        "UPDATE invoices SET number = ?, issue_date = ?, due_date = ?, issued_at = ? WHERE id = ? AND "
        "firm_id = ?",
        {number, time::format_iso_date(today), time::format_iso_date(time::add_days(today, terms)), ctx.now,
         inv->str("id"), ctx.principal.firm_id});
    auto after = find_invoice(ctx, inv->str("id"));
    audit_invoice(ctx, "invoice.issue", *after,
                  {{"before", invoice_summary(*inv)}, {"after", invoice_summary(*after)}});
    // The client's email commits with the issue, or neither does (the outbox).
    server::email::compose_invoice_issued(ctx.tx(), after->str("id"), ctx.now, ctx.principal.membership_id);
    return json_response(200, invoice_view(ctx, *after, true));
}

Response void_invoice(Ctx& ctx) {
    Response err;
    auto body = action_body(ctx, {"reason"}, true, err);
    if (!body) return err;
    auto inv = find_invoice(ctx, ctx.param("id"));
    if (!inv) return not_found();
    const std::string from = reported(ctx, *inv);
    if (inv->str("document_type") == "credit_note")
        return cannot(from, "void", "a credit note is never voided");
    if (auto moved =
            state::transition(state::invoice_status_from_string(from).value(), state::InvoiceStatus::void_);
        !moved) {
        return error_response(409, {moved.error()});
    }
    if (inv->i64("amount_paid") != 0) return cannot(from, "void", "payments were recorded on it");
    if (inv->i64("amount_credited") != 0) return cannot(from, "void", "credit notes were issued against it");
    if (!ctx.tx().query_one(
            "UPDATE invoices SET status = 'void', void_reason = ?, voided_at = ?, balance_due = 0, "
            "updated_at = ? WHERE id = ? AND firm_id = ? AND status = ? AND amount_credited = 0 "
            "RETURNING id",
            {(*body)["reason"].get<std::string>(), ctx.now, ctx.now, inv->str("id"), ctx.principal.firm_id,
             inv->str("status")})) {
        return cannot(from, "void", "it changed meanwhile");
    }
    // The voided invoice keeps its lines for the record; the entries may be billed again.
    release_entries(ctx, inv->str("id"));
    auto after = find_invoice(ctx, inv->str("id"));
    audit_invoice(ctx, "invoice.void", *after,
                  {{"before", invoice_summary(*inv)}, {"after", invoice_summary(*after)}}, "WARNING",
                  (*body)["reason"].get<std::string>());
    return json_response(200, invoice_view(ctx, *after, true));
}

Response create_credit_note(Ctx& ctx) {
    Response err;
    auto body = action_body(ctx, {"reason", "lines", "notes"}, true, err);
    if (!body) return err;
    Errors errors;
    JsonReader r(*body, "", errors);
    r.string("notes", Presence::optional, 2000, false);
    if (const json* lines = r.array("lines", Presence::required)) {
        for (std::size_t i = 0; i < lines->size(); ++i) {
            JsonReader line((*lines)[i], validation::index_path("lines", i), errors);
            line.reject_unknown({"kind", "description", "quantity", "unit_price", "tax_rate"});
        }
    }
    if (!errors.empty()) return validation_failed(errors);
    auto inv = find_invoice(ctx, ctx.param("id"));
    if (!inv) return not_found();
    const std::string status = reported(ctx, *inv);
    if (inv->str("document_type") != "invoice" || status == "draft" || status == "void") {
        return error_response(409, "NOT_CREDITABLE",
                              "Only an issued invoice that is not void can be credited.", "status");
    }
    json calc{{"currency", inv->str("currency")},
              {"rounding", inv->str("rounding")},
              {"tax_mode", inv->str("tax_mode")},
              {"document_type", "credit_note"},
              {"lines", (*body)["lines"]}};
    auto totals = core_totals(calc, errors);
    if (!totals) return validation_failed(errors);
    auto credited = billing::apply_credit_note(inv->i64("total"), inv->i64("amount_credited"), totals->total);
    if (!credited) return validation_failed({credited.error()});

    // Crediting what was already paid leaves the client money ahead: that part leaves the
    // invoice's amount paid and becomes client credit in the ledger (below), so the invoice
    // never shows a negative balance that no screen can apply or refund.
    const std::int64_t open = billing::balance_due(inv->i64("total"), inv->i64("amount_paid"), *credited);
    const std::int64_t to_credit = open < 0 ? -open : 0;
    const std::int64_t paid = inv->i64("amount_paid") - to_credit;
    // Guarded on the amounts read, so two credit notes at once cannot both fit in one remainder.
    if (!ctx.tx().query_one(
            "UPDATE invoices SET amount_credited = ?, amount_paid = ?, balance_due = ?, updated_at = ? WHERE id = ? "
            "AND firm_id = ? AND amount_credited = ? AND amount_paid = ? RETURNING id",
            {*credited, paid, open + to_credit, ctx.now, inv->str("id"), ctx.principal.firm_id,
             inv->i64("amount_credited"), inv->i64("amount_paid")})) {
        return error_response(409, "CONFLICT", "The invoice changed meanwhile; try again.");
    }
    const FirmBilling firm = firm_billing(ctx);
    const time::Date today = firm_today(ctx, firm);
    const std::string number =
        billing::format_document_number("CN-", today.year, next_in_sequence(ctx, "credit_note"));
    const std::string id = server::new_id("inv");
    // A credit note is applied in full to its invoice when issued, so nothing is due on it.
    ctx.tx().exec(
        "INSERT INTO invoices (id, firm_id, client_id, engagement_id, number, status, currency, tax_mode, "
        "rounding, "
        "document_type, notes, credited_invoice_id, issue_date, subtotal, tax, total, amount_paid, "
        "balance_due, "
        "issued_at, created_at, updated_at) VALUES (?, ?, ?, ?, ?, 'sent', ?, ?, ?, 'credit_note', ?, ?, ?, "
        "?, ?, ?, "
        "0, 0, ?, ?, ?)",
        {id, ctx.principal.firm_id, inv->str("client_id"), storage::nullable(inv->opt("engagement_id")),
         number, inv->str("currency"), inv->str("tax_mode"), inv->str("rounding"),
         body->contains("notes") ? storage::Param((*body)["notes"].get<std::string>())
                                 : storage::Param(nullptr),
         inv->str("id"), time::format_iso_date(today), totals->subtotal, totals->tax, totals->total, ctx.now,
         ctx.now, ctx.now});
    write_lines(ctx, id, (*body)["lines"], *totals);
    if (to_credit > 0) {
        server::payments::LedgerAppend back;
        back.firm_id = ctx.principal.firm_id;
        back.client_id = inv->str("client_id");
        back.currency = inv->str("currency");
        back.kind = billing::LedgerKind::overpayment;
        back.amount = to_credit;
        back.invoice_id = inv->str("id");
        back.reason = "credit note " + number + " on a paid amount";
        back.created_by = ctx.principal.membership_id;
        auto appended = server::payments::append_credit(ctx.tx(), back, ctx.now);
        if (!appended) return validation_failed({appended.error()});
    }
    const std::string reason = (*body)["reason"];
    auto note = find_invoice(ctx, id);
    audit_invoice(ctx, "credit_note.issue", *note,
                  {{"after", invoice_summary(*note)}, {"credited_invoice_id", inv->str("id")}}, "WARNING",
                  reason);
    auto after = find_invoice(ctx, inv->str("id"));
    audit_invoice(
        ctx, "invoice.credit", *after,
        {{"before", invoice_summary(*inv)}, {"after", invoice_summary(*after)}, {"credit_note_id", id}},
        "WARNING", reason);
    server::email::compose_credit_note(ctx.tx(), id, ctx.now, ctx.principal.membership_id);
    return json_response(201, invoice_view(ctx, *note, true));
}

}  // namespace cp::api
