#pragma once
// Invoice storage shared by the draft, lifecycle, hourly and read handlers: loading with
// the client's time zone (for the reported status), the API view, totals through the core,
// writing lines, per-firm numbering, firm defaults and the audit event.
#include <cstdint>
#include <optional>
#include <string>

#include "server/api/common.hpp"
#include "server/billing/firm_billing.hpp"
#include "shared/billing/invoice_totals.hpp"
#include "shared/time/civil.hpp"

namespace cp::api {

// The invoice row (firm-scoped) plus `client_time_zone`; nullopt for a missing or foreign id.
std::optional<storage::Row> find_invoice(Ctx& ctx, const std::string& id);
// SELECT that yields invoice columns plus client_time_zone, aliased `i` (for lists).
inline constexpr const char* kInvoicesWithZone =
    "SELECT * FROM (SELECT inv.*, c.time_zone AS client_time_zone FROM invoices inv "
    "JOIN clients c ON c.id = inv.client_id) i";

// The invoice as the API shows it: stored fields with the reported status (overdue is
// computed now, in the client's zone). `with_lines` adds lines[].
json invoice_view(Ctx& ctx, const storage::Row& invoice, bool with_lines);

// The firm's configuration an invoice needs.
using FirmBilling = server::billing::FirmBilling;
FirmBilling firm_billing(Ctx& ctx);
time::Date firm_today(Ctx& ctx, const FirmBilling& firm);

// Totals of `calc` ({currency, rounding, tax_mode, document_type, lines}) by the core, or
// nullopt with every error appended.
std::optional<billing::InvoiceTotals> core_totals(const json& calc, Errors& errors);

// Writes `lines` (draft JSON lines, with optional time_entry_id / expense_id) as the
// invoice's lines, replacing any, with the core's amounts.
void write_lines(Ctx& ctx, const std::string& invoice_id, const json& lines, const billing::InvoiceTotals& t);

// A new draft invoice with its lines (totals already computed by the core); returns its id.
struct DraftHeader {
    std::string client_id;
    std::optional<std::string> engagement_id, override_reason, notes;
    std::string currency, tax_mode, rounding;
};
std::string insert_draft(Ctx& ctx, const DraftHeader& h, const json& lines, const billing::InvoiceTotals& t);

// The next number of the firm's `kind` sequence ("invoice", "credit_note"), counted in the
// caller's transaction: concurrent issues queue on the counter row, a rollback undoes it.
std::int64_t next_in_sequence(Ctx& ctx, const std::string& kind);

// A BILLING audit event about `invoice` (label: its number, or "draft").
void audit_invoice(Ctx& ctx, const char* action, const storage::Row& invoice, json metadata,
                   const std::string& severity = "INFO", const std::string& reason = "");
// The totals and header fields (no document content) for before/after in audit events.
json invoice_summary(const storage::Row& invoice);

Response invoice_immutable();

}  // namespace cp::api
