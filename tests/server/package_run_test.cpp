// Billing II, the package fee run, through the API and the run function: exactly once,
// dry runs, the period rules (clipping, proration, renewals, final periods) and the
// calendar's edges (month ends, Feb 29, quarter and year boundaries, a firm whose local
// date is not UTC's), and the in-server scheduler driven by the manual clock.
#include <map>
#include <set>

#include "server/billing/package_run.hpp"
#include "server/billing/package_scheduler.hpp"
#include "server/email/attachment_view.hpp"
#include "server/email/message_composer.hpp"
#include "server/util/crypto.hpp"
#include "tests/server/support.hpp"

namespace cp::test {
namespace {

class PackageRunTest : public ServerTest {
protected:
    void SetUp() override {
        ServerTest::SetUp();
        firm = make_firm("pkgco");
        client = make_client(firm, "Initech");
    }

    std::string engagement(json fields) {
        json body{{"client_id", client},          {"name", "Retainer"},       {"pricing_mode", "package"},
                  {"package_fee", "3100.00"},     {"start_date", "2026-01-01"}, {"end_date", "2026-12-31"}};
        for (auto& [k, v] : fields.items()) {
            if (v.is_null())
                body.erase(k);
            else
                body[k] = v;
        }
        auto r = call("POST", "/api/v1/engagements", firm.owner_token, body);
        EXPECT_EQ(r.status, 201) << r.raw.body;
        return r.body.value("id", "");
    }

    Reply run(const std::string& date, bool dry_run = false, const std::string& token = "") {
        // The API refuses a date after the firm's today: move the clock to that day's end
        // (UTC+14 included) when the test runs ahead of it.
        if (!date.empty()) {
            const int y = std::stoi(date.substr(0, 4)), m = std::stoi(date.substr(5, 2)), d = std::stoi(date.substr(8, 2));
            const int yy = y - (m <= 2);
            const int era = (yy >= 0 ? yy : yy - 399) / 400;
            const int yoe = yy - era * 400;
            const int doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
            const int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
            const std::int64_t days = static_cast<std::int64_t>(era) * 146097 + doe - 719468;
            const std::int64_t end_of_day = days * 86400 + 86400 + 12 * 3600;
            if (clock->now() < end_of_day) {
                clock->set(end_of_day);
                firm.owner_token = login(firm.owner_email);  // sessions expire as the clock jumps
            }
        }
        json body{{"dry_run", dry_run}};
        if (!date.empty()) body["date"] = date;
        return call("POST", "/api/v1/billing/package-run", token.empty() ? firm.owner_token : token, body);
    }

    void settings(json s) {
        auto r = call("PATCH", "/api/v1/firm/settings", firm.owner_token, {{"settings", s}});
        ASSERT_EQ(r.status, 200) << r.raw.body;
    }

    // The package invoices of an engagement: period start -> the stored row.
    std::map<std::string, storage::Row> invoices_of(const std::string& engagement_id) {
        std::map<std::string, storage::Row> out;
        storage::Transaction tx(db());
        for (auto& r : tx.query("SELECT * FROM invoices WHERE engagement_id = ? AND package_period_start IS NOT "
                                "NULL",
                                {engagement_id}))
            out.emplace(r.str("package_period_start"), r);
        tx.commit();
        return out;
    }

    std::int64_t count(const std::string& sql) {
        storage::Transaction tx(db());
        auto n = tx.query_one(sql)->i64("n");
        tx.commit();
        return n;
    }

    Firm firm;
    std::string client;
};

TEST_F(PackageRunTest, SecondRunCreatesNothingAndTheInvoiceIsIssued) {
    const std::string eng = engagement({{"payment_terms_days", 14}});
    auto first = run("2026-03-01");
    ASSERT_EQ(first.status, 200) << first.raw.body;
    EXPECT_EQ(first.body["date"], "2026-03-01");
    EXPECT_EQ(first.body["firms"], 1);
    EXPECT_EQ(first.body["engagements"], 1);
    EXPECT_EQ(first.body["created"], 1);
    EXPECT_EQ(first.body["already_invoiced"], 0);
    ASSERT_EQ(first.body["invoices"].size(), 1u);
    const std::string id = first.body["invoices"][0];

    auto inv = call("GET", "/api/v1/invoices/" + id, firm.owner_token);
    ASSERT_EQ(inv.status, 200);
    EXPECT_EQ(invoices_of(eng).at("2026-03-01").str("status"), "sent");  // (reported overdue by now)
    EXPECT_EQ(inv.body["number"], "INV-2026-00001");
    EXPECT_EQ(inv.body["issue_date"], "2026-03-01");
    EXPECT_EQ(inv.body["due_date"], "2026-03-15");
    EXPECT_EQ(inv.body["total"], "3100.00");
    EXPECT_EQ(inv.body["engagement_id"], eng);
    ASSERT_EQ(inv.body["lines"].size(), 1u);
    EXPECT_EQ(inv.body["lines"][0]["kind"], "package_fee");
    EXPECT_EQ(inv.body["lines"][0]["amount"], "3100.00");

    for (const char* again : {"2026-03-01", "2026-03-17", "2026-03-31"}) {
        auto second = run(again);
        EXPECT_EQ(second.body["created"], 0) << again;
        EXPECT_EQ(second.body["already_invoiced"], 1) << again;
    }
    EXPECT_EQ(invoices_of(eng).size(), 1u);
    // The run and its invoice are audited.
    EXPECT_EQ(count("SELECT COUNT(*) AS n FROM audit_events WHERE action = 'invoice.issue'"), 1);
    EXPECT_EQ(count("SELECT COUNT(*) AS n FROM audit_events WHERE action = 'billing.package_run'"), 4);
}

TEST_F(PackageRunTest, OnlyOwnersAndAdminsRunIt) {
    engagement({});
    const std::string billing = add_member(firm, "billing", "billing@pkgco.test");
    const std::string admin = add_member(firm, "admin", "admin@pkgco.test");
    EXPECT_EQ(run("2026-03-01", false, billing).status, 403);
    EXPECT_EQ(run("2026-03-01", false, admin).status, 200);
    EXPECT_EQ(call("POST", "/api/v1/billing/package-run", firm.owner_token, {{"date", "2026-02-30"}}).status,
              422);
    EXPECT_EQ(call("POST", "/api/v1/billing/package-run", firm.owner_token, {{"firm_id", firm.id}}).status, 422);
}

TEST_F(PackageRunTest, DryRunWritesNothing) {
    engagement({});
    engagement({{"name", "Second"}, {"schedule", "quarterly"}});
    const char* tables[] = {"invoices", "invoice_lines", "audit_events", "number_sequences", "audit_chain_heads"};
    auto snapshot = [&] {
        std::map<std::string, std::int64_t> n;
        for (const char* t : tables) n[t] = count(std::string("SELECT COUNT(*) AS n FROM ") + t);
        storage::Transaction tx(db());
        auto head = tx.query_one("SELECT hash FROM audit_chain_heads WHERE firm_id = ?", {firm.id});
        tx.commit();
        return std::make_pair(n, head ? head->str("hash") : "");
    };
    const auto before = snapshot();
    auto r = run("2026-04-01", true);
    ASSERT_EQ(r.status, 200) << r.raw.body;
    EXPECT_EQ(r.body["created"], 2);
    ASSERT_EQ(r.body["invoices"].size(), 2u);
    EXPECT_EQ(r.body["invoices"][0]["period_start"], "2026-04-01");
    EXPECT_EQ(snapshot(), before);

    server::billing::RunOptions o;
    o.date = time::Date{2026, 4, 1};
    o.dry_run = true;
    o.now = clock->now();
    auto report = server::billing::run_package_invoices(db(), app->zones(), o);
    EXPECT_EQ(report.created, 2);
    EXPECT_EQ(snapshot(), before);
    // The real run then creates exactly what the dry run listed.
    EXPECT_EQ(run("2026-04-01").body["created"], 2);
}

TEST_F(PackageRunTest, OnlyCurrentPackageAndMixedEngagementsAreBilled) {
    const std::string package = engagement({});
    const std::string mixed = engagement({{"name", "Mixed"}, {"pricing_mode", "mixed"}, {"hourly_rate", "200.00"}});
    const std::string hourly = engagement(
        {{"name", "Hourly"}, {"pricing_mode", "hourly"}, {"hourly_rate", "200.00"}, {"package_fee", nullptr}});
    const std::string later = engagement({{"name", "Later"}, {"start_date", "2026-06-01"}});
    auto r = run("2026-05-01");
    EXPECT_EQ(r.body["engagements"], 3) << r.raw.body;  // the hourly one is not a package engagement
    EXPECT_EQ(r.body["created"], 2);
    EXPECT_EQ(r.body["skipped"], 1);  // starts in June
    EXPECT_EQ(invoices_of(package).size(), 1u);
    EXPECT_EQ(invoices_of(mixed).size(), 1u);
    EXPECT_EQ(invoices_of(hourly).size(), 0u);
    EXPECT_EQ(invoices_of(later).size(), 0u);
}

TEST_F(PackageRunTest, ClippedFirstPeriodIsFullUnlessProrationThenFinalPeriodOnce) {
    const std::string a = engagement({{"start_date", "2026-03-16"}, {"end_date", "2026-05-10"}});
    run("2026-03-20");
    auto first = invoices_of(a);
    ASSERT_EQ(first.count("2026-03-16"), 1u);
    EXPECT_EQ(first.at("2026-03-16").str("package_period_end"), "2026-03-31");
    EXPECT_EQ(first.at("2026-03-16").i64("total"), 310000);  // full fee without proration

    settings({{"proration", true}});
    const std::string b = engagement({{"name", "Prorated"}, {"start_date", "2026-03-16"}, {"end_date", "2026-05-10"}});
    run("2026-03-16");
    EXPECT_EQ(invoices_of(b).at("2026-03-16").i64("total"), 160000);  // 16 of 31 days, rounded once
    // The final clipped period (May 1..10) is billed once, prorated, and nothing after it.
    for (const char* d : {"2026-05-01", "2026-05-10", "2026-05-11", "2026-06-01"}) run(d);
    auto all = invoices_of(b);
    ASSERT_EQ(all.count("2026-05-01"), 1u);
    EXPECT_EQ(all.at("2026-05-01").str("package_period_end"), "2026-05-10");
    EXPECT_EQ(all.at("2026-05-01").i64("total"), 100000);  // 10 of 31 days
    EXPECT_EQ(all.size(), 2u);  // March and May (April was not run)
    EXPECT_EQ(invoices_of(a).size(), 2u);
    EXPECT_EQ(invoices_of(a).at("2026-05-01").i64("total"), 100000);  // proration is on now
}

TEST_F(PackageRunTest, RenewedEngagementsBillFromTheNewVersionOnly) {
    const std::string v1 = engagement({{"start_date", "2026-01-01"}, {"end_date", "2026-03-15"}});
    run("2026-03-01");
    auto renewed = call("POST", "/api/v1/engagements/" + v1 + "/renew", firm.owner_token, json::object());
    ASSERT_EQ(renewed.status, 201) << renewed.raw.body;
    const std::string v2 = renewed.body["id"];
    EXPECT_EQ(renewed.body["start_date"], "2026-03-16");
    auto r = run("2026-03-16");
    EXPECT_EQ(r.body["engagements"], 1);  // the renewed version is no longer billed
    EXPECT_EQ(r.body["created"], 1);
    ASSERT_EQ(invoices_of(v2).count("2026-03-16"), 1u);
    EXPECT_EQ(invoices_of(v1).size(), 1u);
    run("2026-04-01");
    EXPECT_EQ(invoices_of(v1).size(), 1u);
    EXPECT_EQ(invoices_of(v2).size(), 2u);
}

TEST_F(PackageRunTest, CalendarEdges) {
    const std::string monthly = engagement({{"start_date", "2024-01-01"}, {"end_date", "2028-12-31"}});
    const std::string quarterly =
        engagement({{"name", "Q"}, {"schedule", "quarterly"}, {"start_date", "2024-01-01"}, {"end_date", "2028-12-31"}});
    const std::string annual =
        engagement({{"name", "A"}, {"schedule", "annual"}, {"start_date", "2024-01-01"}, {"end_date", "2028-12-31"}});
    const std::string once = engagement(
        {{"name", "O"}, {"schedule", "one_time"}, {"start_date", "2028-02-29"}, {"end_date", "2028-03-05"}});
    for (const char* d : {"2026-01-31", "2026-02-28", "2026-03-31", "2026-04-01", "2026-12-31", "2027-01-01",
                          "2028-02-29", "2028-03-01"})
        ASSERT_EQ(run(d).status, 200);
    auto m = invoices_of(monthly);
    EXPECT_EQ(m.at("2026-01-01").str("package_period_end"), "2026-01-31");
    EXPECT_EQ(m.at("2026-02-01").str("package_period_end"), "2026-02-28");
    EXPECT_EQ(m.at("2028-02-01").str("package_period_end"), "2028-02-29");
    EXPECT_EQ(m.at("2028-03-01").str("issue_date"), "2028-03-01");
    EXPECT_EQ(m.size(), 8u);  // Jan, Feb, Mar, Apr, Dec 2026, Jan 2027, Feb 2028, Mar 2028
    auto q = invoices_of(quarterly);
    EXPECT_EQ(q.at("2026-01-01").str("package_period_end"), "2026-03-31");
    EXPECT_EQ(q.at("2026-04-01").str("package_period_end"), "2026-06-30");
    EXPECT_EQ(q.at("2026-10-01").str("package_period_end"), "2026-12-31");
    EXPECT_EQ(q.at("2027-01-01").str("package_period_end"), "2027-03-31");
    EXPECT_EQ(q.at("2028-01-01").str("package_period_end"), "2028-03-31");
    EXPECT_EQ(q.size(), 5u);
    auto a = invoices_of(annual);
    EXPECT_EQ(a.at("2026-01-01").str("package_period_end"), "2026-12-31");
    EXPECT_EQ(a.at("2027-01-01").str("package_period_end"), "2027-12-31");
    EXPECT_EQ(a.size(), 3u);  // 2026, 2027, 2028
    auto o = invoices_of(once);
    ASSERT_EQ(o.size(), 1u);
    EXPECT_EQ(o.at("2028-02-29").str("package_period_end"), "2028-03-05");
    // Numbers: one gapless sequence over all of them, years from the issue dates.
    storage::Transaction tx(db());
    auto rows = tx.query("SELECT number FROM invoices WHERE firm_id = ? ORDER BY number", {firm.id});
    tx.commit();
    EXPECT_EQ(rows.size(), 17u);
    std::set<std::int64_t> seqs;
    for (const auto& r : rows) seqs.insert(std::stoll(r.str("number").substr(r.str("number").size() - 5)));
    EXPECT_EQ(*seqs.begin(), 1);
    EXPECT_EQ(*seqs.rbegin(), 17);
    EXPECT_EQ(seqs.size(), 17u);
}

TEST_F(PackageRunTest, AucklandFirmRunsOnItsOwnDate) {
    auto r = call("PATCH", "/api/v1/firm/settings", firm.owner_token, {{"time_zone", "Pacific/Auckland"}});
    ASSERT_EQ(r.status, 200) << r.raw.body;
    const std::string eng = engagement({});
    // 2026-02-28T12:00Z is 2026-03-01 01:00 in Auckland (NZDT, +13): UTC still says February.
    clock->set(1772280000);
    auto ran = run("");
    EXPECT_EQ(ran.body["date"], "2026-03-01") << ran.raw.body;
    EXPECT_EQ(ran.body["created"], 1);
    ASSERT_EQ(invoices_of(eng).count("2026-03-01"), 1u);
    EXPECT_EQ(invoices_of(eng).at("2026-03-01").str("issue_date"), "2026-03-01");
    // The CLI's run without --date uses each firm's own local today too.
    server::billing::RunOptions o;
    o.now = clock->now();
    auto report = server::billing::run_package_invoices(db(), app->zones(), o);
    EXPECT_FALSE(report.date.has_value());
    EXPECT_EQ(report.already_invoiced, 1);
    EXPECT_EQ(report.created, 0);
}

TEST_F(PackageRunTest, AFailingEngagementDoesNotSinkTheOthers) {
    const std::string good = engagement({});
    const std::string bad = engagement({{"name", "Broken"}});
    const std::string also_good = engagement({{"name", "Third"}});
    {
        storage::Transaction tx(db());
        tx.exec("UPDATE engagements SET schedule = 'fortnightly' WHERE id = ?", {bad});
        tx.commit();
    }
    server::billing::RunOptions o;
    o.date = time::Date{2026, 7, 1};
    o.now = clock->now();
    auto report = server::billing::run_package_invoices(db(), app->zones(), o);
    EXPECT_EQ(report.created, 2);
    ASSERT_EQ(report.errors.size(), 1u);
    EXPECT_EQ(report.errors[0]["engagement_id"], bad);
    EXPECT_TRUE(report.failed());
    EXPECT_EQ(invoices_of(good).size(), 1u);
    EXPECT_EQ(invoices_of(also_good).size(), 1u);
}

// The firm's due invoices are written together (one read of the counter and the chain
// head, multi-row inserts): the result must be what writing them one by one gives —
// gapless numbers, a chain that verifies, one email with its own signed link each, and a
// counter and chain head that later writes continue from.
TEST_F(PackageRunTest, TheFirmsInvoicesWrittenTogetherAreWhatOneByOneWrites) {
    const std::string other_client = make_client(firm, "Globex");
    std::vector<std::string> engagements = {engagement({}), engagement({{"name", "Second"}}),
                                            engagement({{"name", "Third"}, {"client_id", other_client}})};
    auto first = run("2026-03-01");
    ASSERT_EQ(first.status, 200) << first.raw.body;
    EXPECT_EQ(first.body["created"], 3);
    std::set<std::string> numbers;
    for (const auto& id_json : first.body["invoices"]) {
        const std::string id = id_json.get<std::string>();
        auto inv = call("GET", "/api/v1/invoices/" + id, firm.owner_token);
        ASSERT_EQ(inv.status, 200);
        numbers.insert(inv.body["number"].get<std::string>());
        storage::Transaction tx(db());
        auto msgs = tx.query("SELECT * FROM email_messages WHERE invoice_id = ? AND kind = 'invoice_issued'", {id});
        ASSERT_EQ(msgs.size(), 1u) << id;
        const auto& m = msgs[0];
        EXPECT_EQ(m.str("event_key"), "invoice_issued:" + id);
        EXPECT_NE(m.str("subject").find(inv.body["number"].get<std::string>()), std::string::npos) << m.str("subject");
        EXPECT_NE(m.str("text_body").find("Total: 3100.00 USD"), std::string::npos) << m.str("text_body");
        auto view = server::email::resolve_attachment(tx, firm.id, m.str("attachment_view"));
        EXPECT_EQ(view["invoice"]["number"], inv.body["number"]);
        ASSERT_EQ(view["invoice"]["lines"].size(), 1u);
        EXPECT_EQ(view["invoice"]["lines"][0]["amount"], "3100.00");
        auto link = tx.query_one("SELECT * FROM invoice_links WHERE id = ?", {m.str("link_id")});
        ASSERT_TRUE(link.has_value());
        EXPECT_EQ(link->str("invoice_id"), id);
        EXPECT_EQ(link->str("token_hash"), server::sha256_hex(m.str("link_token")));
        // The batch composed the message from the rows in memory: composing it again from
        // the stored invoice (the one-by-one path) must give the same message.
        tx.exec("DELETE FROM email_messages WHERE id = ?", {m.str("id")});
        ASSERT_TRUE(server::email::compose_invoice_issued(tx, id, m.i64("created_at"), m.str("created_by")));
        auto again = tx.query_one("SELECT * FROM email_messages WHERE event_key = ?", {m.str("event_key")});
        ASSERT_TRUE(again.has_value());
        for (const char* column : {"firm_id", "client_id", "invoice_id", "kind", "message_id", "recipients", "reply_to",
                                   "from_name", "subject", "text_body", "html_body", "attachment_name",
                                   "attachment_view", "status", "next_attempt_at", "created_at"}) {
            EXPECT_EQ(again->opt(column), m.opt(column)) << column;
        }
        // (the transaction rolls back: the stored message stays the batch's)
    }
    EXPECT_EQ(numbers, (std::set<std::string>{"INV-2026-00001", "INV-2026-00002", "INV-2026-00003"}));
    EXPECT_EQ(count("SELECT COUNT(DISTINCT link_token) AS n FROM email_messages"), 3);

    // Later writes continue from the counter and the chain head the batch left.
    auto draft = call("POST", "/api/v1/invoices", firm.owner_token,
                      {{"client_id", client},
                       {"lines", json::array({{{"kind", "adjustment"}, {"description", "Extra"}, {"quantity", "1"}, {"unit_price", "10.00"}, {"tax_rate", "0"}}})}});
    ASSERT_EQ(draft.status, 201) << draft.raw.body;
    auto issued = call("POST", "/api/v1/invoices/" + draft.body["id"].get<std::string>() + "/issue", firm.owner_token,
                       json::object());
    ASSERT_EQ(issued.status, 200) << issued.raw.body;
    EXPECT_EQ(issued.body["number"], "INV-2026-00004");
    auto verified = call("GET", "/api/v1/audit/verify", firm.owner_token);
    ASSERT_EQ(verified.status, 200);
    EXPECT_EQ(verified.body["ok"], true) << verified.raw.body;
}

// A database error in the firm's batch (here a unique index that two invoices' lines
// break) rolls the batch back and writes the invoices one by one: the others are billed,
// with gapless numbers and a chain that verifies.
TEST_F(PackageRunTest, WhenTheFirmsBatchFailsEachInvoiceIsWrittenAlone) {
    const std::string alpha = engagement({{"name", "Alpha"}});
    const std::string dup = engagement({{"name", "Dup"}});
    const std::string dup_again = engagement({{"name", "Dup"}});
    {
        storage::Transaction tx(db());
        tx.exec("CREATE UNIQUE INDEX test_one_line_description ON invoice_lines (description)");
        tx.commit();
    }
    auto r = run("2026-03-01");
    ASSERT_EQ(r.status, 200) << r.raw.body;
    EXPECT_EQ(r.body["created"], 2) << r.raw.body;
    EXPECT_EQ(invoices_of(alpha).size(), 1u);
    EXPECT_EQ(invoices_of(dup).size() + invoices_of(dup_again).size(), 1u);
    EXPECT_EQ(count("SELECT COUNT(*) AS n FROM invoices WHERE number IN ('INV-2026-00001', 'INV-2026-00002')"), 2);
    EXPECT_EQ(count("SELECT COUNT(*) AS n FROM invoices WHERE number IS NOT NULL"), 2);
    EXPECT_EQ(count("SELECT COUNT(*) AS n FROM email_messages WHERE kind = 'invoice_issued'"), 2);
    EXPECT_EQ(count("SELECT COUNT(*) AS n FROM audit_events WHERE action = 'invoice.issue'"), 2);
    auto verified = call("GET", "/api/v1/audit/verify", firm.owner_token);
    EXPECT_EQ(verified.body["ok"], true) << verified.raw.body;
}

TEST_F(PackageRunTest, SchedulerRunsOncePerLocalDayAndCatchesUp) {
    auto r = call("PATCH", "/api/v1/firm/settings", firm.owner_token,
                  {{"time_zone", "Pacific/Auckland"}, {"settings", {{"billing_run_time", "06:00"}}}});
    ASSERT_EQ(r.status, 200) << r.raw.body;
    const std::string eng = engagement({});
    server::billing::PackageScheduler scheduler(db(), app->zones(), clock);
    // 2026-02-28T16:30Z = 2026-03-01 05:30 NZDT: the day's run time has not come yet.
    clock->set(1772296200);
    auto reports = scheduler.tick();
    ASSERT_EQ(reports.size(), 1u);  // first tick ever: only the due date, 28 February
    EXPECT_EQ(reports[0].date, (time::Date{2026, 2, 28}));
    EXPECT_EQ(invoices_of(eng).count("2026-03-01"), 0u);
    clock->advance(1800);  // 06:00 NZDT
    reports = scheduler.tick();
    ASSERT_EQ(reports.size(), 1u);
    EXPECT_EQ(reports[0].created, 1);
    EXPECT_EQ(invoices_of(eng).count("2026-03-01"), 1u);
    EXPECT_TRUE(scheduler.tick().empty());  // once a day
    // Down for three days: the next tick catches up 2, 3 and 4 March in order.
    clock->advance(3 * 86400 + 60);
    reports = scheduler.tick();
    ASSERT_EQ(reports.size(), 3u);
    EXPECT_EQ(reports[0].date, (time::Date{2026, 3, 2}));
    EXPECT_EQ(reports[2].date, (time::Date{2026, 3, 4}));
    EXPECT_TRUE(scheduler.tick().empty());
    EXPECT_EQ(invoices_of(eng).size(), 2u);  // February (first tick) and March
}

TEST_F(PackageRunTest, SchedulerRunTimeInsideADstGapRunsOnce) {
    auto r = call("PATCH", "/api/v1/firm/settings", firm.owner_token,
                  {{"time_zone", "America/New_York"}, {"settings", {{"billing_run_time", "02:30"}}}});
    ASSERT_EQ(r.status, 200) << r.raw.body;
    engagement({});
    server::billing::PackageScheduler scheduler(db(), app->zones(), clock);
    clock->set(1772942400);  // 2026-03-08T04:00Z = 23:00 EST on 7 March
    auto first = scheduler.tick();
    ASSERT_EQ(first.size(), 1u);
    EXPECT_EQ(first[0].date, (time::Date{2026, 3, 7}));
    clock->set(1772953200);  // 07:00Z = 03:00 EDT on 8 March: 02:30 never happened, but it has passed
    auto second = scheduler.tick();
    ASSERT_EQ(second.size(), 1u);
    EXPECT_EQ(second[0].date, (time::Date{2026, 3, 8}));
    clock->advance(3600);
    EXPECT_TRUE(scheduler.tick().empty());
}

TEST_F(PackageRunTest, RunTimeSettingIsValidated) {
    EXPECT_EQ(call("PATCH", "/api/v1/firm/settings", firm.owner_token, {{"settings", {{"billing_run_time", "24:00"}}}})
                  .status,
              422);
    EXPECT_EQ(call("PATCH", "/api/v1/firm/settings", firm.owner_token, {{"settings", {{"billing_run_time", "7:00"}}}})
                  .status,
              422);
    EXPECT_EQ(call("PATCH", "/api/v1/firm/settings", firm.owner_token, {{"settings", {{"billing_run_time", "23:59"}}}})
                  .status,
              200);
}

}  // namespace
}  // namespace cp::test
