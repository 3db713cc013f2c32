// The rest of the CRM pipeline (issue 14), on both databases: the pipeline report (counts
// and value by stage, win rate, days to close on the firm's calendar, CSV); the daily
// follow-up signals (untouched leads, expiring proposals) raised once each for the owner,
// on local days across a DST change, from the scheduler's loop and the CLI; signed
// proposal links through which the client reads, accepts (the same atomic acceptance,
// also racing staff on two servers) or declines; and the whole path over real loopback
// HTTP from a lead to a link-accepted proposal whose engagement the package run bills.
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <fstream>
#include <set>
#include <thread>

#include "server/billing/package_scheduler.hpp"
#include "server/crm/crm_signals.hpp"
#include "server/http/transport.hpp"
#include "tests/server/crm_support.hpp"

namespace cp::test {
namespace {

constexpr std::int64_t kOct25 = 1'792'936'800;  // 2026-10-25T10:00:00-04:00 (EDT)

class CrmFollowUps : public ServerTest {
protected:
    void SetUp() override {
        ServerTest::SetUp();
        firm = make_firm("acme");  // America/New_York by default
    }
    Caller as_owner() {
        return [this](const std::string& m, const std::string& t, const json& body) {
            return call(m, t, firm.owner_token, body);
        };
    }
    // Moves the manual clock and logs in again (sessions last 12 hours).
    void at(std::int64_t instant) {
        clock->set(instant);
        firm.owner_token = login(firm.owner_email);
    }
    std::int64_t count(const std::string& table, const std::string& where = "1 = 1") {
        storage::Transaction tx(db());
        auto n =
            tx.query_one("SELECT COUNT(*) AS n FROM " + table + " WHERE firm_id = ? AND " + where, {firm.id})
                ->i64("n");
        tx.commit();
        return n;
    }
    json make_link(const std::string& proposal, int days = 60) {
        auto link = call("POST", "/api/v1/proposals/" + proposal + "/links", firm.owner_token,
                         {{"expires_in_days", days}});
        EXPECT_EQ(link.status, 201) << link.raw.body;
        return link.body;
    }
    std::string link_to(const std::string& proposal, int days = 60) {
        return make_link(proposal, days).value("token", "");
    }
    Firm firm;
};

// --- Pipeline report -------------------------------------------------------------------

TEST_F(CrmFollowUps, PipelineReportCountsValuesWinRateAndDaysToCloseOnTheFirmsCalendar) {
    ASSERT_EQ(
        call("POST", "/api/v1/leads", firm.owner_token, {{"company", "Solo"}, {"estimated_value", "5000.00"}})
            .status,
        201);
    auto gone =
        call("POST", "/api/v1/leads", firm.owner_token, {{"company", "Gone"}, {"estimated_value", "100.00"}});
    ASSERT_EQ(call("PATCH", "/api/v1/leads/" + gone.body["id"].get<std::string>(), firm.owner_token,
                   {{"status", "disqualified"}})
                  .status,
              200);
    auto won = make_pipeline(as_owner(), "Globex");
    auto declined = make_pipeline(as_owner(), "Initech");
    make_pipeline(as_owner(), "Hooli", "2026-09-25");  // sent; lapses unseen
    make_pipeline(as_owner(), "Drafty", "2026-12-31", false);
    ASSERT_EQ(
        call("POST", "/api/v1/proposals/" + declined.proposal + "/decline", firm.owner_token, json::object())
            .status,
        200);
    // Created on 21 September (local), accepted at 2026-10-02T02:00Z = 1 October 22:00 EDT:
    // 10 days on the firm's calendar (11 by UTC dates).
    at(1'790'906'400);
    ASSERT_EQ(call("POST", "/api/v1/proposals/" + won.proposal + "/accept", firm.owner_token, json::object())
                  .status,
              201);

    auto r = call("GET", "/api/v1/reports/pipeline", firm.owner_token);
    ASSERT_EQ(r.status, 200) << r.raw.body;
    EXPECT_EQ(r.body["as_of"], "2026-10-01");
    EXPECT_EQ(r.body["time_zone"], "America/New_York");
    auto stage = [&](const char* section, const char* name) {
        for (const auto& s : r.body[section]) {
            if (s["stage"] == name) return s;
        }
        ADD_FAILURE() << section << " has no stage " << name;
        return json();
    };
    EXPECT_EQ(r.body["leads"].size(), 4u);  // every status, empty ones too
    EXPECT_EQ(stage("leads", "new"), (json{{"stage", "new"}, {"count", 1}, {"value", {{"USD", "5000.00"}}}}));
    EXPECT_EQ(stage("leads", "contacted")["count"], 0);
    EXPECT_EQ(stage("leads", "qualified")["count"], 4);  // converted leads stay qualified
    EXPECT_EQ(stage("leads", "qualified")["value"]["USD"], "72000.00");
    EXPECT_EQ(stage("leads", "disqualified")["value"]["USD"], "100.00");
    EXPECT_EQ(stage("prospects", "discovery")["count"], 1);  // Drafty: nothing sent yet
    EXPECT_EQ(stage("prospects", "proposal")["count"], 2);
    EXPECT_EQ(stage("prospects", "won")["count"], 1);
    EXPECT_EQ(stage("prospects", "won")["value"]["USD"], "18000.00");
    EXPECT_EQ(stage("proposals", "draft")["count"], 1);
    EXPECT_EQ(stage("proposals", "sent")["count"], 0);
    EXPECT_EQ(stage("proposals", "accepted")["value"]["USD"], "19800.00");
    EXPECT_EQ(stage("proposals", "declined")["count"], 1);
    EXPECT_EQ(stage("proposals", "expired")["count"],
              1);  // Hooli: past 25 September, still "sent" in storage
    EXPECT_EQ(r.body["win_rate"],
              (json{{"accepted", 1}, {"declined", 1}, {"expired", 1}, {"percent", "33.33"}}));
    EXPECT_EQ(r.body["days_to_close"], (json{{"accepted", 1}, {"total_days", 10}, {"average", "10.0"}}));

    auto csv = call("GET", "/api/v1/reports/pipeline", firm.owner_token, nullptr, {{"accept", "text/csv"}});
    ASSERT_EQ(csv.status, 200);
    EXPECT_EQ(csv.raw.content_type, "text/csv; charset=utf-8");
    const std::string& text = csv.raw.body;
    EXPECT_EQ(text.rfind("section,stage,count,currency,value\r\n", 0), 0u) << text;
    EXPECT_NE(text.find("\r\nleads,contacted,0,,\r\n"), std::string::npos) << text;
    EXPECT_NE(text.find("\r\nproposals,accepted,1,USD,19800.00\r\n"), std::string::npos) << text;
    EXPECT_NE(text.find("\r\nsummary,win_rate_percent,3,,33.33\r\n"), std::string::npos) << text;
    EXPECT_NE(text.find("\r\nsummary,average_days_to_close,1,,10.0\r\n"), std::string::npos) << text;

    // Nothing decided yet in another firm: no rate rather than 0 %, and nothing of ours.
    auto other = make_firm("other");
    auto empty = call("GET", "/api/v1/reports/pipeline", other.owner_token);
    EXPECT_EQ(empty.body["win_rate"]["percent"], nullptr);
    EXPECT_EQ(empty.body["days_to_close"]["average"], nullptr);
    EXPECT_EQ(empty.body["leads"][0]["count"], 0);
}

// --- Follow-up signals -----------------------------------------------------------------

// New York leaves daylight time on 2026-11-01. A lead last touched on 25 October is 7
// days untouched on 1 November *local*, from 04:00Z; a proposal good through 4 November
// enters its 3-day window then too. At 02:00Z the UTC date is already the 1st but New
// York's is still the 31st: nothing may be raised yet.
TEST_F(CrmFollowUps, SignalsRaiseEachAlertOnceForTheOwnerOnLocalDaysAcrossDst) {
    at(kOct25);
    auto quiet = call("POST", "/api/v1/leads", firm.owner_token, {{"company", "Quiet"}});
    ASSERT_EQ(quiet.status, 201);
    const std::string quiet_id = quiet.body["id"];
    auto busy = call("POST", "/api/v1/leads", firm.owner_token, {{"company", "Busy"}});
    auto nope = call("POST", "/api/v1/leads", firm.owner_token, {{"company", "Nope"}});
    ASSERT_EQ(call("PATCH", "/api/v1/leads/" + nope.body["id"].get<std::string>(), firm.owner_token,
                   {{"status", "disqualified"}})
                  .status,
              200);
    auto expiring =
        make_pipeline(as_owner(), "Expiring", "2026-11-04");  // its lead is converted: no lead alert
    make_pipeline(as_owner(), "Later", "2026-11-05");         // enters its window a day later
    at(kOct25 + 5 * 86400);                                   // 30 October: Busy is touched
    ASSERT_EQ(call("PATCH", "/api/v1/leads/" + busy.body["id"].get<std::string>(), firm.owner_token,
                   {{"notes", "called back"}})
                  .status,
              200);

    server::billing::PackageScheduler scheduler(db(), app->zones(), clock);
    clock->set(1'793'505'600 - 2 * 3600);  // 2026-11-01T02:00Z = 31 October 22:00 EDT
    scheduler.tick();
    EXPECT_EQ(scheduler.last_signals().evaluated, 1);
    EXPECT_EQ(scheduler.last_signals().raised, 0) << scheduler.last_signals().to_json().dump();

    clock->set(1'793'505'600);  // 2026-11-01T04:00Z = 1 November 00:00 EDT
    scheduler.tick();
    EXPECT_EQ(scheduler.last_signals().raised, 2) << scheduler.last_signals().to_json().dump();
    scheduler.tick();  // the same local day: not evaluated again
    EXPECT_EQ(scheduler.last_signals().evaluated, 0);
    clock->set(1'793'505'600 + 8 * 3600);  // 07:00 EST, after the change: still 1 November
    scheduler.tick();
    EXPECT_EQ(scheduler.last_signals().evaluated, 0);
    clock->set(1'793'595'600);  // 2026-11-02T05:00Z = 2 November 00:00 EST: "Later" is due now
    scheduler.tick();
    EXPECT_EQ(scheduler.last_signals().evaluated, 1);
    EXPECT_EQ(scheduler.last_signals().raised, 1);  // Quiet and Expiring were raised already

    at(1'793'595'600 + 3600);
    auto mine =
        call("GET", "/api/v1/alerts?owner_membership_id=" + firm.owner_membership_id, firm.owner_token);
    ASSERT_EQ(mine.status, 200) << mine.raw.body;
    ASSERT_EQ(mine.body["data"].size(), 3u) << mine.raw.body;
    std::map<std::string, json> by_subject;
    for (const auto& a : mine.body["data"]) by_subject[a["subject_id"]] = a;
    ASSERT_TRUE(by_subject.count(quiet_id));
    EXPECT_EQ(by_subject[quiet_id]["kind"], "lead_follow_up");
    EXPECT_EQ(by_subject[quiet_id]["subject_type"], "lead");
    EXPECT_EQ(by_subject[quiet_id]["owner_membership_id"], firm.owner_membership_id);
    EXPECT_EQ(by_subject[quiet_id]["created_at"], "2026-11-01T04:00:00Z");
    EXPECT_NE(by_subject[quiet_id]["message"].get<std::string>().find("2026-10-25"), std::string::npos);
    ASSERT_TRUE(by_subject.count(expiring.proposal));
    EXPECT_EQ(by_subject[expiring.proposal]["kind"], "proposal_expiring");
    EXPECT_EQ(call("GET", "/api/v1/alerts?kind=lead_follow_up", firm.owner_token).body["data"].size(), 1u);

    // Forced runs (the CLI's) raise nothing twice either...
    server::crm::SignalOptions again;
    again.now = clock->now();
    again.date = time::Date{2026, 11, 3};
    EXPECT_EQ(server::crm::run_crm_signals(db(), app->zones(), again).raised, 0);
    // ...but a lead touched and then left again is a new follow-up.
    ASSERT_EQ(
        call("PATCH", "/api/v1/leads/" + quiet_id, firm.owner_token, {{"notes", "left a message"}}).status,
        200);
    again.date = time::Date{2026, 11, 8};  // 6 days after the touch on 2 November; Busy's 9th day
    auto busy_due = server::crm::run_crm_signals(db(), app->zones(), again);
    EXPECT_EQ(busy_due.raised, 1) << busy_due.to_json().dump();
    again.date = time::Date{2026, 11, 9};
    auto second = server::crm::run_crm_signals(db(), app->zones(), again);
    EXPECT_EQ(second.raised, 1) << second.to_json().dump();
    EXPECT_EQ(count("alerts", "kind = 'lead_follow_up'"), 3);
    // Acknowledged like any alert; every raise is audited and the chain holds.
    const std::string alert_id = by_subject[quiet_id]["id"];
    EXPECT_EQ(call("POST", "/api/v1/alerts/" + alert_id + "/ack", firm.owner_token, json::object()).status,
              200);
    auto audit = call("GET", "/api/v1/audit?action=crm.alert", firm.owner_token);
    EXPECT_EQ(audit.body["data"].size(), 5u) << audit.raw.body;
    EXPECT_TRUE(call("GET", "/api/v1/audit/verify", firm.owner_token).body["ok"]);
}

TEST_F(CrmFollowUps, FollowUpDaysAreAFirmSettingCheckedByTheCore) {
    auto bad = call("PATCH", "/api/v1/firm/settings", firm.owner_token,
                    {{"settings", {{"crm", {{"lead_untouched_days", 0}}}}}});
    EXPECT_EQ(bad.status, 422) << bad.raw.body;
    EXPECT_EQ(bad.body["error"]["field"], "settings.crm.lead_untouched_days");
    EXPECT_EQ(
        call("PATCH", "/api/v1/firm/settings", firm.owner_token, {{"settings", {{"crm", {{"nag", 1}}}}}})
            .status,
        422);
    ASSERT_EQ(call("PATCH", "/api/v1/firm/settings", firm.owner_token,
                   {{"settings", {{"crm", {{"lead_untouched_days", 3}, {"proposal_expiring_days", 0}}}}}})
                  .status,
              200);
    at(kOct25);
    ASSERT_EQ(call("POST", "/api/v1/leads", firm.owner_token, {{"company", "Quiet"}}).status, 201);
    make_pipeline(as_owner(), "Expiring", "2026-10-29");
    server::crm::SignalOptions o;
    o.now = clock->now();
    o.date = time::Date{2026, 10, 27};  // 2 days: neither is due
    EXPECT_EQ(server::crm::run_crm_signals(db(), app->zones(), o).raised, 0);
    o.date = time::Date{2026, 10, 28};  // 3 days untouched; the proposal's window is its last day only
    EXPECT_EQ(server::crm::run_crm_signals(db(), app->zones(), o).raised, 1);
    o.date = time::Date{2026, 10, 29};
    EXPECT_EQ(server::crm::run_crm_signals(db(), app->zones(), o).raised, 1);
    EXPECT_EQ(count("alerts"), 2);
}

std::string server_binary() {
    if (const char* env = std::getenv("CP_SERVER_BINARY"); env && *env) return env;
#ifdef CP_SERVER_BINARY
    return CP_SERVER_BINARY;
#else
    return "cp_server";
#endif
}

// `cp_server run-crm-signals` on this test's database: one JSON object, each alert once.
std::pair<int, json> run_cli(const std::vector<std::string>& args) {
    static int n = 0;
    const std::string out_path =
        "/tmp/cp-crm-cli-" + std::to_string(getpid()) + "-" + std::to_string(++n) + ".out";
    pid_t pid = fork();
    if (pid == 0) {
        FILE* out = std::fopen(out_path.c_str(), "w");
        if (out) dup2(fileno(out), 1);
        FILE* err = std::fopen("/dev/null", "w");
        if (err) dup2(fileno(err), 2);
        std::vector<std::string> all{server_binary(), "run-crm-signals"};
        all.insert(all.end(), args.begin(), args.end());
        std::vector<char*> argv;
        for (auto& a : all) argv.push_back(a.data());
        argv.push_back(nullptr);
        execv(argv[0], argv.data());
        _exit(127);
    }
    int status = 0;
    waitpid(pid, &status, 0);
    std::ifstream in(out_path);
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    std::remove(out_path.c_str());
    return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, json::parse(text, nullptr, false)};
}

TEST_F(CrmFollowUps, CommandLineRunRaisesEachAlertOnce) {
    at(kOct25);
    ASSERT_EQ(call("POST", "/api/v1/leads", firm.owner_token, {{"company", "Quiet"}}).status, 201);
    auto [code, out] = run_cli({"--database", database_url(), "--date", "2026-11-01", "--firm", firm.id});
    ASSERT_EQ(code, 0) << out.dump();
    EXPECT_EQ(out["date"], "2026-11-01");
    EXPECT_EQ(out["firms"], 1);
    EXPECT_EQ(out["raised"], 1);
    auto [code2, out2] = run_cli({"--database", database_url(), "--date", "2026-11-02"});
    EXPECT_EQ(code2, 0);
    EXPECT_EQ(out2["raised"], 0);
    EXPECT_EQ(run_cli({"--database", database_url(), "--date", "1 Nov"}).first, 2);
    EXPECT_EQ(count("alerts"), 1);
}

// --- Signed proposal links -------------------------------------------------------------

TEST_F(CrmFollowUps, ClientReadsAcceptsThroughASignedLinkOnceAndStaffSeeTheSameContract) {
    auto p = make_pipeline(as_owner(), "Globex");
    auto draft = make_pipeline(as_owner(), "Drafty", "2026-12-31", false);
    auto refused =
        call("POST", "/api/v1/proposals/" + draft.proposal + "/links", firm.owner_token, json::object());
    EXPECT_EQ(refused.status, 409);
    EXPECT_EQ(refused.body["error"]["code"], "NOT_SENT");
    EXPECT_EQ(call("POST", "/api/v1/proposals/" + p.proposal + "/links", firm.owner_token,
                   {{"expires_in_days", 91}})
                  .status,
              422);

    auto link = call("POST", "/api/v1/proposals/" + p.proposal + "/links", firm.owner_token, json::object());
    ASSERT_EQ(link.status, 201) << link.raw.body;
    const std::string token = link.body["token"];
    EXPECT_EQ(token.size(), 64u);  // 256 bits, hex
    EXPECT_EQ(link.body["url"], "/api/v1/public/proposals/" + token);
    EXPECT_EQ(link.body["expires_at"], "2026-10-21T14:13:20Z");  // 30 days by default
    {
        storage::Transaction tx(db());
        EXPECT_FALSE(
            tx.query_one("SELECT id FROM proposal_links WHERE token_hash = ?", {token}));  // only its hash
        tx.commit();
    }
    auto listed = call("GET", "/api/v1/proposals/" + p.proposal + "/links", firm.owner_token);
    ASSERT_EQ(listed.body["data"].size(), 1u);
    EXPECT_EQ(listed.raw.body.find(token), std::string::npos);

    auto view = call("GET", "/api/v1/public/proposals/" + token);
    ASSERT_EQ(view.status, 200) << view.raw.body;
    EXPECT_EQ(view.body["object"], "public_proposal");
    EXPECT_EQ(view.body["proposal"]["title"], "Globex advisory");
    EXPECT_EQ(view.body["proposal"]["total"], "19800.00");
    EXPECT_EQ(view.body["proposal"]["status"], "sent");
    EXPECT_EQ(view.body["prospect"]["company"], "Globex");
    EXPECT_TRUE(view.body["can_answer"]);
    EXPECT_EQ(view.raw.body.find(p.prospect), std::string::npos);  // no internal ids
    EXPECT_EQ(view.raw.body.find(p.lead), std::string::npos);
    EXPECT_EQ(view.raw.body.find(firm.id), std::string::npos);

    EXPECT_EQ(
        call("POST", "/api/v1/public/proposals/" + token + "/accept", "", {{"email", "not an email"}}).status,
        422);
    auto accepted = call("POST", "/api/v1/public/proposals/" + token + "/accept", "",
                         {{"name", "Dana Scully"}, {"email", "dana@prospect.test"}});
    ASSERT_EQ(accepted.status, 201) << accepted.raw.body;
    EXPECT_EQ(accepted.body["object"], "public_acceptance");
    EXPECT_EQ(accepted.body["proposal"]["status"], "accepted");
    EXPECT_EQ(accepted.body["accepted_via"], "link");
    EXPECT_EQ(accepted.body["accepted_by"], "dana@prospect.test");
    EXPECT_FALSE(accepted.body["can_answer"]);
    EXPECT_EQ(accepted.raw.body.find("cli_"), std::string::npos);  // the firm's records stay the firm's

    // Again through the link, and by staff: the same acceptance, nothing more.
    auto again = call("POST", "/api/v1/public/proposals/" + token + "/accept", "", json::object());
    EXPECT_EQ(again.status, 200) << again.raw.body;
    EXPECT_EQ(again.body["accepted_at"], accepted.body["accepted_at"]);
    auto staff =
        call("POST", "/api/v1/proposals/" + p.proposal + "/accept", firm.owner_token, json::object());
    EXPECT_EQ(staff.status, 200);
    EXPECT_EQ(staff.body["contract"]["accepted_via"], "link");
    EXPECT_EQ(staff.body["engagement"]["version"], 1);
    EXPECT_EQ(staff.body["client"]["company_name"], "Globex");
    EXPECT_EQ(count("contracts"), 1);
    EXPECT_EQ(count("clients"), 1);
    EXPECT_EQ(count("engagements"), 1);
    EXPECT_EQ(call("POST", "/api/v1/public/proposals/" + token + "/decline", "", json::object()).status, 409);

    // Timeline and audit name the link; the chain holds.
    std::vector<std::string> kinds;
    auto timeline = call("GET", "/api/v1/leads/" + p.lead + "/timeline", firm.owner_token);
    for (const auto& a : timeline.body["data"]) kinds.push_back(a["kind"]);
    EXPECT_NE(std::find(kinds.begin(), kinds.end(), "proposal_link.create"), kinds.end());
    EXPECT_NE(std::find(kinds.begin(), kinds.end(), "proposal.accept"), kinds.end());
    auto audit = call("GET", "/api/v1/audit?action=proposal.accept", firm.owner_token);
    ASSERT_EQ(audit.body["data"].size(), 1u);
    EXPECT_EQ(audit.body["data"][0]["actor"]["type"], "anonymous");
    EXPECT_EQ(audit.body["data"][0]["metadata"]["after"]["accepted_via"], "link");
    EXPECT_TRUE(call("GET", "/api/v1/audit/verify", firm.owner_token).body["ok"]);
}

TEST_F(CrmFollowUps, DeclinedRevokedAndExpiredLinks) {
    auto p = make_pipeline(as_owner(), "Initech");
    const std::string token = link_to(p.proposal, 7);
    auto declined =
        call("POST", "/api/v1/public/proposals/" + token + "/decline", "", {{"reason", "Too dear"}});
    ASSERT_EQ(declined.status, 200) << declined.raw.body;
    EXPECT_EQ(declined.body["proposal"]["status"], "declined");
    EXPECT_EQ(call("GET", "/api/v1/proposals/" + p.proposal, firm.owner_token).body["status"], "declined");
    auto late = call("POST", "/api/v1/public/proposals/" + token + "/accept", "", json::object());
    EXPECT_EQ(late.status, 409);
    EXPECT_EQ(late.body["error"]["code"], "INVALID_TRANSITION");
    EXPECT_EQ(count("contracts"), 0);

    auto q = make_pipeline(as_owner(), "Umbrella");
    const json revoked_link = make_link(q.proposal, 7);
    const std::string revoked = revoked_link["token"], first_id = revoked_link["id"];
    const std::string expiring = link_to(q.proposal, 7);
    EXPECT_EQ(call("GET", "/api/v1/proposals/" + q.proposal + "/links", firm.owner_token).body["data"].size(),
              2u);
    ASSERT_EQ(call("POST", "/api/v1/proposal-links/" + first_id + "/revoke", firm.owner_token, json::object())
                  .status,
              200);
    EXPECT_EQ(call("POST", "/api/v1/proposal-links/" + first_id + "/revoke", firm.owner_token, json::object())
                  .status,
              409);
    auto gone = call("GET", "/api/v1/public/proposals/" + revoked);
    EXPECT_EQ(gone.status, 404);
    EXPECT_EQ(gone.raw.body, call("GET", "/api/v1/public/proposals/" + std::string(64, 'a')).raw.body);
    EXPECT_EQ(call("POST", "/api/v1/public/proposals/" + revoked + "/accept", "", json::object()).status,
              404);
    clock->advance(7 * 86400);
    auto expired = call("GET", "/api/v1/public/proposals/" + expiring);
    EXPECT_EQ(expired.status, 410);
    EXPECT_EQ(expired.body["error"]["code"], "LINK_EXPIRED");
    EXPECT_EQ(call("POST", "/api/v1/public/proposals/" + expiring + "/accept", "", json::object()).status,
              410);
    EXPECT_EQ(count("contracts"), 0);
}

// The proposal is good through 31 October, New York time; the clocks go back on 1 November.
// Through the link, as for staff, it lapses at local midnight (04:00Z, EDT) and not at
// 00:00Z or 05:00Z.
TEST_F(CrmFollowUps, LinkAcceptanceEndsAtLocalMidnightAcrossADstChange) {
    auto p = make_pipeline(as_owner(), "Hooli", "2026-10-31");
    auto q = make_pipeline(as_owner(), "Pied Piper", "2026-10-31");
    const std::string token = link_to(p.proposal), other = link_to(q.proposal);
    clock->set(1'793'505'600 - 1);  // 2026-10-31T23:59:59-04:00
    auto last_second = call("POST", "/api/v1/public/proposals/" + other + "/accept", "", json::object());
    EXPECT_EQ(last_second.status, 201) << last_second.raw.body;  // after 00:00Z, still 31 October locally
    EXPECT_EQ(call("GET", "/api/v1/public/proposals/" + token).body["proposal"]["status"], "sent");
    clock->set(1'793'505'600);  // 2026-11-01T00:00:00-04:00
    auto refused = call("POST", "/api/v1/public/proposals/" + token + "/accept", "", json::object());
    EXPECT_EQ(refused.status, 409) << refused.raw.body;
    EXPECT_EQ(refused.body["error"]["code"], "INVALID_TRANSITION");
    auto view = call("GET", "/api/v1/public/proposals/" + token);
    EXPECT_EQ(view.body["proposal"]["status"], "expired");
    EXPECT_FALSE(view.body["can_answer"]);
    EXPECT_EQ(count("contracts"), 1);
}

// Staff and the client through the link accept one proposal at the same moment, on two
// servers over real HTTP: one acceptance, one of each row.
TEST_F(CrmFollowUps, StaffAndLinkAcceptancesRacingOnTwoServersCreateOnce) {
    auto p = make_pipeline(as_owner(), "Concurrent");
    const std::string token = link_to(p.proposal);
    constexpr int kCallers = 6;
    std::vector<std::unique_ptr<server::App>> apps;
    std::vector<std::unique_ptr<http::TestServer>> servers;
    for (int s = 0; s < 2; ++s) {
        apps.push_back(another_app());
        http::ServeOptions options;
        options.threads = 3;
        auto* app_ptr = apps.back().get();
        servers.push_back(std::make_unique<http::TestServer>(
            [app_ptr](const http::Request& r) { return app_ptr->handle(r); }, options));
    }
    std::vector<http::Response> answers(kCallers);
    std::atomic<int> ready{0};
    std::vector<std::thread> threads;
    for (int i = 0; i < kCallers; ++i) {
        threads.emplace_back([&, i] {
            ++ready;
            while (ready.load() < kCallers) std::this_thread::yield();
            const bool staff = i % 2 == 0;
            std::map<std::string, std::string> headers{{"Content-Type", "application/json"}};
            if (staff) headers["Authorization"] = "Bearer " + firm.owner_token;
            answers[i] = http::request(servers[(i / 2) % 2]->port(), "POST",
                                       staff ? "/api/v1/proposals/" + p.proposal + "/accept"
                                             : "/api/v1/public/proposals/" + token + "/accept",
                                       headers, "{}");
        });
    }
    for (auto& t : threads) t.join();
    int created = 0;
    for (const auto& a : answers) {
        ASSERT_TRUE(a.status == 201 || a.status == 200) << a.status << " " << a.body;
        created += a.status == 201;
    }
    EXPECT_EQ(created, 1);
    EXPECT_EQ(count("contracts"), 1);
    EXPECT_EQ(count("clients"), 1);
    EXPECT_EQ(count("engagements"), 1);
    EXPECT_TRUE(call("GET", "/api/v1/audit/verify", firm.owner_token).body["ok"]);
}

// --- Portal access on acceptance ---------------------------------------------------------

TEST_F(CrmFollowUps, AProposalThatAsksForPortalAccessOpensAnInvitedPortalUser) {
    auto p = make_pipeline(as_owner(), "Globex", "2026-12-31", false);
    ASSERT_EQ(call("PATCH", "/api/v1/proposals/" + p.proposal, firm.owner_token,
                   {{"portal_user", {{"email", "Dana@Prospect.test"}, {"name", "Dana"}}}})
                  .status,
              200);
    EXPECT_EQ(call("PATCH", "/api/v1/proposals/" + p.proposal, firm.owner_token,
                   {{"portal_user", {{"email", "nope"}, {"name", "Dana"}}}})
                  .body["error"]["field"],
              "portal_user.email");
    ASSERT_EQ(call("POST", "/api/v1/proposals/" + p.proposal + "/send", firm.owner_token, json::object()).status, 200);
    // An email with an account already refuses the acceptance and leaves nothing behind.
    make_portal_user(firm, make_client(firm, "Elsewhere"), "dana@prospect.test");
    auto taken = call("POST", "/api/v1/proposals/" + p.proposal + "/accept", firm.owner_token, json::object());
    EXPECT_EQ(taken.status, 422) << taken.raw.body;
    EXPECT_EQ(taken.body["error"]["code"], "EMAIL_IN_USE");
    EXPECT_EQ(count("contracts"), 0);
    EXPECT_EQ(count("engagements"), 0);
    {
        storage::Transaction tx(db());
        tx.exec("UPDATE portal_users SET email = 'moved@elsewhere.test' WHERE email = 'dana@prospect.test'");
        tx.commit();
    }

    const std::string token = link_to(p.proposal);
    auto accepted = call("POST", "/api/v1/public/proposals/" + token + "/accept", "", json::object());
    ASSERT_EQ(accepted.status, 201) << accepted.raw.body;
    const json invitation = accepted.body["portal_invitation"];
    EXPECT_EQ(invitation["email"], "dana@prospect.test");
    EXPECT_EQ(invitation.value("portal_user_id", ""), "");  // the client's view: no internal ids
    const std::string url = invitation["url"];
    auto contract = call("POST", "/api/v1/proposals/" + p.proposal + "/accept", firm.owner_token, json::object());
    ASSERT_EQ(contract.status, 200);
    EXPECT_FALSE(contract.body.contains("portal_invitation"));  // shown once
    const std::string portal_user = contract.body["contract"]["portal_user_id"];
    const std::string client = contract.body["client"]["id"];
    EXPECT_TRUE(contract.body["client"]["portal_enabled"]);
    auto users = call("GET", "/api/v1/clients/" + client + "/portal-users", firm.owner_token);
    ASSERT_EQ(users.body["data"].size(), 1u) << users.raw.body;
    EXPECT_EQ(users.body["data"][0]["id"], portal_user);
    EXPECT_EQ(users.body["data"][0]["status"], "invited");

    // Nobody can log in before the invitation is accepted; the password follows the core.
    auto before = call("POST", "/api/v1/auth/login", "", {{"email", "dana@prospect.test"}, {"password", kPassword}});
    EXPECT_EQ(before.status, 401) << before.raw.body;
    EXPECT_EQ(call("POST", url + "/accept", "", {{"password", "short"}}).status, 422);
    auto done = call("POST", url + "/accept", "", {{"password", kPassword}});
    ASSERT_EQ(done.status, 200) << done.raw.body;
    EXPECT_EQ(done.body["email"], "dana@prospect.test");
    EXPECT_EQ(call("POST", url + "/accept", "", {{"password", kPassword}}).status, 404);  // once
    const std::string portal_token = login("dana@prospect.test");
    auto engagements = call("GET", "/api/v1/portal/engagements", portal_token);
    ASSERT_EQ(engagements.status, 200) << engagements.raw.body;
    ASSERT_EQ(engagements.body["data"].size(), 1u);
    EXPECT_EQ(engagements.body["data"][0]["id"], contract.body["engagement"]["id"]);
    EXPECT_TRUE(call("GET", "/api/v1/audit/verify", firm.owner_token).body["ok"]);
}

TEST_F(CrmFollowUps, PortalInvitationsExpire) {
    auto p = make_pipeline(as_owner(), "Initech", "2026-12-31", false);
    ASSERT_EQ(call("PATCH", "/api/v1/proposals/" + p.proposal, firm.owner_token,
                   {{"portal_user", {{"email", "ina@initech.test"}, {"name", "Ina"}}}})
                  .status,
              200);
    ASSERT_EQ(call("POST", "/api/v1/proposals/" + p.proposal + "/send", firm.owner_token, json::object()).status, 200);
    auto accepted = call("POST", "/api/v1/proposals/" + p.proposal + "/accept", firm.owner_token, json::object());
    ASSERT_EQ(accepted.status, 201) << accepted.raw.body;
    const std::string url = accepted.body["portal_invitation"]["url"];
    EXPECT_EQ(accepted.body["portal_invitation"]["expires_at"], "2026-10-05T14:13:20Z");  // 14 days
    // The invitation's audit event says whose portal it opens (the new client).
    auto invites = call("GET", "/api/v1/audit?action=portal_user.invite", firm.owner_token);
    ASSERT_EQ(invites.body["data"].size(), 1u) << invites.raw.body;
    EXPECT_EQ(invites.body["data"][0]["metadata"]["client_id"], accepted.body["client"]["id"]) << invites.raw.body;
    clock->advance(14 * 86400);
    auto late = call("POST", url + "/accept", "", {{"password", kPassword}});
    EXPECT_EQ(late.status, 410);
    EXPECT_EQ(late.body["error"]["code"], "INVITATION_EXPIRED");
    EXPECT_EQ(call("POST", "/api/v1/public/portal-invitations/" + std::string(64, 'a') + "/accept", "",
                   {{"password", kPassword}})
                  .status,
              404);
}

// --- The whole path over real loopback HTTP --------------------------------------------

TEST_F(CrmFollowUps, OverRealHttpALeadBecomesALinkAcceptedEngagementThatThePackageRunBills) {
    http::TestServer server([this](const http::Request& r) { return app->handle(r); });
    auto over_http = [&](const std::string& method, const std::string& target, const std::string& token,
                         const json& body) {
        std::map<std::string, std::string> headers;
        if (!token.empty()) headers["Authorization"] = "Bearer " + token;
        if (!body.is_null()) headers["Content-Type"] = "application/json";
        auto raw = http::request(server.port(), method, target, headers, body.is_null() ? "" : body.dump());
        Reply r;
        r.raw = raw;
        r.status = raw.status;
        r.body = json::parse(raw.body, nullptr, false);
        return r;
    };
    Caller staff = [&](const std::string& m, const std::string& t, const json& body) {
        return over_http(m, t, firm.owner_token, body);
    };
    auto p = make_pipeline(staff, "Globex");
    auto link = staff("POST", "/api/v1/proposals/" + p.proposal + "/links", {{"expires_in_days", 14}});
    ASSERT_EQ(link.status, 201) << link.raw.body;
    const std::string url = link.body["url"];
    auto view = over_http("GET", url, "", nullptr);
    ASSERT_EQ(view.status, 200) << view.raw.body;
    EXPECT_EQ(view.body["proposal"]["total"], "19800.00");
    auto accepted = over_http("POST", url + "/accept", "", {{"name", "Dana"}});
    ASSERT_EQ(accepted.status, 201) << accepted.raw.body;

    // The new client and engagement v1 are ready to bill: October's package invoice.
    auto engagements = staff("GET", "/api/v1/engagements", nullptr);
    ASSERT_EQ(engagements.body["data"].size(), 1u) << engagements.raw.body;
    const json engagement = engagements.body["data"][0];
    EXPECT_EQ(engagement["version"], 1);
    EXPECT_EQ(engagement["package_fee"], "1500.00");
    auto client = staff("GET", "/api/v1/clients/" + engagement["client_id"].get<std::string>(), nullptr);
    EXPECT_EQ(client.body["company_name"], "Globex");
    at(1'790'942'400);  // 2026-10-02T12:00Z
    auto run = staff("POST", "/api/v1/billing/package-run", {{"date", "2026-10-01"}});
    ASSERT_EQ(run.status, 200) << run.raw.body;
    EXPECT_EQ(run.body["created"], 1) << run.raw.body;
    auto invoices =
        staff("GET", "/api/v1/invoices?client_id=" + engagement["client_id"].get<std::string>(), nullptr);
    ASSERT_EQ(invoices.body["data"].size(), 1u);
    EXPECT_EQ(invoices.body["data"][0]["engagement_id"], engagement["id"]);
    EXPECT_EQ(invoices.body["data"][0]["subtotal"], "1500.00");
    auto report = staff("GET", "/api/v1/reports/pipeline", nullptr);
    EXPECT_EQ(report.body["win_rate"]["percent"], "100.00");
    EXPECT_TRUE(staff("GET", "/api/v1/audit/verify", nullptr).body["ok"]);
}

}  // namespace
}  // namespace cp::test
