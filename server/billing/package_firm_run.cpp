#include "server/billing/package_firm_run.hpp"

#include <optional>
#include <set>
#include <utility>
#include <vector>

#include "server/audit/chain_appender.hpp"
#include "server/billing/package_plan.hpp"
#include "server/email/invoice_issued_batch.hpp"
#include "server/email/message_composer.hpp"
#include "server/storage/bulk_insert.hpp"
#include "server/util/crypto.hpp"
#include "shared/billing/invoice_rules.hpp"
#include "shared/money/decimal.hpp"

namespace cp::server::billing {
namespace {

using nlohmann::json;

struct Due {
    PackageTerms terms;
    PlannedInvoice plan;
};

std::vector<PackageTerms> current_package_engagements(storage::Transaction& tx, const std::string& firm_id) {
    std::vector<PackageTerms> out;
    // Renewed and completed versions never bill again: a renewal bills from its new version.
    for (const auto& r : tx.query(
             "SELECT id, client_id, name, currency, schedule, package_fee, payment_terms_days, start_date, "
             "end_date FROM engagements WHERE firm_id = ? AND status = 'current' AND pricing_mode IN "
             "('package', 'mixed') ORDER BY id",
             {firm_id})) {
        PackageTerms t;
        t.id = r.str("id");
        t.client_id = r.str("client_id");
        t.name = r.str("name");
        t.currency = r.str("currency");
        t.schedule = r.str("schedule");
        t.package_fee = r.i64("package_fee");
        t.payment_terms_days = r.i64("payment_terms_days");
        t.start_date = r.str("start_date");
        t.end_date = r.opt("end_date");
        out.push_back(std::move(t));
    }
    return out;
}

// (engagement id, period start) of the package invoices already in the range of starts.
std::set<std::pair<std::string, std::string>> billed_periods(storage::Transaction& tx, const std::string& firm_id,
                                                             const std::string& from, const std::string& to) {
    std::set<std::pair<std::string, std::string>> out;
    for (const auto& r : tx.query(
             "SELECT engagement_id, package_period_start FROM invoices WHERE firm_id = ? AND "
             "package_period_start >= ? AND package_period_start <= ?",
             {firm_id, from, to})) {
        out.emplace(r.str("engagement_id"), r.str("package_period_start"));
    }
    return out;
}

std::string money_text(std::int64_t minor, const std::string& currency) {
    const auto* c = money::find_currency(currency);
    return money::format_fixed(minor, c ? c->minor_digits : 2);
}

const std::vector<std::string>& invoice_columns() {
    static const std::vector<std::string> columns = {
        "id",         "firm_id",  "client_id", "engagement_id", "number",      "status",      "currency",
        "tax_mode",   "rounding", "document_type", "issue_date", "due_date",   "subtotal",    "tax",
        "total",      "amount_paid", "balance_due", "issued_at", "created_at", "updated_at",  "package_period_start",
        "package_period_end"};
    return columns;
}

const std::vector<std::string>& line_columns() {
    static const std::vector<std::string> columns = {"id",          "firm_id",  "invoice_id", "position", "kind",
                                                     "description", "quantity", "unit_price", "tax_rate", "amount"};
    return columns;
}

// The rows of one due period: invoice, its package_fee line and its audit event.
struct InvoiceRows {
    std::string id;
    storage::Params invoice, line;
    audit::Event event;
};

InvoiceRows invoice_rows(const FirmRunInput& in, const Due& d, std::int64_t sequence_number) {
    const auto& t = d.terms;
    const auto& p = d.plan;
    InvoiceRows out;
    const std::string number =
        ::cp::billing::format_document_number(in.firm.number_prefix, p.issue_date.year, sequence_number);
    out.id = new_id("inv");
    const std::string issue = time::format_iso_date(p.issue_date), due = time::format_iso_date(p.due_date);
    const std::string start = time::format_iso_date(p.period.start), end = time::format_iso_date(p.period.end);
    out.invoice = {out.id,       in.firm_id,         t.client_id,       t.id,         number,    "sent",
                   t.currency,   in.firm.tax_mode,   in.firm.rounding,  "invoice",    issue,     due,
                   p.totals.subtotal, p.totals.tax,  p.totals.total,    std::int64_t{0}, p.totals.balance_due,
                   in.now,       in.now,             in.now,            start,        end};
    out.line = {new_id("lin"),      in.firm_id, out.id, 0, "package_fee", p.description, p.quantity, p.unit_price,
                "0", p.totals.line_amounts.at(0)};
    audit::Event& e = out.event;
    e = in.actor;
    e.firm_id = in.firm_id;
    e.category = "BILLING";
    e.action = "invoice.issue";
    e.severity = "INFO";
    e.target_type = "invoice";
    e.target_id = out.id;
    e.target_label = number;
    e.metadata = {{"source", "package_run"},
                  {"run_date", time::format_iso_date(in.date)},
                  {"period_start", start},
                  {"period_end", end},
                  {"prorated", p.prorated},
                  {"after",
                   {{"number", number},
                    {"status", "sent"},
                    {"document_type", "invoice"},
                    {"client_id", t.client_id},
                    {"engagement_id", t.id},
                    {"currency", t.currency},
                    {"issue_date", issue},
                    {"due_date", due},
                    {"subtotal", money_text(p.totals.subtotal, t.currency)},
                    {"tax", money_text(p.totals.tax, t.currency)},
                    {"total", money_text(p.totals.total, t.currency)},
                    {"balance_due", money_text(p.totals.balance_due, t.currency)}}}};
    return out;
}

constexpr const char* kEmailActor = "system:package_run";

// One invoice under its own savepoint's caller: number, invoice, line, audit event and the
// client's email, each written alone. Returns the invoice id.
std::string write_invoice(storage::Transaction& tx, const FirmRunInput& in, const Due& d) {
    auto rows = invoice_rows(in, d, next_in_sequence(tx, in.firm_id, "invoice"));
    storage::BulkInsert invoice(tx, "invoices", invoice_columns());
    invoice.add(std::move(rows.invoice));
    invoice.flush();
    storage::BulkInsert line(tx, "invoice_lines", line_columns());
    line.add(std::move(rows.line));
    line.flush();
    audit::append(tx, rows.event, in.now);
    // The client's invoice email, in the run's transaction like the invoice itself.
    email::compose_invoice_issued(tx, rows.id, in.now, kEmailActor);
    return rows.id;
}

// Every due invoice of the firm at once: numbers from one read of the sequence, the audit
// chain extended in memory, rows written as multi-row inserts, counter and chain head
// updated once. All or nothing (a savepoint): on a database error the caller falls back
// to one savepoint per invoice, so one bad invoice cannot sink the others. Returns the
// invoice ids, or nullopt after rolling back.
std::optional<std::vector<std::string>> write_all(storage::Transaction& tx, const FirmRunInput& in,
                                                  const std::vector<const Due*>& todo) {
    tx.exec("SAVEPOINT package_firm");
    try {
        // run_firm() created and locked the counter row (lock_sequence).
        std::int64_t number = tx.query_one("SELECT last_value FROM number_sequences WHERE firm_id = ? AND kind = ?",
                                           {in.firm_id, "invoice"})
                                  ->i64("last_value");
        audit::ChainAppender chain(tx, in.firm_id);
        storage::BulkInsert invoices(tx, "invoices", invoice_columns());
        storage::BulkInsert lines(tx, "invoice_lines", line_columns());
        std::vector<std::string> ids;
        ids.reserve(todo.size());
        for (const Due* d : todo) {
            auto rows = invoice_rows(in, *d, ++number);
            invoices.add(std::move(rows.invoice));
            lines.add(std::move(rows.line));
            chain.add(rows.event, in.now);
            ids.push_back(std::move(rows.id));
        }
        invoices.flush();
        lines.flush();
        chain.finish();
        tx.exec("UPDATE number_sequences SET last_value = ? WHERE firm_id = ? AND kind = ?",
                {number, in.firm_id, "invoice"});
        email::compose_invoices_issued(tx, in.firm_id, ids, in.now, kEmailActor);
        tx.exec("RELEASE SAVEPOINT package_firm");
        return ids;
    } catch (const std::exception& e) {
        tx.exec("ROLLBACK TO SAVEPOINT package_firm");
        tx.exec("RELEASE SAVEPOINT package_firm");
        const auto* db_error = dynamic_cast<const storage::DbError*>(&e);
        if (db_error && db_error->kind() == storage::DbError::Kind::busy) throw;  // the whole batch retries
        return std::nullopt;
    }
}

void audit_run(storage::Transaction& tx, const FirmRunInput& in, const RunReport& mine) {
    audit::Event e = in.actor;
    e.firm_id = in.firm_id;
    e.category = "BILLING";
    e.action = "billing.package_run";
    e.severity = mine.errors.empty() ? "INFO" : "WARNING";
    e.target_type = "firm";
    e.target_id = in.firm_id;
    e.outcome = mine.errors.empty() ? "success" : "partial";
    e.metadata = {{"run_date", time::format_iso_date(in.date)},   {"engagements", mine.engagements},
                  {"created", mine.created},                      {"already_invoiced", mine.already_invoiced},
                  {"skipped", mine.skipped},                      {"errors", mine.errors.size()}};
    audit::append(tx, e, in.now);
}

}  // namespace

void run_firm(storage::Transaction& tx, const FirmRunInput& in, RunReport& report) {
    RunReport mine;
    mine.firms = 1;
    // Numbering first: on PostgreSQL the sequence row lock queues a second process running
    // this firm until we commit, and it then reads our invoices below and skips them.
    if (!in.dry_run) lock_sequence(tx, in.firm_id, "invoice");

    std::vector<Due> due;
    for (auto& terms : current_package_engagements(tx, in.firm_id)) {
        ++mine.engagements;
        auto plan = plan_package_invoice(terms, in.firm, in.date);
        if (!plan) {
            mine.add_error(in.firm_id, terms.id, plan.error().code,
                           plan.error().field + ": " + plan.error().message);
        } else if (!*plan) {
            ++mine.skipped;
        } else {
            due.push_back({std::move(terms), std::move(**plan)});
        }
    }
    std::set<std::pair<std::string, std::string>> billed;
    if (!due.empty()) {
        std::string from = "9999-12-31", to = "0000-01-01";
        for (const auto& d : due) {
            const std::string s = time::format_iso_date(d.plan.period.start);
            from = std::min(from, s);
            to = std::max(to, s);
        }
        billed = billed_periods(tx, in.firm_id, from, to);
    }
    std::vector<const Due*> todo;
    for (const auto& d : due) {
        const std::string start = time::format_iso_date(d.plan.period.start);
        if (billed.count({d.terms.id, start})) {
            ++mine.already_invoiced;
        } else if (in.dry_run) {
            ++mine.created;
            mine.invoices.push_back({{"engagement_id", d.terms.id},
                                     {"client_id", d.terms.client_id},
                                     {"period_start", start},
                                     {"period_end", time::format_iso_date(d.plan.period.end)},
                                     {"total", money_text(d.plan.totals.total, d.terms.currency)},
                                     {"currency", d.terms.currency}});
        } else {
            todo.push_back(&d);
        }
    }
    std::optional<std::vector<std::string>> all;
    if (!todo.empty()) all = write_all(tx, in, todo);
    if (all) {
        mine.created += static_cast<std::int64_t>(all->size());
        for (auto& id : *all) mine.invoices.push_back(std::move(id));
        todo.clear();
    }
    for (const Due* d : todo) {
        // One savepoint per invoice: a failure undoes this invoice (and its number) only.
        tx.exec("SAVEPOINT package_invoice");
        try {
            const std::string id = write_invoice(tx, in, *d);
            tx.exec("RELEASE SAVEPOINT package_invoice");
            ++mine.created;
            mine.invoices.push_back(id);
        } catch (const storage::DbError& e) {
            tx.exec("ROLLBACK TO SAVEPOINT package_invoice");
            tx.exec("RELEASE SAVEPOINT package_invoice");
            if (e.kind() == storage::DbError::Kind::busy) throw;  // the whole batch retries
            if (e.kind() == storage::DbError::Kind::unique_violation) {
                ++mine.already_invoiced;  // another run got there first: the key held
            } else {
                mine.add_error(in.firm_id, d->terms.id, "INVOICE_FAILED", e.what());
            }
        } catch (const std::exception& e) {
            tx.exec("ROLLBACK TO SAVEPOINT package_invoice");
            tx.exec("RELEASE SAVEPOINT package_invoice");
            mine.add_error(in.firm_id, d->terms.id, "INVOICE_FAILED", e.what());
        }
    }
    if (!in.dry_run && (mine.created > 0 || !mine.errors.empty() || in.actor.actor_type == "member")) {
        audit_run(tx, in, mine);
    }
    report.merge(mine);
}

}  // namespace cp::server::billing
