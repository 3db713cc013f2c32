#pragma once
// Disputes (and inquiries) on card payments, as the processor reports them. A report may
// arrive before, after or instead of the ones that preceded it: the stored status only
// moves forward along the core's dispute table (shared/state/dispute_status.hpp), the
// other fields come from the newest report, and the invoice's status is derived from the
// final facts (shared/billing/dispute_rules.hpp), so every order of delivery converges.
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "server/payments/payment_service.hpp"
#include "server/storage/database.hpp"

namespace cp::server::payments {

json dispute_json(const storage::Row& dispute);

// A dispute as reported (Stripe's Dispute object, amounts in minor units).
struct DisputeReport {
    std::string processor_id;  // "dp_…"
    std::string status;        // one of the core's dispute states
    std::string reason, currency, charge_ref;
    std::int64_t amount = 0;
    std::optional<std::int64_t> evidence_due_by;
    std::int64_t fee = 0;               // dispute fees the processor charged (balance transactions)
    std::int64_t funds_withdrawn = 0;   // taken from the firm's balance
    std::int64_t funds_reinstated = 0;  // given back (won)
    std::int64_t reported_at = 0;       // the event's `created`
};

// Creates or moves the dispute of `invoice_id` (a row of the firm's invoices), applies a
// loss once, re-derives the invoice's status and audits every change (CRITICAL). Returns
// whether anything changed.
bool apply_dispute_report(storage::Transaction& tx, const DisputeReport& report, const std::string& firm_id,
                          const std::string& invoice_id, const std::optional<std::string>& payment_id,
                          std::int64_t now, const Actor& actor);

// Sets the invoice's status from its amounts, refunds and disputes (dispute_rules.hpp):
// after any processor event, whatever the order the events came in.
void derive_invoice_status(storage::Transaction& tx, const std::string& invoice_id, std::int64_t now);

// The newest dispute of an invoice (for the invoice's own answer), or null.
json invoice_dispute(storage::Transaction& tx, const std::string& firm_id, const std::string& invoice_id);

}  // namespace cp::server::payments
