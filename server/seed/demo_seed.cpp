#include "server/seed/demo_seed.hpp"

#include <nlohmann/json.hpp>
#include <stdexcept>
#include <tuple>
#include <utility>

#include "server/audit/audit_log.hpp"
#include "server/util/clock.hpp"
#include "server/util/crypto.hpp"
#include "shared/billing/draft_reader.hpp"
#include "shared/time/civil.hpp"

namespace cp::server {
namespace {

// Each seeded firm's chain starts with the seeding itself.
void audit_seeded(storage::Transaction& tx, const std::string& firm, const char* label, std::int64_t now) {
    audit::Event e;
    e.firm_id = firm;
    e.category = "SYSTEM";
    e.action = "demo.seed";
    e.target_type = "firm";
    e.target_id = firm;
    e.target_label = label;
    audit::append(tx, e, now);
}

using nlohmann::json;

struct DemoInvoice {
    const char* number;  // nullptr for a draft
    const char* status;
    const char* issue_date;
    const char* due_date;
    const char* amount_paid;
    json lines;
};

// Totals come from the core (the same code the preview endpoint and the portal run).
void insert_invoice(storage::Transaction& tx, const std::string& firm_id, const std::string& client_id,
                    const std::string& engagement_id, const DemoInvoice& d, std::int64_t now) {
    json draft{
        {"currency", "USD"}, {"tax_mode", "per_line"}, {"amount_paid", d.amount_paid}, {"lines", d.lines}};
    auto reading = billing::read_invoice_draft(draft);
    if (!reading.errors.empty())
        throw std::logic_error("demo invoice draft invalid: " + reading.errors[0].field);
    auto totals = billing::compute_invoice_totals(reading.input);
    if (!totals) throw std::logic_error("demo invoice totals failed: " + totals.error().code);
    const std::string id = new_id("inv");
    tx.exec(
        "INSERT INTO invoices (id, firm_id, client_id, engagement_id, number, status, currency, tax_mode, "
        "issue_date, due_date, subtotal, tax, total, amount_paid, balance_due, created_at, updated_at) "
        "VALUES (?, ?, ?, ?, ?, ?, 'USD', 'per_line', ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        {id, firm_id, client_id, engagement_id.empty() ? storage::Param(nullptr) : storage::Param(engagement_id),
         d.number ? storage::Param(d.number) : storage::Param(nullptr),
         d.status, d.issue_date ? storage::Param(d.issue_date) : storage::Param(nullptr),
         d.due_date ? storage::Param(d.due_date) : storage::Param(nullptr), totals->subtotal, totals->tax,
         totals->total, totals->amount_paid, totals->balance_due, now, now});
    for (std::size_t i = 0; i < d.lines.size(); ++i) {
        const auto& l = d.lines[i];
        tx.exec(
            "INSERT INTO invoice_lines (id, firm_id, invoice_id, position, kind, description, quantity, "
            "unit_price, tax_rate, amount) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            {new_id("lin"), firm_id, id, static_cast<std::int64_t>(i), l["kind"].get<std::string>(),
             l["description"].get<std::string>(), l["quantity"].get<std::string>(),
             l["unit_price"].get<std::string>(), l["tax_rate"].get<std::string>(), totals->line_amounts[i]});
    }
    // A seeded package invoice owns its month, as one the package run made would: the run
    // then never bills that month again.
    bool package = false;
    for (const auto& l : d.lines) package |= l["kind"] == "package_fee";
    if (package && d.issue_date && !engagement_id.empty()) {
        const std::string month = std::string(d.issue_date).substr(0, 7);
        const int y = std::stoi(month.substr(0, 4)), m = std::stoi(month.substr(5, 2));
        static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
        const bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
        const int last = kDays[m - 1] + (m == 2 && leap ? 1 : 0);
        tx.exec("UPDATE invoices SET package_period_start = ?, package_period_end = ? WHERE id = ?",
                {month + "-01", month + "-" + std::to_string(last), id});
    }
    audit::Event e;
    e.firm_id = firm_id;
    e.category = "BILLING";
    e.action = "invoice.seed";
    e.target_type = "invoice";
    e.target_id = id;
    e.target_label = d.number ? d.number : "draft";
    audit::append(tx, e, now);
}

json line(const char* kind, const char* description, const char* quantity, const char* unit_price,
          const char* tax_rate) {
    return {{"kind", kind},
            {"description", description},
            {"quantity", quantity},
            {"unit_price", unit_price},
            {"tax_rate", tax_rate}};
}

// A second firm and an account in both, so switching firms can be tried. A separate account
// (not owner@) because the other demo logins' single-firm sign-in is what most tests and
// reference screenshots expect.
void seed_partner_firm(storage::Transaction& tx, const std::string& demo_firm, const std::string& hash,
                       std::int64_t now) {
    const std::string firm = new_id("firm");
    tx.exec(
        "INSERT INTO firms (id, name, slug, status, plan, time_zone, currency, settings, created_at, "
        "updated_at) VALUES (?, 'Partner Advisory Group', 'partner', 'active', 'professional', "
        "'Europe/London', 'GBP', ?, ?, ?)",
        {firm,
         json{{"tax_mode", "per_line"},
              {"rounding", "half_up"},
              {"payment_terms_days", 14},
              {"proration", false},
              {"invoice_number_prefix", "PAG-"}}
             .dump(),
         now, now});
    const std::string user = new_id("usr");
    tx.exec("INSERT INTO users (id, email, name, password_hash, created_at) VALUES (?, 'partner@demo.test', "
            "'Parker Partner', ?, ?)",
            {user, hash, now});
    for (const auto& [firm_id, role] : {std::pair{demo_firm, "admin"}, std::pair{firm, "owner"}}) {
        tx.exec(
            "INSERT INTO memberships (id, firm_id, user_id, role, status, created_at, updated_at) "
            "VALUES (?, ?, ?, ?, 'active', ?, ?)",
            {new_id("mem"), firm_id, user, role, now, now});
    }
    tx.exec(
        "INSERT INTO clients (id, firm_id, name, status, billing_email, time_zone, portal_enabled, "
        "autopay_enabled, payment_method_ref, contacts, created_at, updated_at) VALUES (?, ?, "
        "'Thames Logistics', 'active', 'ap@thames.test', 'Europe/London', 0, 0, NULL, '[]', ?, ?)",
        {new_id("cli"), firm, now, now});
    audit_seeded(tx, firm, "partner", now);
}

}  // namespace

std::string demo_autopay_due_date(std::int64_t now) {
    return time::format_iso_date(time::add_days(time::civil_from_days(time::floor_div(now, 86400)), 14));
}

std::vector<DemoLogin> seed_demo_if_empty(storage::Database& db, std::int64_t now,
                                          const PasswordParams& params) {
    {
        storage::Transaction probe(db);
        if (probe.query_one("SELECT id FROM firms LIMIT 1")) return {};
        probe.commit();
    }
    const std::string hash = hash_password(kDemoPassword, params);
    storage::Transaction tx(db);
    const std::string firm = new_id("firm");
    tx.exec(
        "INSERT INTO firms (id, name, slug, status, plan, time_zone, currency, settings, created_at, "
        "updated_at) "
        "VALUES (?, 'Demo Consulting LLC', 'demo', 'active', 'professional', 'America/New_York', 'USD', ?, "
        "?, ?)",
        {firm,
         json{{"tax_mode", "per_line"},
              {"rounding", "half_up"},
              {"payment_terms_days", 30},
              {"proration", false},
              {"invoice_number_prefix", "INV-"}}
             .dump(),
         now, now});
    // A staff member too, so the demo can log time, approve it as billing and bill it.
    const std::tuple<const char*, const char*, const char*> staff[] = {
        {"owner@demo.test", "owner", "Olivia Owner"},
        {"billing@demo.test", "billing", "Bill Billing"},
        {"staff@demo.test", "staff", "Sam Staff"}};
    std::string owner_membership;
    for (const auto& [email, role, name] : staff) {
        const std::string user = new_id("usr");
        const std::string membership = new_id("mem");
        if (std::string(role) == "owner") owner_membership = membership;
        tx.exec("INSERT INTO users (id, email, name, password_hash, created_at) VALUES (?, ?, ?, ?, ?)",
                {user, email, name, hash, now});
        tx.exec(
            "INSERT INTO memberships (id, firm_id, user_id, role, status, created_at, updated_at) "
            "VALUES (?, ?, ?, ?, 'active', ?, ?)",
            {membership, firm, user, role, now, now});
    }
    // CRM (issue 14): a new lead to take through prospect and proposal to a client.
    tx.exec(
        "INSERT INTO leads (id, firm_id, company, contact_name, contact_email, source, estimated_value, currency, "
        "owner_membership_id, notes, status, last_activity_at, created_at, updated_at) VALUES (?, ?, "
        "'Contoso Advisory', 'Carla Contoso', 'carla@contoso.test', 'referral', 2400000, 'USD', ?, "
        "'Wants a monthly finance package', 'new', ?, ?, ?)",
        {new_id("lead"), firm, owner_membership, now, now, now});
    const std::string client = new_id("cli");
    tx.exec(
        "INSERT INTO clients (id, firm_id, name, status, billing_email, time_zone, portal_enabled, "
        "autopay_enabled, "
        "payment_method_ref, contacts, created_at, updated_at) VALUES (?, ?, 'Northwind Traders', 'active', "
        "'ap@northwind.test', 'America/Chicago', 1, 0, NULL, ?, ?, ?)",
        {client, firm,
         json::array(
             {{{"name", "Nancy North"}, {"email", "nancy@northwind.test"}, {"phone", "+1 312 555 0100"}}})
             .dump(),
         now, now});
    tx.exec(
        "INSERT INTO portal_users (id, firm_id, client_id, email, name, password_hash, can_view_billing, "
        "can_view_projects, status, created_at) VALUES (?, ?, ?, 'client@demo.test', 'Nancy North', ?, 1, 1, "
        "'active', ?)",
        {new_id("pu"), firm, client, hash, now});
    const std::string engagement = new_id("eng");
    tx.exec(
        "INSERT INTO engagements (id, firm_id, client_id, name, version, parent_id, status, pricing_mode, "
        "package_fee, "
        "hourly_rate, currency, schedule, payment_terms_days, start_date, end_date, created_at, updated_at) "
        "VALUES (?, ?, ?, 'Finance transformation', 1, NULL, 'current', 'mixed', 150000, 1500000, 'USD', "
        "'monthly', 30, "
        "'2026-01-01', '2026-12-31', ?, ?)",
        {engagement, firm, client, now, now});
    tx.exec(
        "INSERT INTO platform_operators (id, email, name, password_hash, can_break_glass, created_at) "
        "VALUES (?, 'operator@demo.test', 'Pat Platform', ?, 1, ?)",
        {new_id("op"), hash, now});

    const DemoInvoice invoices[] = {
        {"INV-0001", "paid", "2026-08-01", "2026-08-31", "1500.00",
         json::array({line("package_fee", "Monthly package fee, August 2026", "1", "1500.00", "0")})},
        {"INV-0002", "sent", "2026-09-01", "2026-10-01", "0",
         json::array({line("package_fee", "Monthly package fee, September 2026", "1", "1500.00", "0"),
                      line("time", "Close process workshop (hours)", "12.5", "150.00", "8.875"),
                      line("expense", "Travel: Chicago, train", "1", "245.30", "0")})},
        {"INV-0003", "partial", "2026-07-01", "2026-07-31", "500.00",
         json::array({line("package_fee", "Monthly package fee, July 2026", "1", "1500.00", "0"),
                      line("adjustment", "Goodwill discount", "1", "-100.00", "0")})},
        {"INV-0004", "overdue", "2026-06-01", "2026-07-01", "0",
         json::array({line("time", "Controller coaching (hours)", "6.25", "150.00", "8.875")})},
        {nullptr, "draft", nullptr, nullptr, "0",
         json::array({line("time", "Budget model review (hours)", "3", "150.00", "8.875")})},
    };
    for (const auto& inv : invoices) insert_invoice(tx, firm, client, engagement, inv, now);

    // Billing III: two autopay clients with an invoice due two weeks after the seed, one whose
    // card the sandbox declines and one whose card it accepts. Due in the future, so a running
    // server's autopay scheduler leaves them alone until a person rehearses the schedule with
    // `cp_server run-autopay --now <due>T14:00:00Z`, then +3, +7 and +14 days (main prints the
    // four commands; README).
    const std::string due = demo_autopay_due_date(now);
    const std::string issued = time::format_iso_date(time::add_days(*time::parse_iso_date(due), -30));
    struct AutopayClient {
        const char* name;
        const char* email;
        const char* zone;
        const char* card;
        const char* customer;
        DemoInvoice invoice;
    };
    const AutopayClient autopay_clients[] = {
        {"Harbor Freight Partners", "ap@harbor.test", "America/New_York", "pm_card_chargeDeclined",
         "cus_demo_harbor",
         {"INV-0005", "sent", issued.c_str(), due.c_str(), "0",
          json::array({line("adjustment", "Monthly retainer", "1", "900.00", "0")})}},
        {"Summit Ridge Advisors", "ap@summit.test", "America/Los_Angeles", "pm_card_visa", "cus_demo_summit",
         {"INV-0006", "sent", issued.c_str(), due.c_str(), "0",
          json::array({line("adjustment", "Monthly retainer", "1", "1200.00", "0")})}},
    };
    for (const auto& a : autopay_clients) {
        const std::string id = new_id("cli");
        tx.exec(
            "INSERT INTO clients (id, firm_id, name, status, billing_email, time_zone, portal_enabled, "
            "autopay_enabled, payment_method_ref, processor_customer_ref, contacts, created_at, updated_at) "
            "VALUES (?, ?, ?, 'active', ?, ?, 0, 1, ?, ?, '[]', ?, ?)",
            {id, firm, a.name, a.email, a.zone, a.card, a.customer, now, now});
        insert_invoice(tx, firm, id, "", a.invoice, now);
    }
    audit_seeded(tx, firm, "demo", now);
    seed_partner_firm(tx, firm, hash, now);
    tx.commit();
    return {
        {"staff", "owner@demo.test", kDemoPassword, "firm owner (everything)"},
        {"staff", "billing@demo.test", kDemoPassword, "billing (invoices, approves time)"},
        {"staff", "staff@demo.test", kDemoPassword, "staff (logs own time)"},
        {"portal", "client@demo.test", kDemoPassword, "client portal user of Northwind Traders"},
        {"operator", "operator@demo.test", kDemoPassword,
         "platform operator (log in with \"kind\":\"operator\")"},
        {"staff", "partner@demo.test", kDemoPassword,
         "admin of the demo firm and owner of Partner Advisory Group (switch firms in the header)"},
    };
}

}  // namespace cp::server
