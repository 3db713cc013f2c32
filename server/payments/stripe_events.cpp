#include "server/payments/stripe_events.hpp"

#include <deque>
#include <limits>
#include <optional>
#include <set>

#include "server/api/serializers.hpp"
#include "server/audit/audit_log.hpp"
#include "server/payments/disputes.hpp"
#include "server/util/clock.hpp"
#include "server/util/crypto.hpp"
#include "shared/billing/payment_rules.hpp"
#include "shared/protocol/json_input.hpp"
#include "shared/state/dispute_status.hpp"
#include "shared/state/invoice_status.hpp"

namespace cp::server::payments {

namespace {

// Any number fits: the lock only has to be the same for every webhook transaction.
constexpr std::int64_t kWebhookLock = 0x57E88001;

Actor webhook_actor() {
    Actor a;
    a.actor_type = "system";
    a.actor_id = "webhook:stripe";
    return a;
}

// What applying one event did; `learned` are processor ids (PaymentIntent, Charge) that
// now name a payment of ours, so events parked on them can apply.
struct Applied {
    std::string status = "applied", detail;
    std::string firm_id, invoice_id, parent_ref;
    std::vector<std::string> learned;
};

Applied outcome(std::string status, std::string detail) {
    Applied a;
    a.status = std::move(status);
    a.detail = std::move(detail);
    return a;
}

std::string text_of(const json& o, const char* key) {
    auto it = o.find(key);
    return it != o.end() && it->is_string() ? it->get<std::string>() : std::string();
}

// Integers only: a float amount is a malformed event, never rounded into money.
std::optional<std::int64_t> int_of(const json& o, const char* key) {
    auto it = o.find(key);
    if (it == o.end()) return std::nullopt;
    if (it->is_number_unsigned()) {
        const auto v = it->get<std::uint64_t>();
        if (v > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) return std::nullopt;
        return static_cast<std::int64_t>(v);
    }
    if (it->is_number_integer()) return it->get<std::int64_t>();
    return std::nullopt;
}

std::string metadata_of(const json& obj, const char* key) {
    auto it = obj.find("metadata");
    return it != obj.end() && it->is_object() ? text_of(*it, key) : std::string();
}

std::string upper(std::string s) {
    for (auto& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return s;
}

// The charge of a PaymentIntent: `latest_charge` (API 2022-11-15 on) or `charges.data[0]`.
std::string charge_of_intent(const json& pi) {
    if (auto c = text_of(pi, "latest_charge"); !c.empty()) return c;
    auto charges = pi.find("charges");
    if (charges != pi.end() && charges->is_object()) {
        auto data = charges->find("data");
        if (data != charges->end() && data->is_array() && !data->empty() && (*data)[0].is_object())
            return text_of((*data)[0], "id");
    }
    return {};
}

// The invoice named by metadata (our Stripe adapter writes invoice_id, payment_id and
// firm_id): an issued invoice of that firm, or nothing.
std::optional<storage::Row> invoice_of(storage::Transaction& tx, const json& obj) {
    const std::string id = metadata_of(obj, "invoice_id");
    if (id.empty() || id.size() > 64) return std::nullopt;
    auto inv = tx.query_one("SELECT * FROM invoices WHERE id = ? AND status <> 'draft' AND document_type = 'invoice'",
                            {id});
    if (!inv) return std::nullopt;
    const std::string firm = metadata_of(obj, "firm_id");
    if (!firm.empty() && firm != inv->str("firm_id")) return std::nullopt;
    return inv;
}

std::optional<storage::Row> payment_by_refs(storage::Transaction& tx, const std::string& intent,
                                            const std::string& charge) {
    if (!intent.empty()) {
        if (auto p = tx.query_one("SELECT * FROM payments WHERE processor_id = ? ORDER BY id LIMIT 1", {intent}))
            return p;
    }
    if (!charge.empty()) {
        return tx.query_one("SELECT * FROM payments WHERE processor_charge_id = ? ORDER BY id LIMIT 1", {charge});
    }
    return std::nullopt;
}

// Our own payment named in metadata (a charge our Stripe adapter made), when the
// PaymentIntent id was never stored (the answer was lost).
std::optional<storage::Row> payment_of(storage::Transaction& tx, const json& obj, const std::string& intent) {
    if (auto p = payment_by_refs(tx, intent, "")) return p;
    const std::string id = metadata_of(obj, "payment_id");
    if (id.empty()) return std::nullopt;
    return tx.query_one(
        "SELECT * FROM payments WHERE id = ? AND method = 'card' AND (processor_id IS NULL OR processor_id = ?)",
        {id, intent});
}

void remember_refs(storage::Transaction& tx, const storage::Row& payment, const std::string& intent,
                   const std::string& charge, std::int64_t now, Applied& out) {
    if (!intent.empty() && payment.is_null("processor_id")) {
        tx.exec("UPDATE payments SET processor_id = ?, updated_at = ? WHERE id = ?", {intent, now, payment.str("id")});
    }
    if (!charge.empty() && payment.is_null("processor_charge_id")) {
        tx.exec("UPDATE payments SET processor_charge_id = ?, updated_at = ? WHERE id = ?",
                {charge, now, payment.str("id")});
    }
    out.firm_id = payment.str("firm_id");
    out.invoice_id = payment.str("invoice_id");
    if (!intent.empty()) out.learned.push_back(intent);
    if (!charge.empty()) out.learned.push_back(charge);
}

std::string insert_webhook_payment(storage::Transaction& tx, const storage::Row& inv, std::int64_t amount,
                                   const std::string& intent, const std::string& charge, std::int64_t now,
                                   std::optional<std::int64_t> autopay_attempt = std::nullopt) {
    const std::string id = new_id("pay");
    tx.exec(
        "INSERT INTO payments (id, firm_id, invoice_id, client_id, amount, currency, method, source, status, "
        "attempt, processor, processor_id, processor_charge_id, created_by, created_at, updated_at) VALUES (?, ?, ?, "
        "?, ?, ?, 'card', 'webhook', 'pending', ?, 'stripe', ?, ?, 'webhook:stripe', ?, ?)",
        {id, inv.str("firm_id"), inv.str("id"), inv.str("client_id"), amount, inv.str("currency"),
         autopay_attempt ? storage::Param(*autopay_attempt) : storage::Param(), intent,
         charge.empty() ? storage::Param() : storage::Param(charge), now, now});
    return id;
}

// A PaymentIntent that failed at the processor on an autopay client's invoice that has fallen due counts as
// one of autopay's attempts: its failure is recorded and the next retry scheduled like the runner's own.
// Otherwise the invoice, now failed, would drop out of the runner's due list and never be charged again.
std::optional<std::int64_t> claim_autopay_attempt(storage::Transaction& tx, Zones& zones, const storage::Row& inv,
                                                  std::int64_t now) {
    auto client = tx.query_one("SELECT autopay_enabled, payment_method_ref, time_zone FROM clients WHERE id = ?",
                               {inv.str("client_id")});
    if (!client || client->i64("autopay_enabled") != 1 || client->is_null("payment_method_ref")) return std::nullopt;
    const std::string state = inv.is_null("autopay_state") ? "" : inv.str("autopay_state");
    if (!(state.empty() || state == "retrying") || inv.i64("balance_due") <= 0 || inv.is_null("due_date")) {
        return std::nullopt;
    }
    const std::int64_t attempt = inv.i64("autopay_attempts") + 1;
    if (attempt > cp::billing::kAutopayAttempts) return std::nullopt;
    auto due = time::parse_iso_date(inv.str("due_date"));
    if (!due || zones.local_date(client->str("time_zone"), now) < *due) return std::nullopt;
    // Compare-and-set, as the runner claims its attempts: a runner charging at this moment keeps its own.
    if (!tx.query_one("UPDATE invoices SET autopay_attempts = ?, updated_at = ? WHERE id = ? AND autopay_attempts = ? "
                      "RETURNING id",
                      {attempt, now, inv.str("id"), attempt - 1})) {
        return std::nullopt;
    }
    return attempt;
}

Applied intent_succeeded(storage::Transaction& tx, Zones& zones, const json& obj, std::int64_t now) {
    const std::string intent = text_of(obj, "id");
    auto amount = int_of(obj, "amount_received");
    if (!amount || *amount <= 0) amount = int_of(obj, "amount");
    if (intent.empty() || !amount || *amount <= 0)
        return outcome("invalid", "a PaymentIntent needs an id and an integer amount_received");
    const std::string charge = charge_of_intent(obj);
    ChargeResult succeeded;
    succeeded.outcome = Outcome::succeeded;
    succeeded.processor_id = intent;
    Applied out;
    if (auto p = payment_of(tx, obj, intent)) {
        remember_refs(tx, *p, intent, charge, now, out);
        const std::string status = p->str("status");
        if (status == "pending" || status == "requires_action" || status == "failed") {
            // The processor's figure is the truth; a failure reported earlier is superseded.
            tx.exec("UPDATE payments SET amount = ?, status = CASE WHEN status = 'failed' THEN 'pending' ELSE status "
                    "END WHERE id = ?",
                    {*amount, p->str("id")});
            settle_charge(tx, zones, p->str("id"), succeeded, now, webhook_actor());
            out.detail = "payment settled";
        } else {
            out.detail = "payment already recorded";
        }
        derive_invoice_status(tx, out.invoice_id, now);
        return out;
    }
    auto inv = invoice_of(tx, obj);
    if (!inv) return outcome("unmatched", "no invoice of ours in metadata.invoice_id");
    if (upper(text_of(obj, "currency")) != inv->str("currency"))
        return outcome("unmatched", "the currency differs from the invoice's");
    const std::string id = insert_webhook_payment(tx, *inv, *amount, intent, charge, now);
    settle_charge(tx, zones, id, succeeded, now, webhook_actor());
    out.firm_id = inv->str("firm_id");
    out.invoice_id = inv->str("id");
    out.learned = {intent};
    if (!charge.empty()) out.learned.push_back(charge);
    out.detail = "payment recorded";
    derive_invoice_status(tx, out.invoice_id, now);
    return out;
}

Applied intent_failed(storage::Transaction& tx, Zones& zones, const json& obj, std::int64_t now) {
    const std::string intent = text_of(obj, "id");
    if (intent.empty()) return outcome("invalid", "a PaymentIntent needs an id");
    ChargeResult failed;
    failed.outcome = Outcome::failed;
    failed.processor_id = intent;
    if (auto err = obj.find("last_payment_error"); err != obj.end() && err->is_object()) {
        failed.failure_code = failure_code_from_stripe(text_of(*err, "code"), text_of(*err, "decline_code"));
        failed.failure_message = text_of(*err, "message").substr(0, 500);
    }
    if (failed.failure_code.empty()) failed.failure_code = "processor_rejected";
    Applied out;
    const std::string charge = charge_of_intent(obj);
    if (auto p = payment_of(tx, obj, intent)) {
        remember_refs(tx, *p, intent, charge, now, out);
        const std::string status = p->str("status");
        if (status == "pending" || status == "requires_action") {
            settle_charge(tx, zones, p->str("id"), failed, now, webhook_actor());
            out.detail = "payment failed";
        } else {
            out.detail = "payment already settled as " + status;
        }
        derive_invoice_status(tx, out.invoice_id, now);
        return out;
    }
    auto inv = invoice_of(tx, obj);
    if (!inv) return outcome("unmatched", "no invoice of ours in metadata.invoice_id");
    auto amount = int_of(obj, "amount");
    if (!amount || *amount <= 0) return outcome("invalid", "a PaymentIntent needs an integer amount");
    const auto attempt = claim_autopay_attempt(tx, zones, *inv, now);
    const std::string id = insert_webhook_payment(tx, *inv, *amount, intent, charge, now, attempt);
    settle_charge(tx, zones, id, failed, now, webhook_actor());
    // A failed attempt on an invoice still due marks it failed (autopay's own attempts set this themselves).
    auto f = state::invoice_status_from_string(inv->str("status"));
    if (!attempt && f && state::can_transition(*f, state::InvoiceStatus::failed) && inv->i64("balance_due") > 0) {
        tx.exec("UPDATE invoices SET status = 'failed', updated_at = ? WHERE id = ?", {now, inv->str("id")});
    }
    out.firm_id = inv->str("firm_id");
    out.invoice_id = inv->str("id");
    out.learned = {intent};
    out.detail = "payment failure recorded";
    derive_invoice_status(tx, out.invoice_id, now);
    return out;
}

// One refund carried out at the processor, taken off the payment and its invoice.
void apply_processor_refund(storage::Transaction& tx, const std::string& payment_id, std::int64_t amount,
                            const std::string& refund_ref, std::int64_t now) {
    auto p = tx.query_one("SELECT * FROM payments WHERE id = ?", {payment_id});
    auto inv = tx.query_one("SELECT * FROM invoices WHERE id = ?", {p->str("invoice_id")});
    // What is left to take back: a refund never takes more than the payment put on the invoice.
    amount = std::min({amount, p->i64("applied") - p->i64("amount_refunded"), inv->i64("amount_paid")});
    if (amount <= 0) return;
    take_refund(tx, payment_id, amount, now);
    const std::string cur = p->str("currency");
    tx.exec(
        "INSERT INTO refunds (id, firm_id, payment_id, invoice_id, amount, currency, reason, status, processor_id, "
        "created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, 'Refunded at the processor', 'succeeded', ?, "
        "'webhook:stripe', ?)",
        {new_id("ref"), p->str("firm_id"), payment_id, inv->str("id"), amount, cur,
         refund_ref.empty() ? storage::Param() : storage::Param(refund_ref), now});
    audit::Event e = webhook_actor();
    e.firm_id = p->str("firm_id");
    e.category = "BILLING";
    e.action = "payment.refund";
    e.severity = "WARNING";
    e.target_type = "payment";
    e.target_id = payment_id;
    e.target_label = inv->is_null("number") ? "" : inv->str("number");
    e.reason = "Refunded at the processor";
    e.metadata = {{"invoice_id", inv->str("id")},
                  {"amount", api::money_text(amount, cur)},
                  {"processor_refund", refund_ref.empty() ? json(nullptr) : json(refund_ref)},
                  {"amount_paid_after", api::money_text(inv->i64("amount_paid") - amount, cur)}};
    audit::append(tx, e, now);
}

// Parks an event whose payment has not arrived; unmatched when metadata names an invoice
// that is not ours (its payment will never be ours either).
Applied park(storage::Transaction& tx, const json& obj, const std::string& intent, const std::string& charge) {
    if (!metadata_of(obj, "invoice_id").empty() && !invoice_of(tx, obj))
        return outcome("unmatched", "no invoice of ours in metadata.invoice_id");
    if (intent.empty() && charge.empty()) return outcome("unmatched", "names no payment");
    Applied out = outcome("parked", "waiting for its payment");
    out.parent_ref = intent.empty() ? charge : intent;
    return out;
}

Applied charge_refunded(storage::Transaction& tx, const json& obj, std::int64_t now) {
    const std::string charge = text_of(obj, "id");
    const std::string intent = text_of(obj, "payment_intent");
    auto total_refunded = int_of(obj, "amount_refunded");
    if (charge.empty() || !total_refunded) return outcome("invalid", "a Charge needs an id and amount_refunded");
    auto p = payment_by_refs(tx, intent, charge);
    if (!p) return park(tx, obj, intent, charge);
    Applied out;
    remember_refs(tx, *p, intent, charge, now, out);
    // Each refund the processor lists, once (by its id); then whatever the charge's total
    // says is still missing (refund lists are not in every API version's payload).
    if (auto refunds = obj.find("refunds"); refunds != obj.end() && refunds->is_object()) {
        auto data = refunds->find("data");
        if (data != refunds->end() && data->is_array()) {
            for (const auto& r : *data) {
                if (!r.is_object()) continue;
                const std::string ref = text_of(r, "id");
                auto amount = int_of(r, "amount");
                const std::string status = text_of(r, "status");
                if (ref.empty() || !amount || *amount <= 0 || (!status.empty() && status != "succeeded")) continue;
                if (tx.query_one("SELECT id FROM refunds WHERE processor_id = ?", {ref})) continue;
                apply_processor_refund(tx, p->str("id"), *amount, ref, now);
            }
        }
    }
    auto after = tx.query_one("SELECT amount_refunded FROM payments WHERE id = ?", {p->str("id")});
    if (*total_refunded > after->i64("amount_refunded"))
        apply_processor_refund(tx, p->str("id"), *total_refunded - after->i64("amount_refunded"), "", now);
    out.detail = "refund applied";
    derive_invoice_status(tx, out.invoice_id, now);
    return out;
}

// Sums of a Dispute's balance transactions: funds withdrawn (negative amounts), reinstated
// (positive) and the processor's fees.
void read_balance_transactions(const json& obj, DisputeReport& r) {
    auto bts = obj.find("balance_transactions");
    if (bts == obj.end() || !bts->is_array()) return;
    for (const auto& bt : *bts) {
        if (!bt.is_object()) continue;
        const std::int64_t amount = int_of(bt, "amount").value_or(0);
        if (amount < 0) r.funds_withdrawn += -amount;
        if (amount > 0) r.funds_reinstated += amount;
        if (auto fee = int_of(bt, "fee"); fee && *fee > 0) r.fee += *fee;
    }
}

Applied dispute_event(storage::Transaction& tx, const std::string& type, const json& obj, std::int64_t created,
                      std::int64_t now) {
    DisputeReport r;
    r.processor_id = text_of(obj, "id");
    r.status = text_of(obj, "status");
    r.reason = text_of(obj, "reason").substr(0, 100);
    r.charge_ref = text_of(obj, "charge");
    r.reported_at = created;
    auto amount = int_of(obj, "amount");
    if (r.processor_id.empty() || !amount || *amount < 0)
        return outcome("invalid", "a Dispute needs an id and an integer amount");
    if (!state::dispute_status_from_string(r.status)) return outcome("ignored", "dispute status not known");
    r.amount = *amount;
    if (auto ev = obj.find("evidence_details"); ev != obj.end() && ev->is_object()) r.evidence_due_by = int_of(*ev, "due_by");
    read_balance_transactions(obj, r);
    if (type == "charge.dispute.funds_withdrawn" && r.funds_withdrawn == 0) r.funds_withdrawn = r.amount;
    if (type == "charge.dispute.funds_reinstated" && r.funds_reinstated == 0) r.funds_reinstated = r.amount;
    const std::string intent = text_of(obj, "payment_intent");
    Applied out;
    std::optional<std::string> payment_id;
    if (auto d = tx.query_one("SELECT firm_id, invoice_id, payment_id FROM disputes WHERE processor_id = ?",
                              {r.processor_id})) {
        out.firm_id = d->str("firm_id");
        out.invoice_id = d->str("invoice_id");
        payment_id = d->opt("payment_id");
    } else if (auto p = payment_by_refs(tx, intent, r.charge_ref)) {
        remember_refs(tx, *p, intent, r.charge_ref, now, out);
        payment_id = p->str("id");
    } else if (!intent.empty() || !r.charge_ref.empty()) {
        return park(tx, obj, intent, r.charge_ref);
    } else if (auto inv = invoice_of(tx, obj)) {
        out.firm_id = inv->str("firm_id");
        out.invoice_id = inv->str("id");
    } else {
        return outcome("unmatched", "names no payment or invoice of ours");
    }
    auto inv = tx.query_one("SELECT currency FROM invoices WHERE id = ?", {out.invoice_id});
    r.currency = inv->str("currency");
    if (!text_of(obj, "currency").empty() && upper(text_of(obj, "currency")) != r.currency)
        return outcome("unmatched", "the currency differs from the invoice's");
    out.detail = apply_dispute_report(tx, r, out.firm_id, out.invoice_id, payment_id, now, webhook_actor())
                     ? "dispute " + r.status
                     : "no change";
    return out;
}

Applied dispatch(storage::Transaction& tx, Zones& zones, const json& event, std::int64_t now) {
    const std::string type = event["type"];
    const json& obj = event["data"]["object"];
    if (type == "payment_intent.succeeded") return intent_succeeded(tx, zones, obj, now);
    if (type == "payment_intent.payment_failed") return intent_failed(tx, zones, obj, now);
    if (type == "charge.refunded") return charge_refunded(tx, obj, now);
    if (type == "charge.dispute.created" || type == "charge.dispute.updated" || type == "charge.dispute.closed" ||
        type == "charge.dispute.funds_withdrawn" || type == "charge.dispute.funds_reinstated") {
        return dispute_event(tx, type, obj, event["created"].get<std::int64_t>(), now);
    }
    return outcome("ignored", "event type not handled");
}

storage::Param text_or_null(const std::string& s) { return s.empty() ? storage::Param() : storage::Param(s); }

void record_outcome(storage::Transaction& tx, const std::string& id, const Applied& a, std::int64_t now) {
    tx.exec(
        "UPDATE webhook_events SET status = ?, detail = ?, firm_id = ?, invoice_id = ?, parent_ref = ?, "
        "applied_at = ? WHERE id = ?",
        {a.status, text_or_null(a.detail), text_or_null(a.firm_id), text_or_null(a.invoice_id),
         text_or_null(a.parent_ref), a.status == "applied" ? storage::Param(now) : storage::Param(), id});
}

// Applies events parked on processor ids that now name a payment; what they teach may free
// more (a refund names the charge a parked dispute waits on).
void unpark(storage::Transaction& tx, Zones& zones, std::vector<std::string> refs, std::int64_t now) {
    std::deque<std::string> queue(refs.begin(), refs.end());
    std::set<std::string> done;
    while (!queue.empty()) {
        const std::string ref = queue.front();
        queue.pop_front();
        if (ref.empty() || !done.insert(ref).second) continue;
        auto parked = tx.query(
            "SELECT id, payload FROM webhook_events WHERE parent_ref = ? AND status = 'parked' ORDER BY created, id",
            {ref});
        for (const auto& row : parked) {
            auto event = protocol::parse_json_input(row.str("payload"));
            if (!event) continue;
            Applied a = dispatch(tx, zones, *event, now);
            record_outcome(tx, row.str("id"), a, now);
            for (auto& r : a.learned) queue.push_back(r);
        }
    }
}

}  // namespace

bool is_event(const json& event) {
    if (!event.is_object()) return false;
    auto id = event.find("id");
    auto type = event.find("type");
    auto created = event.find("created");
    auto data = event.find("data");
    if (id == event.end() || !id->is_string() || id->get<std::string>().empty() || id->get<std::string>().size() > 255)
        return false;
    if (type == event.end() || !type->is_string() || type->get<std::string>().size() > 255) return false;
    if (created == event.end() || !created->is_number_integer()) return false;
    if (data == event.end() || !data->is_object()) return false;
    auto obj = data->find("object");
    return obj != data->end() && obj->is_object();
}

EventReceipt receive_stripe_event(storage::Transaction& tx, Zones& zones, const json& event,
                                  const std::string& raw_payload, std::int64_t now) {
    if (tx.backend() == "postgresql") tx.exec("SELECT pg_advisory_xact_lock(CAST(? AS BIGINT))", {kWebhookLock});
    const std::string id = event["id"];
    if (tx.query_one("SELECT id FROM webhook_events WHERE id = ?", {id})) return {"duplicate", "seen before"};
    Applied a = dispatch(tx, zones, event, now);
    tx.exec(
        "INSERT INTO webhook_events (id, provider, type, created, status, detail, firm_id, invoice_id, parent_ref, "
        "payload, received_at, applied_at) VALUES (?, 'stripe', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        {id, event["type"].get<std::string>(), event["created"].get<std::int64_t>(), a.status, text_or_null(a.detail),
         text_or_null(a.firm_id), text_or_null(a.invoice_id), text_or_null(a.parent_ref), raw_payload, now,
         a.status == "applied" ? storage::Param(now) : storage::Param()});
    unpark(tx, zones, a.learned, now);
    return {a.status, a.detail};
}

json webhook_event_json(const storage::Row& e) {
    auto opt = [&](const char* c) { return e.is_null(c) ? json(nullptr) : json(e.str(c)); };
    return {{"object", "webhook_event"},
            {"id", e.str("id")},
            {"provider", e.str("provider")},
            {"type", e.str("type")},
            {"status", e.str("status")},
            {"detail", opt("detail")},
            {"firm_id", opt("firm_id")},
            {"invoice_id", opt("invoice_id")},
            {"waiting_for", opt("parent_ref")},
            {"created", iso_time(e.i64("created"))},
            {"received_at", iso_time(e.i64("received_at"))},
            {"applied_at", e.is_null("applied_at") ? json(nullptr) : json(iso_time(e.i64("applied_at")))}};
}

}  // namespace cp::server::payments
