#pragma once
// Payments, refunds, client credit and autopay on storage, shared by the API handlers and
// the autopay runner (CLI and in-server scheduler). The rules are the core's
// (shared/billing/payment_rules.hpp, credit_ledger.hpp, schedule/retry_schedule.hpp);
// this file stores them, audits them, and keeps the processor outside every transaction.
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "server/audit/audit_log.hpp"
#include "server/payments/processor.hpp"
#include "server/storage/database.hpp"
#include "server/util/zones.hpp"
#include "shared/billing/credit_ledger.hpp"
#include "shared/core/error.hpp"

namespace cp::server::payments {

using nlohmann::json;

// A pending processor call is left to its caller this long; after that a reconcile may
// repeat it with the same idempotency key (longer than any processor timeout).
inline constexpr std::int64_t kClaimSeconds = 600;

// The actor of audit events: an audit::Event with actor fields (and firm) filled.
using Actor = audit::Event;

json payment_json(const storage::Row& payment);
json refund_json(const storage::Row& refund);
json ledger_entry_json(const storage::Row& entry);
json failure_json(const storage::Row& failure);
json alert_json(const storage::Row& alert);

// The autopay processor key of an invoice's attempt: "cp_autopay_<invoice>_<attempt>".
std::string autopay_key(const std::string& invoice_id, std::int64_t attempt);

// Settles a pending (or requires_action) payment with the processor's answer: payment
// status, the invoice's amount paid, balance and status, overpayment to credit, and for
// autopay the failure record, the next retry or exhaustion (overdue, CRITICAL audit,
// alert). Outcome::unknown only extends nothing: the payment stays pending for a
// reconcile. Returns false when the payment was already settled (by another runner).
bool settle_charge(storage::Transaction& tx, Zones& zones, const std::string& payment_id,
                   const ChargeResult& result, std::int64_t now, const Actor& actor);
// The same, answering the payment's status afterwards ("" when it was settled already;
// "pending" for Outcome::unknown).
std::string settle_charge_status(storage::Transaction& tx, Zones& zones, const std::string& payment_id,
                                 const ChargeResult& result, std::int64_t now, const Actor& actor);

// Takes a refund of `amount` off payment `payment_id` and its invoice by the core's rule
// (apply_refund): the invoice's amount paid, balance and status (where its table allows),
// the payment's refunded total and status. Throws when it no longer fits. Staff refunds and
// refunds reported by the processor both go through here.
void take_refund(storage::Transaction& tx, const std::string& payment_id, std::int64_t amount, std::int64_t now);

// Appends to the client's credit ledger (in `currency`) and returns the new balance, or
// INSUFFICIENT_CREDIT / OUT_OF_RANGE / AMOUNT_OVERFLOW from the core. Two appends at once
// conflict on (client, currency, seq): the loser's transaction fails (409 CONFLICT).
struct LedgerAppend {
    std::string firm_id, client_id, currency;
    cp::billing::LedgerKind kind = cp::billing::LedgerKind::overpayment;
    std::int64_t amount = 0;
    std::optional<std::string> invoice_id, payment_id, reason, approved_by;
    std::string created_by;
};
Result<std::int64_t> append_credit(storage::Transaction& tx, const LedgerAppend& entry, std::int64_t now);
// The client's credit balance in `currency` (0 without entries).
std::int64_t credit_balance(storage::Transaction& tx, const std::string& client_id, const std::string& currency);

// Cancels the pending autopay retries of a client's invoices (autopay disabled); returns
// how many invoices had one. Audited per invoice.
std::int64_t cancel_autopay_retries(storage::Transaction& tx, const std::string& firm_id,
                                    const std::string& client_id, std::int64_t now, const Actor& actor);

struct RunOptions {
    std::optional<std::string> firm_id;
    std::int64_t now = 0;
    Actor actor;  // actor_type system, actor_id "cli:run-autopay" / "scheduler:autopay"
};

struct RunReport {
    std::int64_t now = 0;
    std::string processor;
    std::int64_t firms = 0, reconciled = 0, attempted = 0, succeeded = 0, failed = 0, requires_action = 0,
                 pending = 0, exhausted = 0, skipped = 0, errors = 0;
    json charges = json::array();  // one entry per processor call
    json problems = json::array();
    json to_json() const;
};

// One autopay pass: first reconciles card payments left pending past their claim (same
// idempotency key), then charges every autopay invoice that fell due (its due date reached
// in the client's zone, attempt 1) or whose retry time came (attempts 2..4). Each attempt
// is claimed in its own transaction (a compare-and-set on the invoice's attempt count and
// a unique processor key) before the processor is called, so two runners at once, or a
// runner beside a live server, make at most one call per attempt that charges.
RunReport run_autopay(storage::Database& db, Zones& zones, Processor& processor, const RunOptions& options);

}  // namespace cp::server::payments
