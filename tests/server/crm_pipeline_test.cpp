// The CRM pipeline end to end: a lead through prospect and proposal to acceptance, which
// opens client, contract and engagement v1 in one transaction that the package run then
// bills; acceptance twice or at once (two servers over real HTTP) creates nothing more;
// declined and expired proposals refuse it; expiry falls at the firm's local midnight.
#include <atomic>
#include <set>
#include <thread>

#include "server/http/transport.hpp"
#include "tests/server/crm_support.hpp"

namespace cp::test {
namespace {

class CrmPipeline : public ServerTest {
protected:
    void SetUp() override {
        ServerTest::SetUp();
        firm = make_firm("acme");
    }
    Caller as_owner() {
        return [this](const std::string& m, const std::string& t, const json& body) {
            return call(m, t, firm.owner_token, body);
        };
    }
    std::int64_t count(const std::string& table) {
        storage::Transaction tx(db());
        auto n = tx.query_one("SELECT COUNT(*) AS n FROM " + table + " WHERE firm_id = ?", {firm.id})->i64("n");
        tx.commit();
        return n;
    }
    Firm firm;
};

TEST_F(CrmPipeline, AcceptedProposalOpensClientContractAndEngagementThatThePackageRunBills) {
    auto p = make_pipeline(as_owner(), "Globex");
    auto proposal = call("GET", "/api/v1/proposals/" + p.proposal, firm.owner_token);
    EXPECT_EQ(proposal.body["status"], "sent");
    EXPECT_EQ(proposal.body["subtotal"], "18000.00");  // 12 x 1,500.00, by the core
    EXPECT_EQ(proposal.body["tax"], "1800.00");
    EXPECT_EQ(proposal.body["total"], "19800.00");
    EXPECT_EQ(call("GET", "/api/v1/prospects/" + p.prospect, firm.owner_token).body["stage"], "proposal");

    auto accepted = call("POST", "/api/v1/proposals/" + p.proposal + "/accept", firm.owner_token, json::object());
    ASSERT_EQ(accepted.status, 201) << accepted.raw.body;
    EXPECT_EQ(accepted.body["proposal"]["status"], "accepted");
    EXPECT_EQ(accepted.body["client"]["company_name"], "Globex");
    EXPECT_EQ(accepted.body["client"]["billing_email"], "dana@prospect.test");
    const json engagement = accepted.body["engagement"];
    EXPECT_EQ(engagement["version"], 1);
    EXPECT_EQ(engagement["pricing_mode"], "package");
    EXPECT_EQ(engagement["package_fee"], "1500.00");
    EXPECT_EQ(engagement["client_id"], accepted.body["client"]["id"]);
    EXPECT_EQ(accepted.body["contract"]["snapshot"]["status"], "sent");  // as the client saw it
    EXPECT_EQ(accepted.body["contract"]["accepted_by"], firm.owner_email);
    EXPECT_EQ(call("GET", "/api/v1/prospects/" + p.prospect, firm.owner_token).body["stage"], "won");

    // Every step is on the lead's timeline.
    auto timeline = call("GET", "/api/v1/leads/" + p.lead + "/timeline", firm.owner_token);
    std::vector<std::string> kinds;
    for (const auto& a : timeline.body["data"]) kinds.push_back(a["kind"]);
    EXPECT_EQ(kinds, (std::vector<std::string>{"lead.create", "lead.transition", "lead.transition",
                                               "prospect.create", "proposal.create", "proposal.send",
                                               "prospect.transition", "proposal.accept", "prospect.transition"}));

    // The engagement is ready to bill: October's package invoice.
    clock->set(1'790'942'400);  // 2026-10-02T12:00Z
    firm.owner_token = login(firm.owner_email);
    auto run = call("POST", "/api/v1/billing/package-run", firm.owner_token, {{"date", "2026-10-01"}});
    ASSERT_EQ(run.status, 200) << run.raw.body;
    EXPECT_EQ(run.body["created"], 1) << run.raw.body;
    auto invoices = call("GET", "/api/v1/invoices?client_id=" + engagement["client_id"].get<std::string>(),
                         firm.owner_token);
    ASSERT_EQ(invoices.body["data"].size(), 1u);
    EXPECT_EQ(invoices.body["data"][0]["engagement_id"], engagement["id"]);
    EXPECT_TRUE(call("GET", "/api/v1/audit/verify", firm.owner_token).body["ok"]);
}

TEST_F(CrmPipeline, SecondAcceptanceAnswersTheSameAndCreatesNothing) {
    auto p = make_pipeline(as_owner(), "Initech");
    auto first = call("POST", "/api/v1/proposals/" + p.proposal + "/accept", firm.owner_token, json::object());
    ASSERT_EQ(first.status, 201) << first.raw.body;
    auto again = call("POST", "/api/v1/proposals/" + p.proposal + "/accept", firm.owner_token, json::object());
    EXPECT_EQ(again.status, 200) << again.raw.body;
    EXPECT_EQ(again.body["contract"], first.body["contract"]);
    EXPECT_EQ(again.body["engagement"]["id"], first.body["engagement"]["id"]);
    EXPECT_EQ(count("clients"), 1);
    EXPECT_EQ(count("engagements"), 1);
    EXPECT_EQ(count("contracts"), 1);
}

TEST_F(CrmPipeline, AcceptanceLinksAnExistingClientByNameRatherThanDuplicating) {
    const std::string existing = make_client(firm, "Umbrella");
    auto p = make_pipeline(as_owner(), "Umbrella");
    auto accepted = call("POST", "/api/v1/proposals/" + p.proposal + "/accept", firm.owner_token, json::object());
    ASSERT_EQ(accepted.status, 201) << accepted.raw.body;
    EXPECT_EQ(accepted.body["client"]["id"], existing);
    EXPECT_EQ(count("clients"), 1);
}

TEST_F(CrmPipeline, DeclinedDraftAndExpiredProposalsCannotBeAccepted) {
    auto declined = make_pipeline(as_owner(), "Declines");
    ASSERT_EQ(call("POST", "/api/v1/proposals/" + declined.proposal + "/decline", firm.owner_token, json::object()).status,
              200);
    auto refused = call("POST", "/api/v1/proposals/" + declined.proposal + "/accept", firm.owner_token, json::object());
    EXPECT_EQ(refused.status, 409);
    EXPECT_EQ(refused.body["error"]["code"], "INVALID_TRANSITION");
    auto draft = make_pipeline(as_owner(), "Drafty", "2026-12-31", false);
    EXPECT_EQ(call("POST", "/api/v1/proposals/" + draft.proposal + "/accept", firm.owner_token, json::object()).status,
              409);
    EXPECT_EQ(count("clients"), 0);
    EXPECT_EQ(count("engagements"), 0);
}

// New York leaves daylight time on 2026-11-01: a proposal good through 2026-10-31 lapses
// at local midnight, 04:00 UTC (EDT, -4), not at 00:00 UTC nor 05:00 UTC (EST).
TEST_F(CrmPipeline, ExpiryFallsAtLocalMidnightAcrossADstChange) {
    ASSERT_EQ(call("PATCH", "/api/v1/firm/settings", firm.owner_token, {{"time_zone", "America/New_York"}}).status, 200);
    auto p = make_pipeline(as_owner(), "Hooli", "2026-10-31");
    clock->set(1'793'505'600 - 1);  // 2026-10-31T23:59:59-04:00
    firm.owner_token = login(firm.owner_email);
    EXPECT_EQ(call("GET", "/api/v1/proposals/" + p.proposal, firm.owner_token).body["status"], "sent");
    clock->set(1'793'505'600);  // 2026-11-01T00:00:00-04:00
    auto refused = call("POST", "/api/v1/proposals/" + p.proposal + "/accept", firm.owner_token, json::object());
    EXPECT_EQ(refused.status, 409) << refused.raw.body;
    EXPECT_EQ(refused.body["error"]["code"], "INVALID_TRANSITION");
    EXPECT_EQ(call("GET", "/api/v1/proposals/" + p.proposal, firm.owner_token).body["status"], "expired");
    EXPECT_EQ(count("contracts"), 0);
}

TEST_F(CrmPipeline, LeadRulesComeFromTheCore) {
    auto lead = call("POST", "/api/v1/leads", firm.owner_token, {{"company", "Skipper"}});
    ASSERT_EQ(lead.status, 201);
    const std::string id = lead.body["id"];
    EXPECT_EQ(lead.body["status"], "new");
    // Skipping "contacted" is not an edge; converting an unqualified lead neither.
    EXPECT_EQ(call("PATCH", "/api/v1/leads/" + id, firm.owner_token, {{"status", "qualified"}}).status, 409);
    EXPECT_EQ(call("POST", "/api/v1/leads/" + id + "/convert", firm.owner_token, {{"expected_close_date", "2026-12-01"}})
                  .status,
              409);
    EXPECT_EQ(call("PATCH", "/api/v1/leads/" + id, firm.owner_token, {{"status", "sold"}}).status, 422);
    EXPECT_EQ(call("POST", "/api/v1/leads", firm.owner_token, {{"company", ""}}).status, 422);
    EXPECT_EQ(call("PATCH", "/api/v1/leads/" + id, firm.owner_token, {{"status", "disqualified"}}).status, 200);
}

// Two servers, each on its own connection, accept one proposal at the same moment over
// real HTTP: one creates, the other answers with the same contract; one of each row.
TEST_F(CrmPipeline, ConcurrentAcceptancesOnTwoServersCreateOnce) {
    auto p = make_pipeline(as_owner(), "Concurrent");
    constexpr int kCallers = 6, kServers = 2;
    std::vector<std::unique_ptr<server::App>> apps;
    std::vector<std::unique_ptr<http::TestServer>> servers;
    for (int s = 0; s < kServers; ++s) {
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
            answers[i] = http::request(servers[i % kServers]->port(), "POST",
                                       "/api/v1/proposals/" + p.proposal + "/accept",
                                       {{"Authorization", "Bearer " + firm.owner_token},
                                        {"Content-Type", "application/json"}},
                                       "{}");
        });
    }
    for (auto& t : threads) t.join();
    int created = 0;
    std::set<std::string> contracts;
    for (const auto& a : answers) {
        ASSERT_TRUE(a.status == 201 || a.status == 200) << a.status << " " << a.body;
        created += a.status == 201;
        contracts.insert(json::parse(a.body)["contract"]["id"].get<std::string>());
    }
    EXPECT_EQ(created, 1);
    EXPECT_EQ(contracts.size(), 1u);
    EXPECT_EQ(count("clients"), 1);
    EXPECT_EQ(count("engagements"), 1);
    EXPECT_EQ(count("contracts"), 1);
    EXPECT_TRUE(call("GET", "/api/v1/audit/verify", firm.owner_token).body["ok"]);
}

}  // namespace
}  // namespace cp::test
