// Payments, refunds, client credit, autopay failures and alerts (Billing III). The rules
// are the core's; storage and settlement are server/payments/payment_service.hpp. A card
// payment is committed `pending` before the processor is called (outside any transaction)
// and settled in a second transaction.
#include <fmt/format.h>

#include "server/api/card_charge.hpp"
#include "server/api/handlers.hpp"
#include "server/api/invoice_records.hpp"
#include "server/api/serializers.hpp"
#include "server/payments/payment_service.hpp"
#include "server/util/crypto.hpp"
#include "shared/billing/payment_rules.hpp"
#include "shared/money/currency.hpp"
#include "shared/money/money.hpp"
#include "shared/state/invoice_status.hpp"
#include "shared/validation/json_reader.hpp"
#include "shared/validation/payment_validation.hpp"
#include "shared/state/payment_status.hpp"

namespace cp::api {
namespace {

namespace pay = server::payments;

int32_t digits_of(const std::string& currency) {
    const auto* c = money::find_currency(currency);
    return c ? c->minor_digits : 2;
}

std::int64_t amount_of(const json& body, const std::string& currency) {
    return money::parse_money(body["amount"].get<std::string>(), *money::find_currency(currency))->minor;
}

pay::Actor actor_of(const Ctx& ctx) { return audit_event(ctx, "BILLING", ""); }

std::optional<storage::Row> find_payment(Ctx& ctx, const std::string& id) {
    return ctx.tx().query_one("SELECT * FROM payments WHERE id = ? AND firm_id = ?", {id, ctx.principal.firm_id});
}

json payment_with_invoice(Ctx& ctx, const std::string& payment_id) {
    auto p = find_payment(ctx, payment_id);
    json out = pay::payment_json(*p);
    if (auto inv = find_invoice(ctx, p->str("invoice_id"))) out["invoice"] = invoice_view(ctx, *inv, false);
    return out;
}

std::optional<json> small_body(Ctx& ctx, Response& err) {
    if (ctx.req.body.empty()) return json::object();
    return parse_object(ctx, err);
}

Response list_of(Ctx& ctx, const std::string& table, std::initializer_list<const char*> filters,
                 json (*to_json)(const storage::Row&)) {
    Response err;
    auto page = parse_page(ctx, err);
    if (!page) return err;
    std::string sql = fmt::format("SELECT * FROM {} WHERE firm_id = ? AND id > ?", table);
    storage::Params params{ctx.principal.firm_id, page->cursor};
    if (table == "payments") {
        if (!check_filter_choice(ctx, "status", [](const std::string& v) { return state::parse_payment_status(v); },
                                 err) ||
            !check_filter_choice(ctx, "method", {"card", "bank_transfer", "check", "cash", "credit"}, err) ||
            !check_filter_choice(ctx, "source", {"manual", "autopay", "portal", "link", "webhook", "credit"}, err)) {
            return err;
        }
    }
    if (!add_exact_filters(ctx, filters, sql, params, err)) return err;
    sql += " ORDER BY id LIMIT ?";
    params.push_back(page->limit + 1);
    json items = json::array();
    for (const auto& r : ctx.tx().query(sql, params)) items.push_back(to_json(r));
    return json_response(200, list_body(items, *page));
}

}  // namespace

Response create_payment(Ctx& ctx) {
    Response err;
    auto body = parse_object(ctx, err);
    if (!body) return err;
    auto inv = find_invoice(ctx, ctx.param("id"));
    if (!inv) return not_found();
    const std::string currency = inv->str("currency");
    if (auto errors = validation::validate_invoice_payment(*body, digits_of(currency)); !errors.empty())
        return validation_failed(errors);
    if (auto refused = not_payable(ctx, *inv)) return *refused;
    const std::int64_t amount = amount_of(*body, currency);
    const std::string method = (*body)["method"];
    auto client = ctx.tx().query_one("SELECT payment_method_ref, processor_customer_ref FROM clients WHERE id = ?",
                                     {inv->str("client_id")});
    const std::string id = server::new_id("pay");
    const std::string reference = str_or(*body, "reference");
    auto opt = [&](const char* key) {
        return body->contains(key) ? storage::Param((*body)[key].get<std::string>()) : storage::Param(nullptr);
    };
    if (method != "card") {
        // Recorded by billing staff: the money already arrived.
        ctx.tx().exec(
            "INSERT INTO payments (id, firm_id, invoice_id, client_id, amount, currency, method, source, status, "
            "reference, received_on, created_by, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, 'manual', "
            "'pending', ?, ?, ?, ?, ?)",
            {id, ctx.principal.firm_id, inv->str("id"), inv->str("client_id"), amount, currency, method,
             opt("reference"), opt("received_on"), ctx.principal.membership_id, ctx.now, ctx.now});
        pay::ChargeResult recorded;
        recorded.outcome = pay::Outcome::succeeded;
        pay::settle_charge_status(ctx.tx(), ctx.app.zones(), id, recorded, ctx.now, actor_of(ctx));
        return json_response(201, payment_with_invoice(ctx, id));
    }
    std::string pm = body->contains("payment_method") ? (*body)["payment_method"].get<std::string>()
                                                      : client->str("payment_method_ref");
    if (pm.empty()) {
        return validation_failed({{"VALIDATION_REQUIRED", "payment_method",
                                   "a card payment needs a payment method (or one stored on the client)"}});
    }
    CardCharge charge;
    charge.amount = amount;
    charge.payment_method = pm;
    charge.source = "manual";
    charge.created_by = ctx.principal.membership_id;
    if (body->contains("reference")) charge.reference = (*body)["reference"].get<std::string>();
    const auto done = charge_card(ctx, *inv, charge, actor_of(ctx));
    const std::string& status = done.status;
    const std::string& paid_id = done.payment_id;
    return json_response(status == "pending" ? 202 : 201, payment_with_invoice(ctx, paid_id));
}

Response list_payments(Ctx& ctx) {
    return list_of(ctx, "payments", {"invoice_id", "client_id", "status", "method", "source"}, pay::payment_json);
}

Response get_payment(Ctx& ctx) {
    auto p = find_payment(ctx, ctx.param("id"));
    if (!p) return not_found();
    json out = payment_with_invoice(ctx, p->str("id"));
    json refunds = json::array();
    for (const auto& r : ctx.tx().query("SELECT * FROM refunds WHERE payment_id = ? AND firm_id = ? ORDER BY id",
                                        {p->str("id"), ctx.principal.firm_id}))
        refunds.push_back(pay::refund_json(r));
    out["refunds"] = refunds;
    return json_response(200, out);
}

namespace {

// Applies a refund the processor (or the staff member) carried out.
void finish_refund(Ctx& ctx, const std::string& refund_id, const std::string& reason) {
    auto r = ctx.tx().query_one("SELECT * FROM refunds WHERE id = ?", {refund_id});
    auto p = ctx.tx().query_one("SELECT * FROM payments WHERE id = ?", {r->str("payment_id")});
    auto inv = ctx.tx().query_one("SELECT * FROM invoices WHERE id = ?", {r->str("invoice_id")});
    pay::take_refund(ctx.tx(), p->str("id"), r->i64("amount"), ctx.now);
    if (p->str("method") == "credit") {
        // A refund of applied credit gives the credit back.
        pay::LedgerAppend back;
        back.firm_id = p->str("firm_id");
        back.client_id = p->str("client_id");
        back.currency = p->str("currency");
        back.kind = billing::LedgerKind::refund;
        back.amount = r->i64("amount");
        back.invoice_id = inv->str("id");
        back.payment_id = p->str("id");
        back.reason = reason;
        back.created_by = ctx.principal.membership_id;
        auto appended = pay::append_credit(ctx.tx(), back, ctx.now);
        if (!appended) throw std::runtime_error(appended.error().message);
    }
    auto after = ctx.tx().query_one("SELECT * FROM invoices WHERE id = ?", {inv->str("id")});
    auto e = audit_event(ctx, "BILLING", "payment.refund", "WARNING");
    e.target_type = "payment";
    e.target_id = p->str("id");
    e.target_label = after->is_null("number") ? "" : after->str("number");
    e.reason = reason;
    const std::string cur = p->str("currency");
    e.metadata = {{"refund_id", refund_id},
                  {"invoice_id", inv->str("id")},
                  {"amount", money_text(r->i64("amount"), cur)},
                  {"before", {{"status", inv->str("status")}, {"amount_paid", money_text(inv->i64("amount_paid"), cur)}}},
                  {"after", {{"status", after->str("status")}, {"amount_paid", money_text(after->i64("amount_paid"), cur)}}}};
    record(ctx, e);
}

}  // namespace

Response create_refund(Ctx& ctx) {
    Response err;
    auto body = parse_object(ctx, err);
    if (!body) return err;
    auto p = find_payment(ctx, ctx.param("id"));
    if (!p) return not_found();
    const std::string currency = p->str("currency");
    if (auto errors = validation::validate_refund(*body, digits_of(currency)); !errors.empty())
        return validation_failed(errors);
    if (p->str("status") != "succeeded") {
        return error_response(409, "NOT_REFUNDABLE",
                              "only a succeeded payment can be refunded (this one is '" + p->str("status") + "')",
                              "status");
    }
    const std::int64_t amount = amount_of(*body, currency);
    const std::string reason = (*body)["reason"];
    // The payment's row lock queues two refunds of one payment (PostgreSQL; SQLite serialises).
    ctx.tx().exec("UPDATE payments SET updated_at = ? WHERE id = ?", {ctx.now, p->str("id")});
    auto pending = ctx.tx().query_one(
        "SELECT COALESCE(SUM(amount), 0) AS n FROM refunds WHERE payment_id = ? AND status = 'pending'",
        {p->str("id")});
    auto inv = ctx.tx().query_one("SELECT * FROM invoices WHERE id = ?", {p->str("invoice_id")});
    auto fits = billing::apply_refund(inv->i64("total"), inv->i64("amount_paid"), inv->i64("amount_credited"),
                                      p->i64("applied"), p->i64("amount_refunded") + pending->i64("n"), amount);
    if (!fits) return validation_failed({fits.error()});
    const std::string id = server::new_id("ref");
    const bool through_processor = p->str("method") == "card" && !p->is_null("processor_id");
    const std::string key = "cp_refund_" + id;
    ctx.tx().exec(
        "INSERT INTO refunds (id, firm_id, payment_id, invoice_id, amount, currency, reason, status, "
        "processor_key, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, 'pending', ?, ?, ?)",
        {id, ctx.principal.firm_id, p->str("id"), p->str("invoice_id"), amount, currency, reason,
         through_processor ? storage::Param(key) : storage::Param(nullptr), ctx.principal.membership_id, ctx.now});
    if (through_processor) {
        ctx.commit();  // the pending refund is durable before the processor is asked
        pay::RefundRequest req;
        req.idempotency_key = key;
        req.payment_processor_id = p->str("processor_id");
        req.currency = currency;
        req.amount = amount;
        pay::RefundResult result;
        try {
            result = ctx.app.processor().refund(req);
        } catch (const std::exception& e) {
            result.outcome = pay::Outcome::unknown;
            result.failure_message = e.what();
        }
        if (result.outcome == pay::Outcome::unknown) {
            auto r = ctx.tx().query_one("SELECT * FROM refunds WHERE id = ?", {id});
            return json_response(202, pay::refund_json(*r));
        }
        if (result.outcome != pay::Outcome::succeeded) {
            ctx.tx().exec("UPDATE refunds SET status = 'failed', processor_id = ? WHERE id = ?",
                          {result.processor_id, id});
            return error_response(422, "REFUND_FAILED", "The processor refused the refund: " + result.failure_message,
                                  "amount");
        }
        ctx.tx().exec("UPDATE refunds SET status = 'succeeded', processor_id = ? WHERE id = ? AND status = 'pending'",
                      {result.processor_id, id});
    } else {
        ctx.tx().exec("UPDATE refunds SET status = 'succeeded' WHERE id = ?", {id});
    }
    finish_refund(ctx, id, reason);
    auto r = ctx.tx().query_one("SELECT * FROM refunds WHERE id = ?", {id});
    json out = pay::refund_json(*r);
    out["payment"] = payment_with_invoice(ctx, p->str("id"));
    return json_response(201, out);
}

Response apply_credit(Ctx& ctx) {
    Response err;
    auto body = parse_object(ctx, err);
    if (!body) return err;
    auto inv = find_invoice(ctx, ctx.param("id"));
    if (!inv) return not_found();
    const std::string currency = inv->str("currency");
    if (auto errors = validation::validate_credit_application(*body, digits_of(currency)); !errors.empty())
        return validation_failed(errors);
    if (auto refused = not_payable(ctx, *inv)) return *refused;
    const std::int64_t amount = amount_of(*body, currency);
    if (amount > inv->i64("balance_due")) {
        return validation_failed(
            {{"EXCEEDS_BALANCE_DUE", "amount", "is more than the invoice's balance due"}});
    }
    const std::string id = server::new_id("pay");
    ctx.tx().exec(
        "INSERT INTO payments (id, firm_id, invoice_id, client_id, amount, currency, method, source, status, "
        "created_by, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, 'credit', 'credit', 'pending', ?, ?, ?)",
        {id, ctx.principal.firm_id, inv->str("id"), inv->str("client_id"), amount, currency,
         ctx.principal.membership_id, ctx.now, ctx.now});
    pay::LedgerAppend debit;
    debit.firm_id = ctx.principal.firm_id;
    debit.client_id = inv->str("client_id");
    debit.currency = currency;
    debit.kind = billing::LedgerKind::applied_to_invoice;
    debit.amount = amount;
    debit.invoice_id = inv->str("id");
    debit.payment_id = id;
    debit.created_by = ctx.principal.membership_id;
    auto appended = pay::append_credit(ctx.tx(), debit, ctx.now);
    if (!appended) {
        ctx.tx_.reset();  // nothing of this request stays
        return validation_failed({appended.error()});
    }
    pay::ChargeResult applied;
    applied.outcome = pay::Outcome::succeeded;
    pay::settle_charge_status(ctx.tx(), ctx.app.zones(), id, applied, ctx.now, actor_of(ctx));
    return json_response(201, payment_with_invoice(ctx, id));
}

Response list_client_credits(Ctx& ctx) {
    auto client = ctx.tx().query_one("SELECT id FROM clients WHERE id = ? AND firm_id = ?",
                                     {ctx.param("id"), ctx.principal.firm_id});
    if (!client) return not_found();
    Response err;
    auto page = parse_page(ctx, err);
    if (!page) return err;
    json items = json::array();
    for (const auto& r : ctx.tx().query(
             "SELECT * FROM credit_ledger WHERE firm_id = ? AND client_id = ? AND id > ? ORDER BY id LIMIT ?",
             {ctx.principal.firm_id, ctx.param("id"), page->cursor, page->limit + 1}))
        items.push_back(pay::ledger_entry_json(r));
    json out = list_body(items, *page);
    json balances = json::object();
    for (const auto& c : ctx.tx().query(
             "SELECT DISTINCT currency FROM credit_ledger WHERE firm_id = ? AND client_id = ? ORDER BY currency",
             {ctx.principal.firm_id, ctx.param("id")})) {
        balances[c.str("currency")] =
            money_text(pay::credit_balance(ctx.tx(), ctx.param("id"), c.str("currency")), c.str("currency"));
    }
    out["balances"] = balances;
    return json_response(200, out);
}

json credit_request_json(const storage::Row& r) {
    return {{"object", "credit_request"},
            {"id", r.str("id")},
            {"client_id", r.str("client_id")},
            {"kind", r.str("kind")},
            {"amount", money_text(r.i64("amount"), r.str("currency"))},
            {"currency", r.str("currency")},
            {"reason", r.str("reason")},
            {"requested_by", r.str("requested_by")},
            {"approved_by", r.str("approver_id")},
            {"status", r.str("status")},
            {"created_at", iso(r.i64("created_at"))}};
}

Response grant_client_credit(Ctx& ctx) {
    Response err;
    auto body = parse_object(ctx, err);
    if (!body) return err;
    auto client = ctx.tx().query_one("SELECT id, name FROM clients WHERE id = ? AND firm_id = ?",
                                     {ctx.param("id"), ctx.principal.firm_id});
    if (!client) return not_found();
    if (auto errors = validation::validate_credit_grant(*body); !errors.empty()) return validation_failed(errors);
    const std::string approver = (*body)["approved_by"].is_string() ? (*body)["approved_by"].get<std::string>()
                                                                    : (*body)["approved_by"].dump();
    auto m = ctx.tx().query_one("SELECT id, role, status FROM memberships WHERE id = ? AND firm_id = ?",
                                {approver, ctx.principal.firm_id});
    if (!m || m->str("status") != "active" || (m->str("role") != "owner" && m->str("role") != "admin")) {
        return validation_failed(
            {{"INVALID_APPROVER", "approved_by", "must be an active owner or admin of the firm"}});
    }
    if (approver == ctx.principal.membership_id)
        return forbidden("SELF_APPROVAL", "A goodwill or correction credit needs another person's approval.");
    const std::string currency = (*body)["currency"];
    const std::string id = server::new_id("crq");
    const std::int64_t amount = amount_of(*body, currency);
    ctx.tx().exec(
        "INSERT INTO credit_requests (id, firm_id, client_id, kind, amount, currency, reason, requested_by, "
        "approver_id, status, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'pending', ?)",
        {id, ctx.principal.firm_id, client->str("id"), (*body)["kind"].get<std::string>(), amount, currency,
         (*body)["reason"].get<std::string>(), ctx.principal.membership_id, approver, ctx.now});
    auto e = audit_event(ctx, "BILLING", "credit.request", "WARNING");
    e.target_type = "client";
    e.target_id = client->str("id");
    e.target_label = client->str("name");
    e.reason = (*body)["reason"].get<std::string>();
    e.metadata = {{"kind", (*body)["kind"]},
                  {"amount", money_text(amount, currency)},
                  {"currency", currency},
                  {"approved_by", approver},
                  {"credit_request_id", id}};
    record(ctx, e);
    return json_response(202, credit_request_json(*ctx.tx().query_one("SELECT * FROM credit_requests WHERE id = ?", {id})));
}

// The named approver, and only they, turns a pending request into a ledger credit.
Response approve_credit_request(Ctx& ctx) {
    auto req = ctx.tx().query_one("SELECT * FROM credit_requests WHERE id = ? AND firm_id = ?",
                                  {ctx.param("id"), ctx.principal.firm_id});
    if (!req) return not_found();
    if (req->str("approver_id") != ctx.principal.membership_id) {
        return forbidden("NOT_THE_APPROVER", "Only the approver this credit names can approve it.");
    }
    if (req->str("status") != "pending") {
        return error_response(409, "INVALID_TRANSITION",
                              "The credit request is " + req->str("status") + ", not pending.");
    }
    auto client = ctx.tx().query_one("SELECT id, name FROM clients WHERE id = ? AND firm_id = ?",
                                     {req->str("client_id"), ctx.principal.firm_id});
    if (!client) return not_found();
    const std::string currency = req->str("currency");
    pay::LedgerAppend credit;
    credit.firm_id = ctx.principal.firm_id;
    credit.client_id = client->str("id");
    credit.currency = currency;
    credit.kind = req->str("kind") == "goodwill" ? billing::LedgerKind::goodwill : billing::LedgerKind::correction;
    credit.amount = req->i64("amount");
    credit.reason = req->str("reason");
    credit.approved_by = ctx.principal.membership_id;
    credit.created_by = req->str("requested_by");
    auto appended = pay::append_credit(ctx.tx(), credit, ctx.now);
    if (!appended) return validation_failed({appended.error()});
    ctx.tx().exec("UPDATE credit_requests SET status = 'approved', decided_at = ? WHERE id = ? AND firm_id = ?",
                  {ctx.now, req->str("id"), ctx.principal.firm_id});
    auto e = audit_event(ctx, "BILLING", "credit.grant", "WARNING");
    e.target_type = "client";
    e.target_id = client->str("id");
    e.target_label = client->str("name");
    e.reason = *credit.reason;
    e.metadata = {{"kind", req->str("kind")},
                  {"amount", money_text(credit.amount, currency)},
                  {"currency", currency},
                  {"approved_by", ctx.principal.membership_id},
                  {"requested_by", req->str("requested_by")},
                  {"credit_request_id", req->str("id")}};
    record(ctx, e);
    auto row = ctx.tx().query_one(
        "SELECT * FROM credit_ledger WHERE client_id = ? AND currency = ? ORDER BY seq DESC LIMIT 1",
        {client->str("id"), currency});
    return json_response(201, pay::ledger_entry_json(*row));
}

Response list_payment_failures(Ctx& ctx) {
    return list_of(ctx, "payment_failures", {"invoice_id", "client_id"}, pay::failure_json);
}

Response list_alerts(Ctx& ctx) { return list_of(ctx, "alerts", {"invoice_id", "kind", "owner_membership_id"}, pay::alert_json); }

Response ack_alert(Ctx& ctx) {
    Response err;
    auto body = small_body(ctx, err);
    if (!body) return err;
    Errors errors;
    validation::JsonReader r(*body, "", errors);
    r.reject_unknown({});
    if (!errors.empty()) return validation_failed(errors);
    auto a = ctx.tx().query_one("SELECT * FROM alerts WHERE id = ? AND firm_id = ?",
                                {ctx.param("id"), ctx.principal.firm_id});
    if (!a) return not_found();
    if (!a->is_null("acknowledged_at"))
        return error_response(409, "ALREADY_ACKNOWLEDGED", "This alert was acknowledged already.");
    ctx.tx().exec(
        "UPDATE alerts SET acknowledged_at = ?, acknowledged_by = ? WHERE id = ? AND acknowledged_at IS NULL",
        {ctx.now, ctx.principal.membership_id, a->str("id")});
    auto e = audit_event(ctx, "BILLING", "alert.ack");
    e.target_type = "alert";
    e.target_id = a->str("id");
    e.metadata = {{"kind", a->str("kind")}, {"invoice_id", a->str("invoice_id")}};
    record(ctx, e);
    return json_response(200, pay::alert_json(*ctx.tx().query_one("SELECT * FROM alerts WHERE id = ?", {a->str("id")})));
}

}  // namespace cp::api
