// The app is called from several transport threads at once: writes serialise, every
// audit append lands in one unbroken chain, nothing is lost.
#include <thread>
#include <vector>

#include "tests/server/support.hpp"

namespace cp::test {
namespace {

class Concurrency : public ServerTest {};

TEST_F(Concurrency, ParallelWritesKeepTheChainIntact) {
    auto firm = make_firm("acme");
    constexpr int kThreads = 4, kEach = 10;
    // More clients than the starter plan's 25.
    ASSERT_EQ(call("PATCH", "/api/v1/firm/settings", firm.owner_token, {{"plan", "enterprise"}}).status, 200);
    std::vector<std::thread> threads;
    std::atomic<int> created{0};
    for (int t = 0; t < kThreads; ++t) {
        threads.emplace_back([&, t] {
            for (int i = 0; i < kEach; ++i) {
                json body{{"company_name", "C" + std::to_string(t) + "-" + std::to_string(i)},
                          {"billing_email", "a@b.test"}};
                http::Request req;
                req.method = "POST";
                req.path = req.target = "/api/v1/clients";
                req.body = body.dump();
                req.headers["content-type"] = "application/json";
                req.headers["authorization"] = "Bearer " + firm.owner_token;
                if (app->handle(req).status == 201) ++created;
                http::Request read;
                read.method = "GET";
                read.path = read.target = "/api/v1/clients";
                read.headers["authorization"] = "Bearer " + firm.owner_token;
                app->handle(read);
            }
        });
    }
    for (auto& th : threads) th.join();
    EXPECT_EQ(created.load(), kThreads * kEach);
    auto v = call("GET", "/api/v1/audit/verify", firm.owner_token);
    EXPECT_TRUE(v.body["ok"]) << v.raw.body;
    EXPECT_EQ(call("GET", "/api/v1/clients?limit=200", firm.owner_token).body["data"].size(),
              static_cast<std::size_t>(kThreads * kEach));
}

// The same Idempotency-Key sent by several callers at once creates one object, and every
// caller gets its answer: the first in full, the others as replays, never a 409.
TEST_F(Concurrency, SimultaneousRequestsWithOneKeyCreateOnce) {
    auto firm = make_firm("acme");
    for (const std::string kind : {"client", "membership"}) {
        constexpr int kThreads = 4;
        std::vector<std::thread> threads;
        std::vector<http::Response> answers(kThreads);
        const json body = kind == "client"
                              ? json{{"company_name", "Once Only"}, {"billing_email", "a@b.test"}}
                              : json{{"email", "once@acme.test"},
                                     {"name", "Once"},
                                     {"role", "staff"},
                                     {"password", kPassword}};
        for (int t = 0; t < kThreads; ++t) {
            threads.emplace_back([&, t] {
                http::Request req;
                req.method = "POST";
                req.path = req.target = kind == "client" ? "/api/v1/clients" : "/api/v1/memberships";
                req.body = body.dump();
                req.headers["content-type"] = "application/json";
                req.headers["authorization"] = "Bearer " + firm.owner_token;
                req.headers["idempotency-key"] = "same-key-" + kind;
                answers[t] = app->handle(req);
            });
        }
        for (auto& th : threads) th.join();
        for (const auto& a : answers) {
            EXPECT_EQ(a.status, 201) << kind << ": " << a.body;
            EXPECT_EQ(json::parse(a.body)["id"], json::parse(answers[0].body)["id"]) << kind;
        }
    }
    EXPECT_EQ(call("GET", "/api/v1/clients", firm.owner_token).body["data"].size(), 1u);
    EXPECT_EQ(call("GET", "/api/v1/memberships", firm.owner_token).body["data"].size(), 2u);
}

}  // namespace
}  // namespace cp::test
