#include "server/billing/package_firm_run.hpp"

#include <future>
#include <memory>
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

// What one firm's run read in the transaction: the counts so far, the invoices to write,
// and all that composing their rows needs (the number counter, the audit chain head, the
// email parties).
struct FirmPlan {
    FirmRunInput in;
    RunReport mine;
    std::vector<Due> due;
    std::vector<const Due*> todo;
    std::int64_t last_number = 0;
    audit::ChainHead head;
    std::optional<email::MailParties> parties;
};

// The rows of every invoice to write, computed from the plan alone (no database).
struct FirmRows {
    explicit FirmRows(audit::ChainRows c) : chain(std::move(c)) {}
    std::vector<std::string> ids;
    std::vector<storage::Params> invoices, lines;
    audit::ChainRows chain;
    email::IssuedMail mail;
    std::int64_t last_number = 0;
};

// `room` more values are appended by the caller.
std::vector<std::optional<std::string>> texts_of(const storage::Params& values, std::size_t room) {
    std::vector<std::optional<std::string>> out;
    out.reserve(values.size() + room);
    for (const auto& v : values) {
        if (v.kind == storage::Param::Kind::text)
            out.emplace_back(v.text);
        else if (v.kind == storage::Param::Kind::integer)
            out.emplace_back(std::to_string(v.integer));
        else
            out.emplace_back(std::nullopt);
    }
    return out;
}

// The SELECT * shape of the invoice row just built, for the email composer: the columns
// it reads that the run leaves at their defaults are added (amount_credited 0, void_reason NULL).
email::IssuedInvoice issued_view(const storage::Params& invoice) {
    static const auto names = [] {
        auto n = invoice_columns();
        n.emplace_back("void_reason");
        n.emplace_back("amount_credited");
        return std::make_shared<const std::vector<std::string>>(std::move(n));
    }();
    auto values = texts_of(invoice, 2);
    values.emplace_back(std::nullopt);
    values.emplace_back("0");
    return {storage::Row(names, std::move(values))};
}

FirmRows compose_firm(const FirmPlan& plan) {
    const auto& in = plan.in;
    FirmRows out(audit::ChainRows(in.firm_id, plan.head));
    out.last_number = plan.last_number;
    std::vector<email::IssuedInvoice> views;
    for (const Due* d : plan.todo) {
        auto rows = invoice_rows(in, *d, ++out.last_number);
        if (plan.parties) views.push_back(issued_view(rows.invoice));
        out.invoices.push_back(std::move(rows.invoice));
        out.lines.push_back(std::move(rows.line));
        out.chain.add(rows.event, in.now);
        out.ids.push_back(std::move(rows.id));
    }
    if (plan.parties) out.mail = email::compose_issued_mail(*plan.parties, views, in.now, kEmailActor);
    return out;
}

FirmPlan plan_firm(storage::Transaction& tx, const FirmRunInput& in) {
    FirmPlan plan;
    plan.in = in;
    RunReport& mine = plan.mine;
    mine.firms = 1;
    // Numbering first: on PostgreSQL the sequence row lock queues a second process running
    // this firm until we commit, and it then reads our invoices below and skips them.
    if (!in.dry_run) lock_sequence(tx, in.firm_id, "invoice");

    for (auto& terms : current_package_engagements(tx, in.firm_id)) {
        ++mine.engagements;
        auto p = plan_package_invoice(terms, in.firm, in.date);
        if (!p) {
            mine.add_error(in.firm_id, terms.id, p.error().code, p.error().field + ": " + p.error().message);
        } else if (!*p) {
            ++mine.skipped;
        } else {
            plan.due.push_back({std::move(terms), std::move(**p)});
        }
    }
    std::set<std::pair<std::string, std::string>> billed;
    if (!plan.due.empty()) {
        std::string from = "9999-12-31", to = "0000-01-01";
        for (const auto& d : plan.due) {
            const std::string s = time::format_iso_date(d.plan.period.start);
            from = std::min(from, s);
            to = std::max(to, s);
        }
        billed = billed_periods(tx, in.firm_id, from, to);
    }
    for (const auto& d : plan.due) {
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
            plan.todo.push_back(&d);
        }
    }
    if (plan.todo.empty()) return plan;
    // lock_sequence() created and locked the counter row.
    plan.last_number = tx.query_one("SELECT last_value FROM number_sequences WHERE firm_id = ? AND kind = ?",
                                    {in.firm_id, "invoice"})
                           ->i64("last_value");
    plan.head = audit::read_chain_head(tx, in.firm_id);
    std::vector<std::string> clients;
    std::set<std::string> seen;
    for (const Due* d : plan.todo) {
        if (seen.insert(d->terms.client_id).second) clients.push_back(d->terms.client_id);
    }
    plan.parties = email::read_mail_parties(tx, in.firm_id, clients);
    return plan;
}

// Every due invoice of the firm at once: multi-row inserts, counter and chain head updated
// once. All or nothing (a savepoint): on a database error the caller falls back to one
// savepoint per invoice, so one bad invoice cannot sink the others. False after rolling back.
bool write_firm(storage::Transaction& tx, const FirmPlan& plan, FirmRows& rows) {
    tx.exec("SAVEPOINT package_firm");
    try {
        storage::BulkInsert invoices(tx, "invoices", invoice_columns());
        for (auto& r : rows.invoices) invoices.add(std::move(r));
        invoices.flush();
        storage::BulkInsert lines(tx, "invoice_lines", line_columns());
        for (auto& r : rows.lines) lines.add(std::move(r));
        lines.flush();
        rows.chain.write(tx, plan.head);
        tx.exec("UPDATE number_sequences SET last_value = ? WHERE firm_id = ? AND kind = ?",
                {rows.last_number, plan.in.firm_id, "invoice"});
        email::write_issued_mail(tx, rows.mail);
        tx.exec("RELEASE SAVEPOINT package_firm");
        return true;
    } catch (const std::exception& e) {
        tx.exec("ROLLBACK TO SAVEPOINT package_firm");
        tx.exec("RELEASE SAVEPOINT package_firm");
        const auto* db_error = dynamic_cast<const storage::DbError*>(&e);
        if (db_error && db_error->kind() == storage::DbError::Kind::busy) throw;  // the whole batch retries
        return false;
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

namespace {

// Writes the firm's composed rows (or, when composing or writing them failed, each invoice
// under its own savepoint), audits the run and adds the firm to the report.
void finish_firm(storage::Transaction& tx, FirmPlan& plan, std::optional<FirmRows> rows, RunReport& report) {
    const auto& in = plan.in;
    RunReport& mine = plan.mine;
    if (rows && write_firm(tx, plan, *rows)) {
        mine.created += static_cast<std::int64_t>(rows->ids.size());
        for (auto& id : rows->ids) mine.invoices.push_back(std::move(id));
        plan.todo.clear();
    }
    for (const Due* d : plan.todo) {
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

// A firm read, and its rows being composed on the second thread. `rows` is declared after
// `plan` so that it is destroyed first: a future from std::async waits for its task, which
// reads the plan.
struct InFlight {
    std::unique_ptr<FirmPlan> plan;
    std::future<FirmRows> rows;
};

std::optional<FirmRows> composed(InFlight& f) {
    if (!f.rows.valid()) return std::nullopt;
    try {
        return f.rows.get();
    } catch (const std::exception&) {
        return std::nullopt;  // written one by one instead, where the failure is reported per invoice
    }
}

}  // namespace

void run_firms(storage::Transaction& tx, const std::vector<FirmRunInput>& inputs, RunReport& report) {
    // Composing a firm's rows (numbers, audit hashes, email texts and PDF snapshots) costs
    // about as much CPU as SQLite writing them: the next firm is composed on a second
    // thread while this thread writes the previous one. All database work stays on this
    // thread, in the caller's transaction and in the same order per firm (read, then write).
    // One firm (the API's run) has nothing to overlap with: it is composed on this thread.
    const auto policy = inputs.size() > 1 ? std::launch::async : std::launch::deferred;
    InFlight previous;
    for (const auto& in : inputs) {
        InFlight current;
        current.plan = std::make_unique<FirmPlan>(plan_firm(tx, in));
        if (!current.plan->todo.empty()) {
            const FirmPlan* plan = current.plan.get();
            current.rows = std::async(policy, [plan] { return compose_firm(*plan); });
        }
        if (previous.plan) finish_firm(tx, *previous.plan, composed(previous), report);
        previous = std::move(current);
    }
    if (previous.plan) finish_firm(tx, *previous.plan, composed(previous), report);
}

void run_firm(storage::Transaction& tx, const FirmRunInput& in, RunReport& report) {
    run_firms(tx, {in}, report);
}

}  // namespace cp::server::billing
