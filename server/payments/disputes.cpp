#include "server/payments/disputes.hpp"

#include "server/api/serializers.hpp"
#include "server/audit/audit_log.hpp"
#include "server/util/clock.hpp"
#include "server/util/crypto.hpp"
#include "shared/billing/dispute_rules.hpp"
#include "shared/billing/invoice_rules.hpp"
#include "shared/state/dispute_status.hpp"

namespace cp::server::payments {

namespace {

json opt_time(const storage::Row& r, const char* column) {
    return r.is_null(column) ? json(nullptr) : json(iso_time(r.i64(column)));
}

void audit_dispute(storage::Transaction& tx, const Actor& actor, const storage::Row& dispute, const char* action,
                   json metadata, std::int64_t now) {
    audit::Event e = actor;
    e.firm_id = dispute.str("firm_id");
    e.category = "BILLING";
    e.action = action;
    e.severity = "CRITICAL";
    e.target_type = "dispute";
    e.target_id = dispute.str("id");
    e.target_label = dispute.str("processor_id");
    metadata["invoice_id"] = dispute.str("invoice_id");
    metadata["status"] = dispute.str("status");
    metadata["amount"] = api::money_text(dispute.i64("amount"), dispute.str("currency"));
    e.metadata = std::move(metadata);
    audit::append(tx, e, now);
}

// Takes a lost dispute's amount off the invoice's amount paid, once.
void apply_loss(storage::Transaction& tx, const storage::Row& dispute, std::int64_t now) {
    if (dispute.str("status") != "lost" || dispute.i64("loss_applied") > 0) return;
    auto inv = tx.query_one("SELECT amount_paid FROM invoices WHERE id = ?", {dispute.str("invoice_id")});
    const std::int64_t deduction = cp::billing::lost_dispute_deduction(inv->i64("amount_paid"), dispute.i64("amount"));
    if (deduction <= 0) return;
    tx.exec("UPDATE invoices SET amount_paid = amount_paid - ?, balance_due = balance_due + ?, updated_at = ? "
            "WHERE id = ?",
            {deduction, deduction, now, dispute.str("invoice_id")});
    tx.exec("UPDATE disputes SET loss_applied = ? WHERE id = ?", {deduction, dispute.str("id")});
}

}  // namespace

json dispute_json(const storage::Row& d) {
    const std::string cur = d.str("currency");
    return {{"object", "dispute"},
            {"id", d.str("id")},
            {"invoice_id", d.str("invoice_id")},
            {"payment_id", d.is_null("payment_id") ? json(nullptr) : json(d.str("payment_id"))},
            {"processor_id", d.str("processor_id")},
            {"charge", d.is_null("charge_ref") ? json(nullptr) : json(d.str("charge_ref"))},
            {"status", d.str("status")},
            {"open", cp::state::is_open(*cp::state::dispute_status_from_string(d.str("status")))},
            {"amount", api::money_text(d.i64("amount"), cur)},
            {"currency", cur},
            {"reason", d.str("reason")},
            {"evidence_due_by", opt_time(d, "evidence_due_by")},
            {"fee", api::money_text(d.i64("fee"), cur)},
            {"funds_withdrawn", api::money_text(d.i64("funds_withdrawn"), cur)},
            {"funds_reinstated", api::money_text(d.i64("funds_reinstated"), cur)},
            {"amount_deducted", api::money_text(d.i64("loss_applied"), cur)},
            {"created_at", iso_time(d.i64("created_at"))},
            {"updated_at", iso_time(d.i64("updated_at"))}};
}

void derive_invoice_status(storage::Transaction& tx, const std::string& invoice_id, std::int64_t now) {
    auto inv = tx.query_one("SELECT status, total, amount_paid, amount_credited FROM invoices WHERE id = ?",
                            {invoice_id});
    if (!inv) return;
    cp::billing::SettlementFacts facts;
    facts.total = inv->i64("total");
    facts.amount_paid = inv->i64("amount_paid");
    facts.amount_credited = inv->i64("amount_credited");
    facts.any_refund = tx.query_one("SELECT id FROM payments WHERE invoice_id = ? AND amount_refunded > 0 LIMIT 1",
                                    {invoice_id})
                           .has_value();
    for (const auto& d : tx.query("SELECT status FROM disputes WHERE invoice_id = ?", {invoice_id})) {
        auto s = cp::state::dispute_status_from_string(d.str("status"));
        if (!s) continue;
        facts.any_lost_dispute = facts.any_lost_dispute || *s == cp::state::DisputeStatus::lost;
        facts.any_open_dispute = facts.any_open_dispute || cp::state::is_open(*s);
    }
    const std::string status(cp::billing::settled_status(inv->str("status"), facts));
    if (status == inv->str("status")) return;
    tx.exec("UPDATE invoices SET status = ?, updated_at = ? WHERE id = ?", {status, now, invoice_id});
}

bool apply_dispute_report(storage::Transaction& tx, const DisputeReport& report, const std::string& firm_id,
                          const std::string& invoice_id, const std::optional<std::string>& payment_id,
                          std::int64_t now, const Actor& actor) {
    using cp::state::DisputeStatus;
    const auto reported = cp::state::dispute_status_from_string(report.status);
    if (!reported) return false;
    const storage::Param due = report.evidence_due_by ? storage::Param(*report.evidence_due_by) : storage::Param();
    auto existing = tx.query_one("SELECT * FROM disputes WHERE processor_id = ?", {report.processor_id});
    if (!existing) {
        const std::string id = new_id("dsp");
        tx.exec(
            "INSERT INTO disputes (id, firm_id, invoice_id, payment_id, processor_id, charge_ref, status, amount, "
            "currency, reason, evidence_due_by, fee, funds_withdrawn, funds_reinstated, last_event_created, "
            "created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            {id, firm_id, invoice_id, storage::nullable(payment_id), report.processor_id,
             report.charge_ref.empty() ? storage::Param() : storage::Param(report.charge_ref), report.status,
             report.amount, report.currency, report.reason, due, report.fee, report.funds_withdrawn,
             report.funds_reinstated, report.reported_at, now, now});
        auto row = tx.query_one("SELECT * FROM disputes WHERE id = ?", {id});
        apply_loss(tx, *row, now);
        row = tx.query_one("SELECT * FROM disputes WHERE id = ?", {id});
        audit_dispute(tx, actor, *row, "dispute.open",
                      {{"reason", report.reason}, {"reported_status", report.status}}, now);
        derive_invoice_status(tx, invoice_id, now);
        return true;
    }
    const auto current = cp::state::dispute_status_from_string(existing->str("status"));
    const bool forward = current && cp::state::moves_forward(*current, *reported);
    const bool newer = report.reported_at >= existing->i64("last_event_created");
    const std::string status = forward ? report.status : existing->str("status");
    const std::int64_t amount = newer ? report.amount : existing->i64("amount");
    const std::string reason = newer ? report.reason : existing->str("reason");
    const storage::Param due_after = newer ? due : storage::Param(existing->opt_i64("evidence_due_by")
                                                                     ? storage::Param(*existing->opt_i64("evidence_due_by"))
                                                                     : storage::Param());
    // Balance movements only accumulate: the largest report seen is the truth so far.
    const std::int64_t fee = std::max(existing->i64("fee"), report.fee);
    const std::int64_t withdrawn = std::max(existing->i64("funds_withdrawn"), report.funds_withdrawn);
    const std::int64_t reinstated = std::max(existing->i64("funds_reinstated"), report.funds_reinstated);
    const bool changed = status != existing->str("status") || amount != existing->i64("amount") ||
                         reason != existing->str("reason") || fee != existing->i64("fee") ||
                         withdrawn != existing->i64("funds_withdrawn") ||
                         reinstated != existing->i64("funds_reinstated") ||
                         (newer && existing->opt_i64("evidence_due_by") != report.evidence_due_by);
    if (!changed) return false;
    tx.exec(
        "UPDATE disputes SET status = ?, amount = ?, reason = ?, evidence_due_by = ?, fee = ?, funds_withdrawn = ?, "
        "funds_reinstated = ?, last_event_created = ?, payment_id = COALESCE(payment_id, ?), updated_at = ? "
        "WHERE id = ?",
        {status, amount, reason, due_after, fee, withdrawn, reinstated,
         std::max(existing->i64("last_event_created"), report.reported_at), storage::nullable(payment_id), now,
         existing->str("id")});
    auto row = tx.query_one("SELECT * FROM disputes WHERE id = ?", {existing->str("id")});
    apply_loss(tx, *row, now);
    row = tx.query_one("SELECT * FROM disputes WHERE id = ?", {existing->str("id")});
    const bool closed = forward && !cp::state::is_open(*reported);
    audit_dispute(tx, actor, *row, closed ? "dispute.close" : "dispute.update",
                  {{"before", existing->str("status")},
                   {"fee", api::money_text(fee, row->str("currency"))},
                   {"amount_deducted", api::money_text(row->i64("loss_applied"), row->str("currency"))}},
                  now);
    derive_invoice_status(tx, invoice_id, now);
    return true;
}

json invoice_dispute(storage::Transaction& tx, const std::string& firm_id, const std::string& invoice_id) {
    auto d = tx.query_one("SELECT * FROM disputes WHERE firm_id = ? AND invoice_id = ? ORDER BY id DESC LIMIT 1",
                          {firm_id, invoice_id});
    return d ? dispute_json(*d) : json(nullptr);
}

}  // namespace cp::server::payments
