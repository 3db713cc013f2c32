#include "server/api/invoice_records.hpp"

#include "server/payments/disputes.hpp"

#include <fmt/format.h>

#include "server/api/serializers.hpp"
#include "server/payments/disputes.hpp"
#include "server/util/crypto.hpp"
#include "shared/billing/draft_reader.hpp"
#include "shared/billing/invoice_rules.hpp"

namespace cp::api {

std::optional<storage::Row> find_invoice(Ctx& ctx, const std::string& id) {
    return ctx.tx().query_one(fmt::format("{} WHERE id = ? AND firm_id = ?", kInvoicesWithZone),
                              {id, ctx.principal.firm_id});
}

json invoice_view(Ctx& ctx, const storage::Row& invoice, bool with_lines) {
    json out = invoice_json(invoice);
    // Only the firm's people read its reasons and disputes: not portal users, not the
    // visitors of a signed link.
    const bool firm_side = ctx.principal.in_firm();
    if (!firm_side) {
        out.erase("engagement_override_reason");
        out.erase("void_reason");
    }
    std::optional<time::Date> due;
    if (!invoice.is_null("due_date")) due = time::parse_iso_date(invoice.str("due_date")).value();
    const auto& zone = ctx.app.zones().zone(invoice.str("client_time_zone"));
    out["status"] = std::string(billing::reported_status(invoice.str("status"),
                                                         invoice.str("document_type") == "credit_note", due,
                                                         invoice.i64("balance_due"), ctx.now, zone));
    if (with_lines) {
        json lines = json::array();
        for (const auto& l : ctx.tx().query(
                 "SELECT * FROM invoice_lines WHERE invoice_id = ? AND firm_id = ? ORDER BY position",
                 {invoice.str("id"), invoice.str("firm_id")})) {
            lines.push_back(invoice_line_json(l, invoice.str("currency")));
        }
        out["lines"] = lines;
        // The single invoice's answer carries its newest dispute (lists stay one query).
        if (firm_side)
            out["dispute"] = server::payments::invoice_dispute(ctx.tx(), invoice.str("firm_id"), invoice.str("id"));
    }
    return out;
}

FirmBilling firm_billing(Ctx& ctx) { return server::billing::load_firm_billing(ctx.tx(), ctx.principal.firm_id); }

time::Date firm_today(Ctx& ctx, const FirmBilling& firm) {
    return ctx.app.zones().local_date(firm.time_zone, ctx.now);
}

std::optional<billing::InvoiceTotals> core_totals(const json& calc, Errors& errors) {
    auto reading = billing::read_invoice_draft(calc);
    if (!reading.errors.empty()) {
        errors.insert(errors.end(), reading.errors.begin(), reading.errors.end());
        return std::nullopt;
    }
    billing::InvoiceTotals totals;
    if (!billing::compute_invoice_totals(reading.input, totals, errors)) return std::nullopt;
    return totals;
}

void write_lines(Ctx& ctx, const std::string& invoice_id, const json& lines,
                 const billing::InvoiceTotals& t) {
    ctx.tx().exec("DELETE FROM invoice_lines WHERE invoice_id = ? AND firm_id = ?",
                  {invoice_id, ctx.principal.firm_id});
    for (std::size_t i = 0; i < lines.size(); ++i) {
        const json& l = lines[i];
        auto link = [&](const char* key) {
            return l.contains(key) && l[key].is_string() ? storage::Param(l[key].get<std::string>())
                                                         : storage::Param(nullptr);
        };
        ctx.tx().exec(
            "INSERT INTO invoice_lines (id, firm_id, invoice_id, position, kind, description, quantity, "
            "unit_price, tax_rate, amount, time_entry_id, expense_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
            "?, ?)",
            {server::new_id("lin"), ctx.principal.firm_id, invoice_id, static_cast<std::int64_t>(i),
             str_or(l, "kind", "adjustment"), str_or(l, "description"), l["quantity"].get<std::string>(),
             l["unit_price"].get<std::string>(), l["tax_rate"].get<std::string>(), t.line_amounts[i],
             link("time_entry_id"), link("expense_id")});
    }
}

std::string insert_draft(Ctx& ctx, const DraftHeader& h, const json& lines, const billing::InvoiceTotals& t) {
    const std::string id = server::new_id("inv");
    ctx.tx().exec(
        "INSERT INTO invoices (id, firm_id, client_id, engagement_id, number, status, currency, tax_mode, "
        "rounding, "
        "document_type, notes, engagement_override_reason, subtotal, tax, total, amount_paid, balance_due, "
        "created_at, updated_at) VALUES (?, ?, ?, ?, NULL, 'draft', ?, ?, ?, 'invoice', ?, ?, ?, ?, ?, 0, ?, "
        "?, ?)",
        {id, ctx.principal.firm_id, h.client_id, storage::nullable(h.engagement_id), h.currency, h.tax_mode,
         h.rounding, storage::nullable(h.notes), storage::nullable(h.override_reason), t.subtotal, t.tax,
         t.total, t.balance_due, ctx.now, ctx.now});
    write_lines(ctx, id, lines, t);
    return id;
}

std::int64_t next_in_sequence(Ctx& ctx, const std::string& kind) {
    return server::billing::next_in_sequence(ctx.tx(), ctx.principal.firm_id, kind);
}

json invoice_summary(const storage::Row& i) {
    json j = invoice_json(i);
    json out = json::object();
    for (const char* k : {"number", "status", "document_type", "client_id", "engagement_id", "currency",
                          "tax_mode", "rounding", "issue_date", "due_date", "subtotal", "tax", "total",
                          "amount_paid", "amount_credited", "balance_due"}) {
        out[k] = j[k];
    }
    return out;
}

void audit_invoice(Ctx& ctx, const char* action, const storage::Row& invoice, json metadata,
                   const std::string& severity, const std::string& reason) {
    auto e = audit_event(ctx, "BILLING", action, severity);
    e.target_type = invoice.str("document_type") == "credit_note" ? "credit_note" : "invoice";
    e.target_id = invoice.str("id");
    e.target_label = invoice.is_null("number") ? "draft" : invoice.str("number");
    e.reason = reason;
    for (auto& [k, v] : metadata.items()) e.metadata[k] = v;
    record(ctx, e);
}

Response invoice_immutable() {
    return error_response(409, "INVOICE_IMMUTABLE",
                          "An issued invoice cannot be changed; use a credit note or void it.");
}

}  // namespace cp::api
