#include "server/payments/payment_service.hpp"
#include "server/email/message_composer.hpp"

#include <fmt/format.h>

#include <iostream>

#include "server/api/serializers.hpp"
#include "server/util/clock.hpp"
#include "server/util/crypto.hpp"
#include "shared/billing/invoice_rules.hpp"
#include "shared/billing/payment_rules.hpp"
#include "shared/state/firm_status.hpp"
#include "shared/state/invoice_status.hpp"
#include "shared/time/civil.hpp"

namespace cp::server::payments {

namespace {

json opt_text(const storage::Row& r, const char* column) {
    return r.is_null(column) ? json(nullptr) : json(r.str(column));
}
json opt_time(const storage::Row& r, const char* column) {
    return r.is_null(column) ? json(nullptr) : json(iso_time(r.i64(column)));
}

const char* ledger_kind_name(cp::billing::LedgerKind k) {
    switch (k) {
        case cp::billing::LedgerKind::overpayment:
            return "overpayment";
        case cp::billing::LedgerKind::refund:
            return "refund";
        case cp::billing::LedgerKind::goodwill:
            return "goodwill";
        case cp::billing::LedgerKind::correction:
            return "correction";
        case cp::billing::LedgerKind::applied_to_invoice:
            return "applied_to_invoice";
    }
    return "unknown";
}

// `to` when the core's invoice table allows going there from `from` (or it is the same).
std::string moved_status(const std::string& from, std::string_view to) {
    auto f = state::invoice_status_from_string(from);
    auto t = state::invoice_status_from_string(to);
    if (!f || !t) return from;
    if (*f == *t || state::can_transition(*f, *t)) return std::string(to);
    return from;
}

json invoice_brief(const storage::Row& inv) {
    const std::string cur = inv.str("currency");
    return {{"status", inv.str("status")},
            {"amount_paid", api::money_text(inv.i64("amount_paid"), cur)},
            {"balance_due", api::money_text(inv.i64("balance_due"), cur)}};
}

void audit(storage::Transaction& tx, const Actor& actor, const std::string& firm_id, const char* action,
           const std::string& severity, const std::string& target_type, const std::string& target_id,
           const std::string& label, json metadata, std::int64_t now) {
    audit::Event e = actor;
    e.firm_id = firm_id;
    e.category = "BILLING";
    e.action = action;
    e.severity = severity;
    e.target_type = target_type;
    e.target_id = target_id;
    e.target_label = label;
    e.metadata = std::move(metadata);
    audit::append(tx, e, now);
}

std::string label_of(const storage::Row& inv) { return inv.is_null("number") ? "draft" : inv.str("number"); }

}  // namespace

json payment_json(const storage::Row& p) {
    const std::string cur = p.str("currency");
    return {{"object", "payment"},
            {"id", p.str("id")},
            {"invoice_id", p.str("invoice_id")},
            {"client_id", p.str("client_id")},
            {"amount", api::money_text(p.i64("amount"), cur)},
            {"currency", cur},
            {"method", p.str("method")},
            {"source", p.str("source")},
            {"status", p.str("status")},
            {"attempt", p.is_null("attempt") ? json(nullptr) : json(p.i64("attempt"))},
            {"payment_method", opt_text(p, "payment_method_ref")},
            {"reference", opt_text(p, "reference")},
            {"received_on", opt_text(p, "received_on")},
            {"processor", opt_text(p, "processor")},
            {"processor_id", opt_text(p, "processor_id")},
            {"failure_code", opt_text(p, "failure_code")},
            {"failure_message", opt_text(p, "failure_message")},
            {"applied", api::money_text(p.i64("applied"), cur)},
            {"to_credit", api::money_text(p.i64("to_credit"), cur)},
            {"amount_refunded", api::money_text(p.i64("amount_refunded"), cur)},
            {"settled_at", opt_time(p, "settled_at")},
            {"created_at", iso_time(p.i64("created_at"))}};
}

json refund_json(const storage::Row& r) {
    const std::string cur = r.str("currency");
    return {{"object", "refund"},
            {"id", r.str("id")},
            {"payment_id", r.str("payment_id")},
            {"invoice_id", r.str("invoice_id")},
            {"amount", api::money_text(r.i64("amount"), cur)},
            {"currency", cur},
            {"reason", r.str("reason")},
            {"status", r.str("status")},
            {"processor_id", opt_text(r, "processor_id")},
            {"created_at", iso_time(r.i64("created_at"))}};
}

json ledger_entry_json(const storage::Row& e) {
    const std::string cur = e.str("currency");
    const bool credit = e.str("kind") != "applied_to_invoice";
    return {{"object", "credit_ledger_entry"},
            {"id", e.str("id")},
            {"client_id", e.str("client_id")},
            {"kind", e.str("kind")},
            {"direction", credit ? "credit" : "debit"},
            {"amount", api::money_text(e.i64("amount"), cur)},
            {"currency", cur},
            {"balance_after", api::money_text(e.i64("balance_after"), cur)},
            {"invoice_id", opt_text(e, "invoice_id")},
            {"payment_id", opt_text(e, "payment_id")},
            {"reason", opt_text(e, "reason")},
            {"approved_by", opt_text(e, "approved_by")},
            {"created_at", iso_time(e.i64("created_at"))}};
}

json failure_json(const storage::Row& f) {
    return {{"object", "payment_failure"},
            {"id", f.str("id")},
            {"invoice_id", f.str("invoice_id")},
            {"client_id", f.str("client_id")},
            {"payment_id", f.str("payment_id")},
            {"attempt", f.i64("attempt")},
            {"code", f.str("code")},
            {"message", f.str("message")},
            {"failed_at", iso_time(f.i64("failed_at"))},
            {"next_retry_at", opt_time(f, "next_retry_at")}};
}

json alert_json(const storage::Row& a) {
    return {{"object", "alert"},
            {"id", a.str("id")},
            {"kind", a.str("kind")},
            {"severity", a.str("severity")},
            {"invoice_id", opt_text(a, "invoice_id")},
            {"client_id", opt_text(a, "client_id")},
            {"subject_type", opt_text(a, "subject_type")},
            {"subject_id", opt_text(a, "subject_id")},
            {"owner_membership_id", opt_text(a, "owner_membership_id")},
            {"message", a.str("message")},
            {"created_at", iso_time(a.i64("created_at"))},
            {"acknowledged_at", opt_time(a, "acknowledged_at")},
            {"acknowledged_by", opt_text(a, "acknowledged_by")}};
}

std::string autopay_key(const std::string& invoice_id, std::int64_t attempt) {
    return fmt::format("cp_autopay_{}_{}", invoice_id, attempt);
}

std::int64_t credit_balance(storage::Transaction& tx, const std::string& client_id, const std::string& currency) {
    auto last = tx.query_one(
        "SELECT balance_after FROM credit_ledger WHERE client_id = ? AND currency = ? ORDER BY seq DESC LIMIT 1",
        {client_id, currency});
    return last ? last->i64("balance_after") : 0;
}

Result<std::int64_t> append_credit(storage::Transaction& tx, const LedgerAppend& entry, std::int64_t now) {
    auto last = tx.query_one(
        "SELECT seq, balance_after FROM credit_ledger WHERE client_id = ? AND currency = ? ORDER BY seq DESC "
        "LIMIT 1",
        {entry.client_id, entry.currency});
    const std::int64_t balance = last ? last->i64("balance_after") : 0;
    const std::int64_t seq = last ? last->i64("seq") : 0;
    auto next = cp::billing::append_entry(balance, {entry.kind, entry.amount});
    if (!next) return next.error();
    tx.exec(
        "INSERT INTO credit_ledger (id, firm_id, client_id, currency, seq, kind, amount, balance_after, "
        "invoice_id, payment_id, reason, approved_by, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, "
        "?, ?, ?, ?, ?, ?)",
        {new_id("crd"), entry.firm_id, entry.client_id, entry.currency, seq + 1, ledger_kind_name(entry.kind),
         entry.amount, *next, storage::nullable(entry.invoice_id), storage::nullable(entry.payment_id),
         storage::nullable(entry.reason), storage::nullable(entry.approved_by), entry.created_by, now});
    return *next;
}

namespace {

std::string settle_success(storage::Transaction& tx, const storage::Row& p, const ChargeResult& result,
                           std::int64_t now, const Actor& actor) {
    if (!tx.query_one(
            "UPDATE payments SET status = 'succeeded', processor_id = COALESCE(?, processor_id), "
            "failure_code = NULL, failure_message = NULL, settled_at = ?, claimed_until = NULL, updated_at = ? "
            "WHERE id = ? AND status = ? RETURNING id",
            {result.processor_id.empty() ? storage::Param(nullptr) : storage::Param(result.processor_id), now, now,
             p.str("id"), p.str("status")})) {
        return "";
    }
    auto inv = tx.query_one("SELECT * FROM invoices WHERE id = ?", {p.str("invoice_id")});
    const std::int64_t amount = p.i64("amount");
    std::int64_t applied = 0, to_credit = amount;
    std::string status = inv->str("status");
    // Paid meanwhile (another payment landed first): the whole amount becomes credit.
    if (auto app = cp::billing::apply_payment(inv->i64("total"), inv->i64("amount_paid"), inv->i64("amount_credited"),
                                          amount)) {
        applied = app->applied;
        to_credit = app->to_credit;
        status = moved_status(status, app->status);
    }
    const std::int64_t paid = inv->i64("amount_paid") + applied;
    const std::int64_t balance = cp::billing::balance_due(inv->i64("total"), paid, inv->i64("amount_credited"));
    // Nothing left to pay: no autopay attempt or retry remains for this invoice.
    const bool settled = balance <= 0 && !inv->is_null("autopay_state") && inv->str("autopay_state") != "exhausted";
    tx.exec(
        "UPDATE invoices SET amount_paid = ?, balance_due = ?, status = ?, autopay_state = ?, "
        "autopay_next_attempt_at = ?, updated_at = ? WHERE id = ?",
        {paid, balance, status,
         settled ? storage::Param("settled") : storage::nullable(inv->opt("autopay_state")),
         settled ? storage::Param(nullptr) : storage::Param(inv->opt_i64("autopay_next_attempt_at")
                                                               ? storage::Param(*inv->opt_i64("autopay_next_attempt_at"))
                                                               : storage::Param(nullptr)),
         now, inv->str("id")});
    tx.exec("UPDATE payments SET applied = ?, to_credit = ? WHERE id = ?", {applied, to_credit, p.str("id")});
    if (to_credit > 0) {
        LedgerAppend credit;
        credit.firm_id = p.str("firm_id");
        credit.client_id = p.str("client_id");
        credit.currency = p.str("currency");
        credit.kind = cp::billing::LedgerKind::overpayment;
        credit.amount = to_credit;
        credit.invoice_id = inv->str("id");
        credit.payment_id = p.str("id");
        credit.created_by = actor.actor_id.empty() ? "system" : actor.actor_id;
        auto appended = append_credit(tx, credit, now);
        if (!appended) throw std::runtime_error("credit ledger: " + appended.error().message);
    }
    auto after = tx.query_one("SELECT * FROM invoices WHERE id = ?", {inv->str("id")});
    const std::string cur = p.str("currency");
    audit(tx, actor, p.str("firm_id"), "payment.succeed", "INFO", "payment", p.str("id"), label_of(*after),
          {{"invoice_id", inv->str("id")},
           {"method", p.str("method")},
           {"source", p.str("source")},
           {"attempt", p.is_null("attempt") ? json(nullptr) : json(p.i64("attempt"))},
           {"amount", api::money_text(amount, cur)},
           {"applied", api::money_text(applied, cur)},
           {"to_credit", api::money_text(to_credit, cur)},
           {"before", invoice_brief(*inv)},
           {"after", invoice_brief(*after)}},
          now);
    email::compose_payment_receipt(tx, p.str("id"), now);
    return "succeeded";
}

std::string settle_failure(storage::Transaction& tx, Zones& zones, const storage::Row& p, std::string code,
                           std::string message, const std::string& processor_id, std::int64_t now,
                           const Actor& actor) {
    if (code.empty()) code = "processor_rejected";
    if (message.empty()) message = "The processor refused the payment.";
    if (!tx.query_one(
            "UPDATE payments SET status = 'failed', processor_id = COALESCE(?, processor_id), failure_code = ?, "
            "failure_message = ?, settled_at = ?, claimed_until = NULL, updated_at = ? WHERE id = ? AND "
            "status = ? RETURNING id",
            {processor_id.empty() ? storage::Param(nullptr) : storage::Param(processor_id), code, message, now, now,
             p.str("id"), p.str("status")})) {
        return "";
    }
    auto inv = tx.query_one(
        "SELECT i.*, c.time_zone AS client_time_zone FROM invoices i JOIN clients c ON c.id = i.client_id "
        "WHERE i.id = ?",
        {p.str("invoice_id")});
    json meta{{"invoice_id", inv->str("id")}, {"method", p.str("method")}, {"source", p.str("source")},
              {"code", code},
              {"attempt", p.is_null("attempt") ? json(nullptr) : json(p.i64("attempt"))}};
    if (!p.is_null("attempt")) {  // autopay's attempt, or a processor's failure counted as one
        const std::int64_t attempt = p.i64("attempt");
        const std::int64_t first =
            attempt == 1 || inv->is_null("autopay_first_failure_at") ? now : inv->i64("autopay_first_failure_at");
        const auto& zone = zones.zone(inv->str("client_time_zone"));
        auto next = cp::billing::next_autopay_attempt(static_cast<int32_t>(attempt), first, zone);
        if (!next) throw std::runtime_error("autopay schedule: " + next.error().message);
        const bool exhausted = !next->has_value();
        const std::string status = moved_status(inv->str("status"), exhausted ? "overdue" : "failed");
        // A manual payment may have paid it meanwhile: then no retry is needed.
        const bool nothing_due = inv->i64("balance_due") <= 0;
        const std::string state = nothing_due ? "settled" : exhausted ? "exhausted" : "retrying";
        tx.exec(
            "INSERT INTO payment_failures (id, firm_id, invoice_id, client_id, payment_id, attempt, code, "
            "message, failed_at, next_retry_at, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            {new_id("pfl"), p.str("firm_id"), inv->str("id"), p.str("client_id"), p.str("id"), attempt, code,
             message, now,
             exhausted || nothing_due ? storage::Param(nullptr) : storage::Param(**next), now});
        tx.exec(
            "UPDATE invoices SET status = ?, autopay_first_failure_at = ?, autopay_next_attempt_at = ?, "
            "autopay_state = ?, updated_at = ? WHERE id = ?",
            {nothing_due ? inv->str("status") : status, first,
             exhausted || nothing_due ? storage::Param(nullptr) : storage::Param(**next), state, now,
             inv->str("id")});
        meta["next_retry_at"] = exhausted || nothing_due ? json(nullptr) : json(iso_time(**next));
        auto after = tx.query_one("SELECT * FROM invoices WHERE id = ?", {inv->str("id")});
        meta["before"] = invoice_brief(*inv);
        meta["after"] = invoice_brief(*after);
        audit(tx, actor, p.str("firm_id"), "payment.fail", "WARNING", "payment", p.str("id"), label_of(*after),
              meta, now);
        if (exhausted && !nothing_due) {
            const std::string text = fmt::format(
                "Autopay failed for invoice {} after {} attempts (last: {}); it is overdue.", label_of(*after),
                attempt, code);
            audit(tx, actor, p.str("firm_id"), "autopay.exhausted", "CRITICAL", "invoice", inv->str("id"),
                  label_of(*after), {{"attempts", attempt}, {"last_code", code}, {"client_id", p.str("client_id")}},
                  now);
            tx.exec(
                "INSERT INTO alerts (id, firm_id, kind, severity, invoice_id, client_id, message, created_at) "
                "VALUES (?, ?, 'autopay_exhausted', 'CRITICAL', ?, ?, ?, ?)",
                {new_id("alr"), p.str("firm_id"), inv->str("id"), p.str("client_id"), text, now});
            email::compose_final_notice(tx, inv->str("id"), now);
        } else if (!nothing_due) {
            email::compose_autopay_failed(tx, zones, p.str("id"), **next, now);
        }
        return "failed";
    }
    auto after = tx.query_one("SELECT * FROM invoices WHERE id = ?", {inv->str("id")});
    audit(tx, actor, p.str("firm_id"), "payment.fail", "WARNING", "payment", p.str("id"), label_of(*after), meta,
          now);
    return "failed";
}

}  // namespace

bool settle_charge(storage::Transaction& tx, Zones& zones, const std::string& payment_id,
                   const ChargeResult& result, std::int64_t now, const Actor& actor) {
    return !settle_charge_status(tx, zones, payment_id, result, now, actor).empty();
}

// The payment's status after the answer, "" when it was settled already.
std::string settle_charge_status(storage::Transaction& tx, Zones& zones, const std::string& payment_id,
                                 const ChargeResult& result, std::int64_t now, const Actor& actor) {
    auto p = tx.query_one("SELECT * FROM payments WHERE id = ?", {payment_id});
    if (!p) return "";
    const std::string status = p->str("status");
    if (status != "pending" && status != "requires_action") return "";
    switch (result.outcome) {
        case Outcome::succeeded:
            return settle_success(tx, *p, result, now, actor);
        case Outcome::failed:
            return settle_failure(tx, zones, *p, result.failure_code, result.failure_message, result.processor_id,
                                  now, actor);
        case Outcome::requires_action:
            // Autopay runs off session: a card that needs its holder is a failed attempt.
            if (p->str("source") == "autopay") {
                return settle_failure(tx, zones, *p, "authentication_required",
                                      "The card needs its holder to authenticate the payment.",
                                      result.processor_id, now, actor);
            }
            if (status == "requires_action") return "requires_action";
            tx.exec(
                "UPDATE payments SET status = 'requires_action', processor_id = ?, claimed_until = NULL, "
                "updated_at = ? WHERE id = ? AND status = 'pending'",
                {result.processor_id, now, payment_id});
            audit(tx, actor, p->str("firm_id"), "payment.requires_action", "INFO", "payment", payment_id, "",
                  {{"invoice_id", p->str("invoice_id")}}, now);
            return "requires_action";
        case Outcome::unknown:
            tx.exec("UPDATE payments SET failure_message = ?, updated_at = ? WHERE id = ? AND status = 'pending'",
                    {result.failure_message, now, payment_id});
            return "pending";
    }
    return "";
}

void take_refund(storage::Transaction& tx, const std::string& payment_id, std::int64_t amount, std::int64_t now) {
    auto p = tx.query_one("SELECT * FROM payments WHERE id = ?", {payment_id});
    auto inv = tx.query_one("SELECT * FROM invoices WHERE id = ?", {p->str("invoice_id")});
    auto applied = cp::billing::apply_refund(inv->i64("total"), inv->i64("amount_paid"), inv->i64("amount_credited"),
                                             p->i64("applied"), p->i64("amount_refunded"), amount);
    if (!applied) throw std::runtime_error("refund no longer fits the payment: " + applied.error().message);
    tx.exec("UPDATE invoices SET amount_paid = ?, balance_due = ?, status = ?, updated_at = ? WHERE id = ?",
            {applied->amount_paid, applied->balance_due, moved_status(inv->str("status"), applied->status), now,
             inv->str("id")});
    tx.exec("UPDATE payments SET amount_refunded = ?, status = ?, updated_at = ? WHERE id = ?",
            {applied->payment_refunded,
             applied->payment_fully_refunded && p->i64("to_credit") == 0 ? "refunded" : "succeeded", now, payment_id});
}

std::int64_t cancel_autopay_retries(storage::Transaction& tx, const std::string& firm_id,
                                    const std::string& client_id, std::int64_t now, const Actor& actor) {
    auto rows = tx.query(
        "UPDATE invoices SET autopay_state = 'cancelled', autopay_next_attempt_at = NULL, updated_at = ? "
        "WHERE firm_id = ? AND client_id = ? AND autopay_state = 'retrying' RETURNING id, number, "
        "autopay_attempts",
        {now, firm_id, client_id});
    for (const auto& r : rows) {
        audit(tx, actor, firm_id, "autopay.cancel", "WARNING", "invoice", r.str("id"), r.str("number"),
              {{"attempts_made", r.i64("autopay_attempts")}, {"client_id", client_id}}, now);
    }
    return static_cast<std::int64_t>(rows.size());
}

json RunReport::to_json() const {
    return {{"now", iso_time(now)},     {"processor", processor}, {"firms", firms},
            {"reconciled", reconciled}, {"attempted", attempted}, {"succeeded", succeeded},
            {"failed", failed},         {"requires_action", requires_action},
            {"pending", pending},       {"exhausted", exhausted}, {"skipped", skipped},
            {"errors", errors},         {"charges", charges},     {"problems", problems}};
}

namespace {

struct Claimed {
    std::string payment_id, firm_id, invoice_id, client_id, number, currency, payment_method, customer, key;
    std::int64_t amount = 0, attempt = 0;
    bool off_session = false, reconcile = false;
};

void call_and_settle(storage::Database& db, Zones& zones, Processor& processor, const RunOptions& o,
                     const Claimed& c, RunReport& report) {
    ChargeRequest req;
    req.idempotency_key = c.key;
    req.firm_id = c.firm_id;
    req.invoice_id = c.invoice_id;
    req.payment_id = c.payment_id;
    req.customer = c.customer;
    req.payment_method = c.payment_method;
    req.currency = c.currency;
    req.amount = c.amount;
    req.off_session = c.off_session;
    ChargeResult result;
    try {
        result = processor.charge(req);
    } catch (const std::exception& e) {
        result.outcome = Outcome::unknown;
        result.failure_message = e.what();
    }
    Actor actor = o.actor;
    storage::Transaction tx(db);
    const std::string status = settle_charge_status(tx, zones, c.payment_id, result, o.now, actor);
    auto inv = tx.query_one("SELECT status, autopay_state, autopay_next_attempt_at FROM invoices WHERE id = ?",
                            {c.invoice_id});
    tx.commit();
    json entry{{"firm_id", c.firm_id},
               {"invoice_id", c.invoice_id},
               {"number", c.number},
               {"payment_id", c.payment_id},
               {"attempt", c.attempt == 0 ? json(nullptr) : json(c.attempt)},
               {"amount", api::money_text(c.amount, c.currency)},
               {"currency", c.currency},
               {"reconciled", c.reconcile},
               {"payment_status", status.empty() ? "already_settled" : status},
               {"invoice_status", inv ? inv->str("status") : ""},
               {"autopay_state", inv ? json(inv->opt("autopay_state").value_or("")) : json("")},
               {"next_retry_at", inv && inv->opt_i64("autopay_next_attempt_at")
                                     ? json(iso_time(*inv->opt_i64("autopay_next_attempt_at")))
                                     : json(nullptr)}};
    if (!result.failure_code.empty()) entry["failure_code"] = result.failure_code;
    if (status == "succeeded") ++report.succeeded;
    if (status == "failed") ++report.failed;
    if (status == "requires_action") ++report.requires_action;
    if (status == "pending") ++report.pending;
    if (inv && inv->str("autopay_state") == "exhausted" && status == "failed") ++report.exhausted;
    report.charges.push_back(entry);
}

}  // namespace

RunReport run_autopay(storage::Database& db, Zones& zones, Processor& processor, const RunOptions& o) {
    RunReport report;
    report.now = o.now;
    report.processor = processor.name();
    std::vector<std::string> firms;
    {
        storage::Transaction tx(db);
        auto rows = o.firm_id ? tx.query("SELECT id, status FROM firms WHERE id = ?", {*o.firm_id})
                              : tx.query("SELECT id, status FROM firms ORDER BY id");
        for (const auto& r : rows) {
            auto s = state::firm_status_from_string(r.str("status"));
            if (s && state::firm_is_usable(*s)) firms.push_back(r.str("id"));
        }
        tx.commit();
    }
    report.firms = static_cast<std::int64_t>(firms.size());
    if (o.firm_id && firms.empty()) {  // as the package run: a mistyped id is an error, not "nothing due"
        ++report.errors;
        report.problems.push_back(
            {{"firm_id", *o.firm_id}, {"code", "FIRM_NOT_FOUND"}, {"error", "no active or trial firm with this id"}});
        return report;
    }
    for (const auto& firm : firms) {
        // 1. Card payments whose answer never arrived (timeout, crash): ask again, same key.
        std::vector<storage::Row> stale;
        {
            storage::Transaction tx(db);
            stale = tx.query(
                "SELECT p.*, i.number AS invoice_number, c.processor_customer_ref FROM payments p "
                "JOIN invoices i ON i.id = p.invoice_id JOIN clients c ON c.id = p.client_id "
                "WHERE p.firm_id = ? AND p.status = 'pending' AND p.method = 'card' AND "
                "p.processor_key IS NOT NULL AND p.claimed_until <= ? ORDER BY p.id",
                {firm, o.now});
            tx.commit();
        }
        for (const auto& p : stale) {
            try {
                Claimed c;
                {
                    storage::Transaction tx(db);
                    if (!tx.query_one("UPDATE payments SET claimed_until = ? WHERE id = ? AND status = 'pending' AND "
                                      "claimed_until = ? RETURNING id",
                                      {o.now + kClaimSeconds, p.str("id"), p.i64("claimed_until")})) {
                        ++report.skipped;
                        continue;
                    }
                    tx.commit();
                }
                c.payment_id = p.str("id");
                c.firm_id = firm;
                c.invoice_id = p.str("invoice_id");
                c.client_id = p.str("client_id");
                c.number = p.str("invoice_number");
                c.currency = p.str("currency");
                c.payment_method = p.str("payment_method_ref");
                c.customer = p.str("processor_customer_ref");
                c.key = p.str("processor_key");
                c.amount = p.i64("amount");
                c.attempt = p.opt_i64("attempt").value_or(0);
                c.off_session = p.str("source") == "autopay";
                c.reconcile = true;
                ++report.reconciled;
                call_and_settle(db, zones, processor, o, c, report);
            } catch (const std::exception& e) {
                ++report.errors;
                report.problems.push_back({{"payment_id", p.str("id")}, {"error", e.what()}});
            }
        }

        // 2. Invoices that fell due, and retries whose time came.
        std::vector<storage::Row> due;
        {
            storage::Transaction tx(db);
            due = tx.query(
                "SELECT i.id, i.number, i.due_date, i.autopay_attempts, i.autopay_state, c.time_zone, "
                "c.payment_method_ref, c.processor_customer_ref FROM invoices i JOIN clients c ON c.id = "
                "i.client_id WHERE i.firm_id = ? AND i.document_type = 'invoice' AND c.autopay_enabled = 1 AND "
                "c.payment_method_ref IS NOT NULL AND i.balance_due > 0 AND ((i.autopay_state IS NULL AND "
                "i.autopay_attempts = 0 AND i.status IN ('sent', 'partial', 'failed') AND i.due_date IS NOT NULL) OR "
                "(i.autopay_state = 'retrying' AND i.autopay_next_attempt_at <= ? AND i.status IN ('failed', "
                "'partial', 'sent'))) ORDER BY i.id",
                {firm, o.now});
            tx.commit();
        }
        for (const auto& inv : due) {
            try {
                const std::int64_t attempt = inv.i64("autopay_attempts") + 1;
                if (attempt == 1) {
                    // Due on the due date in the client's zone.
                    auto due_date = time::parse_iso_date(inv.str("due_date"));
                    if (!due_date || zones.local_date(inv.str("time_zone"), o.now) < *due_date) continue;
                }
                if (attempt > cp::billing::kAutopayAttempts) continue;
                Claimed c;
                c.firm_id = firm;
                c.invoice_id = inv.str("id");
                c.number = inv.str("number");
                c.payment_method = inv.str("payment_method_ref");
                c.customer = inv.str("processor_customer_ref");
                c.attempt = attempt;
                c.off_session = true;
                c.key = autopay_key(c.invoice_id, attempt);
                try {
                    storage::Transaction tx(db);
                    // Compare-and-set on the attempt count: of two runners, one claims it.
                    auto claimed = tx.query_one(
                        "UPDATE invoices SET autopay_attempts = ?, autopay_state = 'charging', "
                        "autopay_next_attempt_at = NULL, updated_at = ? WHERE id = ? AND autopay_attempts = ? AND "
                        "balance_due > 0 AND (autopay_state IS NULL OR autopay_state = 'retrying') RETURNING "
                        "client_id, currency, balance_due, number",
                        {attempt, o.now, c.invoice_id, attempt - 1});
                    if (!claimed) {
                        ++report.skipped;
                        continue;
                    }
                    c.client_id = claimed->str("client_id");
                    c.currency = claimed->str("currency");
                    c.amount = claimed->i64("balance_due");
                    c.payment_id = new_id("pay");
                    tx.exec(
                        "INSERT INTO payments (id, firm_id, invoice_id, client_id, amount, currency, method, source, "
                        "status, attempt, payment_method_ref, processor, processor_key, created_by, claimed_until, "
                        "created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, 'card', 'autopay', 'pending', ?, ?, ?, ?, "
                        "?, ?, ?, ?)",
                        {c.payment_id, firm, c.invoice_id, c.client_id, c.amount, c.currency, attempt,
                         c.payment_method, processor.name(), c.key,
                         o.actor.actor_id.empty() ? "system" : o.actor.actor_id, o.now + kClaimSeconds, o.now,
                         o.now});
                    audit(tx, o.actor, firm, "autopay.attempt", "INFO", "payment", c.payment_id, c.number,
                          {{"invoice_id", c.invoice_id},
                           {"attempt", attempt},
                           {"amount", api::money_text(c.amount, c.currency)},
                           {"idempotency_key", c.key}},
                          o.now);
                    tx.commit();
                } catch (const storage::DbError& e) {
                    if (e.kind() != storage::DbError::Kind::unique_violation) throw;
                    ++report.skipped;  // another runner claimed this attempt
                    continue;
                }
                ++report.attempted;
                call_and_settle(db, zones, processor, o, c, report);
            } catch (const std::exception& e) {
                ++report.errors;
                report.problems.push_back({{"invoice_id", inv.str("id")}, {"error", e.what()}});
            }
        }
    }
    return report;
}

}  // namespace cp::server::payments
