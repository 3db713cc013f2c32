// Gapless numbering under real concurrency: several servers (each its own database
// connection) behind real loopback HTTP, 50 issues at once. No gap, no duplicate.
#include <atomic>
#include <set>
#include <thread>

#include "server/http/transport.hpp"
#include "tests/server/billing_support.hpp"

namespace cp::test {
namespace {

class InvoiceNumbering : public BillingTest {};

TEST_F(InvoiceNumbering, FiftyConcurrentIssuesLeaveNoGapAndNoDuplicate) {
    constexpr int kIssues = 50, kServers = 5;
    std::vector<std::string> drafts;
    for (int i = 0; i < kIssues; ++i) drafts.push_back(draft({line("1", std::to_string(i + 1) + ".00")}));
    std::vector<std::unique_ptr<server::App>> apps;
    std::vector<std::unique_ptr<http::TestServer>> servers;
    for (int s = 0; s < kServers; ++s) {
        apps.push_back(another_app());
        http::ServeOptions options;
        options.threads = 4;
        auto* app_ptr = apps.back().get();
        servers.push_back(std::make_unique<http::TestServer>(
            [app_ptr](const http::Request& r) { return app_ptr->handle(r); }, options));
    }
    std::vector<http::Response> answers(kIssues);
    std::atomic<int> ready{0};
    std::vector<std::thread> threads;
    for (int i = 0; i < kIssues; ++i) {
        threads.emplace_back([&, i] {
            ++ready;
            while (ready.load() < kIssues) std::this_thread::yield();  // start together
            answers[i] = http::request(
                servers[i % kServers]->port(), "POST", "/api/v1/invoices/" + drafts[i] + "/issue",
                {{"Authorization", "Bearer " + billing}, {"Content-Type", "application/json"}}, "{}");
        });
    }
    for (auto& t : threads) t.join();
    std::set<std::string> numbers;
    for (int i = 0; i < kIssues; ++i) {
        ASSERT_EQ(answers[i].status, 200) << answers[i].body;
        numbers.insert(json::parse(answers[i].body)["number"].get<std::string>());
    }
    std::set<std::string> expected;
    for (int n = 1; n <= kIssues; ++n) {
        char buf[32];
        std::snprintf(buf, sizeof buf, "INV-2026-%05d", n);
        expected.insert(buf);
    }
    EXPECT_EQ(numbers, expected);
    // Each invoice kept the number it was answered with, and the chain is intact.
    for (int i = 0; i < kIssues; ++i) {
        auto stored = call("GET", "/api/v1/invoices/" + drafts[i], billing);
        EXPECT_EQ(stored.body["number"], json::parse(answers[i].body)["number"]);
    }
    auto verify = call("GET", "/api/v1/audit/verify", firm.owner_token);
    EXPECT_TRUE(verify.body["ok"]) << verify.raw.body;
    EXPECT_EQ(issue(draft({line("1", "1.00")})).body["number"], "INV-2026-00051");
}

// Two requests issuing the same draft at once: one number is used, the other is refused.
TEST_F(InvoiceNumbering, OneDraftIssuedTwiceAtOnceGetsOneNumber) {
    const std::string id = draft({line("1", "1.00")});
    auto other = another_app();
    std::vector<http::Response> answers(2);
    std::thread a([&] {
        http::Request req;
        req.method = "POST";
        req.path = req.target = "/api/v1/invoices/" + id + "/issue";
        req.headers["authorization"] = "Bearer " + billing;
        answers[0] = app->handle(req);
    });
    std::thread b([&] {
        http::Request req;
        req.method = "POST";
        req.path = req.target = "/api/v1/invoices/" + id + "/issue";
        req.headers["authorization"] = "Bearer " + billing;
        answers[1] = other->handle(req);
    });
    a.join();
    b.join();
    std::multiset<int> statuses{answers[0].status, answers[1].status};
    EXPECT_EQ(statuses, (std::multiset<int>{200, 409})) << answers[0].body << answers[1].body;
    EXPECT_EQ(issue(draft({line("1", "1.00")})).body["number"], "INV-2026-00002");
}

}  // namespace
}  // namespace cp::test
