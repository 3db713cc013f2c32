// Scale-out (issue 19): several App instances on one PostgreSQL database, each on its own
// connections, behave as one server for what must be shared: the login and sign-up
// throttle, and one runner per background job (storage::JobLease). On SQLite (one process
// per file) the throttle stays in memory and every lease is held at once.
#include <gtest/gtest.h>

#include <atomic>
#include <thread>
#include <vector>

#include "server/billing/package_scheduler.hpp"
#include "server/http/transport.hpp"
#include "server/storage/coordination.hpp"
#include "tests/server/package_seed.hpp"
#include "tests/server/support.hpp"

namespace cp::test {
namespace {

class ScaleOut : public ServerTest {
protected:
    bool postgres() const { return backend_name() == "postgresql"; }
    // Calls `another` as if it were the fixture's app (a second process behind the balancer).
    Reply call_on(std::unique_ptr<server::App>& another, const std::string& method, const std::string& target,
                  const json& body) {
        std::swap(app, another);
        auto r = call(method, target, "", body);
        std::swap(app, another);
        return r;
    }
};

TEST_F(ScaleOut, TwoServersShareTheLoginLimit) {
    if (!postgres()) GTEST_SKIP() << "SQLite serves from one process: its throttle is in memory";
    make_firm("acme");
    auto second = another_app();
    const json bad{{"email", "owner@acme.test"}, {"password", "bad"}};
    const int limit = config.throttle.per_account_address;
    // The failures alternate between the two servers: each sees about half of them.
    for (int i = 0; i < limit; ++i) {
        auto r = i % 2 ? call_on(second, "POST", "/api/v1/auth/login", bad) : call("POST", "/api/v1/auth/login", "", bad);
        EXPECT_EQ(r.status, 401) << i;
    }
    const json good{{"email", "owner@acme.test"}, {"password", kPassword}};
    auto blocked_here = call("POST", "/api/v1/auth/login", "", good);
    auto blocked_there = call_on(second, "POST", "/api/v1/auth/login", good);
    EXPECT_EQ(blocked_here.status, 429);
    EXPECT_EQ(blocked_there.status, 429);
    ASSERT_TRUE(blocked_there.header("Retry-After"));
    clock->advance(config.throttle.window_seconds);
    EXPECT_EQ(call_on(second, "POST", "/api/v1/auth/login", good).status, 200);
    // The success forgot the account's failures for both.
    EXPECT_EQ(call("POST", "/api/v1/auth/login", "", bad).status, 401);
}

TEST_F(ScaleOut, TwoServersShareTheSignupLimit) {
    if (!postgres()) GTEST_SKIP() << "SQLite serves from one process: its throttle is in memory";
    auto second = another_app();
    server::LoginThrottle& one = app->throttle();
    server::LoginThrottle& two = second->throttle();
    ASSERT_TRUE(one.shared());
    const std::int64_t now = clock->now();
    for (int i = 0; i < config.throttle.signups_per_address; ++i)
        EXPECT_FALSE((i % 2 ? two : one).begin_signup("198.51.100.7", now)) << i;
    EXPECT_TRUE(one.begin_signup("198.51.100.7", now));
    EXPECT_TRUE(two.begin_signup("198.51.100.7", now));
    EXPECT_FALSE(two.begin_signup("198.51.100.8", now)) << "other addresses are not affected";
}

TEST_F(ScaleOut, ParallelAttemptsOnTwoServersNeverExceedTheLimit) {
    if (!postgres()) GTEST_SKIP() << "SQLite serves from one process: its throttle is in memory";
    auto second = another_app();
    std::atomic<int> allowed{0};
    std::vector<std::thread> threads;
    const std::int64_t now = clock->now();
    for (int t = 0; t < 6; ++t) {
        server::LoginThrottle& throttle = t % 2 ? second->throttle() : app->throttle();
        threads.emplace_back([&throttle, &allowed, now] {
            for (int k = 0; k < 5; ++k) {
                if (!throttle.begin_attempt("a@x.test", "10.0.0.1", now)) ++allowed;
            }
        });
    }
    for (auto& t : threads) t.join();
    EXPECT_EQ(allowed.load(), config.throttle.per_account_address);
}

TEST_F(ScaleOut, SqliteKeepsTheThrottleInMemory) {
    if (postgres()) GTEST_SKIP() << "PostgreSQL shares it";
    EXPECT_FALSE(app->throttle().shared());
    EXPECT_EQ(storage::coordinator(db()), nullptr);
}

TEST_F(ScaleOut, AJobLeaseHasOneHolderAmongServers) {
    auto second = another_app();
    auto first_lease = storage::JobLease::take(db(), "autopay");
    EXPECT_TRUE(first_lease.held());
    if (!postgres()) {
        EXPECT_TRUE(storage::JobLease::take(second->db(), "autopay").held()) << "SQLite: one process, always held";
        return;
    }
    EXPECT_FALSE(storage::JobLease::take(second->db(), "autopay").held());
    EXPECT_FALSE(storage::JobLease::take(db(), "autopay").held()) << "nor a second thread of the holder";
    EXPECT_TRUE(storage::JobLease::take(second->db(), "package-run:frm_x").held()) << "other jobs are free";
    {
        auto gone = std::move(first_lease);
    }
    EXPECT_TRUE(storage::JobLease::take(second->db(), "autopay").held()) << "free once let go";
}

TEST_F(ScaleOut, AKilledHoldersLeaseIsTakenOver) {
    if (!postgres()) GTEST_SKIP() << "advisory locks are PostgreSQL's";
    auto second = another_app();
    {
        auto doomed = another_app();
        // Taken without a JobLease to let go of it: the holder's process "dies" below.
        ASSERT_TRUE(storage::coordinator(doomed->db())->try_lock("autopay"));
        EXPECT_FALSE(storage::JobLease::take(second->db(), "autopay").held());
        doomed.reset();  // its connections close, as when its process is killed
    }
    // The server ends the closed session's backend (and its locks) a moment later.
    bool taken = false;
    for (int i = 0; i < 100 && !taken; ++i) {
        taken = storage::JobLease::take(second->db(), "autopay").held();
        if (!taken) std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    EXPECT_TRUE(taken);
}

TEST_F(ScaleOut, APackageRunIsLeftToTheServerRunningItsFirm) {
    clock->set(1773144000);  // 2026-03-10T12:00Z: 10 March's run (06:00 UTC) is due
    auto firms = seed_package_firms(db(), 2, 1, "so", clock->now());
    auto second = another_app();
    auto invoices = [&](const std::string& firm) {
        storage::Transaction tx(db());
        auto n = tx.query_one("SELECT COUNT(*) AS n FROM invoices WHERE firm_id = ?", {firm})->i64("n");
        tx.commit();
        return n;
    };
    server::billing::PackageScheduler scheduler(second->db(), second->zones(), clock);
    {
        auto running_elsewhere = storage::JobLease::take(db(), "package-run:" + firms[0]);
        ASSERT_TRUE(running_elsewhere.held());
        auto reports = scheduler.tick();
        if (postgres()) {
            ASSERT_EQ(reports.size(), 1u);
            EXPECT_EQ(invoices(firms[0]), 0);
        }
        EXPECT_EQ(invoices(firms[1]), 1);
    }
    scheduler.tick();  // the other server is done (or died): its firm runs here now, once
    EXPECT_EQ(invoices(firms[0]), 1);
    EXPECT_EQ(invoices(firms[1]), 1);
    EXPECT_TRUE(scheduler.tick().empty());
}

TEST_F(ScaleOut, ADrainingServerIsNotReadyButStillAnswers) {
    EXPECT_EQ(call("GET", "/readyz").status, 200);
    app->start_draining();
    auto r = call("GET", "/readyz");
    EXPECT_EQ(r.status, 503);
    EXPECT_EQ(r.body["error"]["code"], "DRAINING");
    EXPECT_TRUE(r.header("Retry-After"));
    EXPECT_EQ(call("GET", "/healthz").status, 200) << "alive, only not ready";
    make_firm("acme");  // requests the balancer already sent are still served
}

// SIGTERM's last step (http::serve): the listener closes, the request being handled is
// answered, then the server stops.
TEST(HttpDrain, InFlightRequestsFinishAndNewConnectionsAreRefused) {
    std::atomic<bool> entered{false};
    http::ServeOptions options;
    options.port = 0;
    http::Server server(options, [&](const http::Request&) {
        entered = true;
        std::this_thread::sleep_for(std::chrono::milliseconds(400));
        http::Response r;
        r.status = 200;
        r.body = "done";
        return r;
    });
    const auto port = server.port();
    std::thread runner([&] { server.run(); });
    http::Response slow;
    std::thread client([&] { slow = http::request(port, "GET", "/slow"); });
    while (!entered) std::this_thread::sleep_for(std::chrono::milliseconds(5));
    EXPECT_EQ(server.in_flight(), 1);
    const auto t0 = std::chrono::steady_clock::now();
    server.drain(std::chrono::seconds(5));
    EXPECT_GE(std::chrono::steady_clock::now() - t0, std::chrono::milliseconds(200)) << "waited for it";
    runner.join();
    client.join();
    EXPECT_EQ(slow.status, 200);
    EXPECT_EQ(slow.body, "done");
    bool connection_header_close = false;
    for (const auto& [k, v] : slow.headers) connection_header_close |= k == "connection" && v == "close";
    EXPECT_TRUE(connection_header_close) << "a draining server closes each connection after its answer";
    EXPECT_ANY_THROW(http::request(port, "GET", "/after")) << "the listener is closed";
}

}  // namespace
}  // namespace cp::test
