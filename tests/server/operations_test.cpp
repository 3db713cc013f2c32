// Operations: captured errors reach operators and a Sentry stand-in as envelopes (with no
// body, token or personal data), /metrics answers on its own loopback listener, and a
// saturated worker queue answers 503 with Retry-After.
#include <atomic>
#include <chrono>
#include <mutex>
#include <thread>

#include "server/app/metrics_listener.hpp"
#include "server/app/sentry_sink.hpp"
#include "server/http/transport.hpp"
#include "tests/server/support.hpp"

namespace cp::test {
namespace {

using namespace std::chrono_literals;

class Operations : public ServerTest {};

std::vector<std::string> lines_of(const std::string& text) {
    std::vector<std::string> out;
    std::size_t pos = 0;
    while (pos < text.size()) {
        auto nl = text.find('\n', pos);
        out.push_back(text.substr(pos, nl == std::string::npos ? std::string::npos : nl - pos));
        if (nl == std::string::npos) break;
        pos = nl + 1;
    }
    return out;
}

TEST_F(Operations, A500IsCapturedForOperatorsAndSentAsASentryEnvelope) {
    std::mutex m;
    std::vector<http::Request> received;
    http::TestServer sentry([&](const http::Request& req) {
        std::lock_guard lock(m);
        received.push_back(req);
        http::Response r;
        r.body = R"({"id":"x"})";
        return r;
    });
    app->errors().set_sink(
        std::make_shared<server::SentrySink>("http://publickey@127.0.0.1:" + std::to_string(sentry.port()) + "/42"));

    auto firm = make_firm("acme");
    make_client(firm, "Secret Client Name");
    {
        storage::Transaction tx(db());
        tx.exec("ALTER TABLE clients RENAME TO clients_gone");  // the list's query now fails
        tx.commit();
    }
    auto r = call("GET", "/api/v1/clients", firm.owner_token);
    ASSERT_EQ(r.status, 500) << r.raw.body;
    const std::string request_id = r.header("X-Request-Id").value_or("?");

    for (int i = 0; i < 100; ++i) {
        {
            std::lock_guard lock(m);
            if (!received.empty()) break;
        }
        std::this_thread::sleep_for(50ms);
    }
    std::lock_guard lock(m);
    ASSERT_EQ(received.size(), 1u);
    const auto& post = received[0];
    EXPECT_EQ(post.method, "POST");
    EXPECT_EQ(post.path, "/api/42/envelope/");
    EXPECT_NE(post.header("x-sentry-auth").value_or("").find("sentry_key=publickey"), std::string::npos);
    EXPECT_EQ(post.header("content-type").value_or(""), "application/x-sentry-envelope");
    auto lines = lines_of(post.body);
    ASSERT_EQ(lines.size(), 3u) << post.body;
    auto header = json::parse(lines[0]);
    auto item = json::parse(lines[1]);
    auto event = json::parse(lines[2]);
    EXPECT_EQ(header["event_id"].get<std::string>().size(), 32u);
    EXPECT_EQ(item["type"], "event");
    EXPECT_EQ(item["content_type"], "application/json");
    EXPECT_EQ(item["length"].get<std::size_t>(), lines[2].size());
    EXPECT_EQ(event["event_id"], header["event_id"]);
    EXPECT_EQ(event["tags"]["route"], "/api/v1/clients");
    EXPECT_EQ(event["tags"]["request_id"], request_id);
    EXPECT_FALSE(event["release"].get<std::string>().empty());
    const auto& exception = event["exception"]["values"][0];
    EXPECT_NE(exception["type"].get<std::string>().find("DbError"), std::string::npos) << exception.dump();
    EXPECT_GT(exception["stacktrace"]["frames"].size(), 3u);
    // Nothing the caller sent or that names a person or client leaves the process.
    for (const std::string& secret : {firm.owner_token, std::string("Secret Client Name"), firm.owner_email}) {
        EXPECT_EQ(post.body.find(secret), std::string::npos) << secret;
    }

    auto op = make_operator("op@platform.test");
    auto errors = call("GET", "/api/v1/operator/errors", op);
    ASSERT_EQ(errors.status, 200) << errors.raw.body;
    ASSERT_GE(errors.body["data"].size(), 1u);
    const auto& e = errors.body["data"][0];
    EXPECT_EQ(e["request_id"], request_id);
    EXPECT_EQ(e["route"], "/api/v1/clients");
    EXPECT_EQ(e["status"], 500);
    EXPECT_GT(e["stack"].size(), 3u);
    EXPECT_EQ(call("GET", "/api/v1/operator/errors", firm.owner_token).status, 403);
}

TEST_F(Operations, MetricsAnswerOnTheirOwnLoopbackListener) {
    server::MetricsListener listener(app->metrics(), 0);
    auto firm = make_firm("acme");
    call("GET", "/api/v1/clients", firm.owner_token);
    auto r = http::request(listener.port(), "GET", "/metrics");
    EXPECT_EQ(r.status, 200);
    EXPECT_EQ(r.content_type.rfind("text/plain; version=0.0.4", 0), 0u);
    EXPECT_NE(r.body.find("cp_storage_transaction_seconds_count{mode=\"read\"}"), std::string::npos) << r.body;
    EXPECT_NE(r.body.find("cp_storage_pool_wait_seconds_bucket{mode=\"write\""), std::string::npos);
    EXPECT_NE(r.body.find("cp_http_worker_queue_depth"), std::string::npos);
    EXPECT_NE(r.body.find("route=\"/api/v1/clients\""), std::string::npos);
    EXPECT_EQ(http::request(listener.port(), "GET", "/api/v1/clients").status, 404);
}

TEST_F(Operations, ASaturatedWorkerQueueAnswers503WithRetryAfter) {
    http::ServeOptions options;
    options.workers = 1;
    options.max_queue = 1;
    std::atomic<bool> release{false};
    http::TestServer slow(
        [&](const http::Request&) {
            while (!release) std::this_thread::sleep_for(5ms);
            return http::Response{};
        },
        options);
    std::atomic<int> busy{0}, ok{0};
    std::vector<std::thread> clients;
    for (int i = 0; i < 4; ++i) {
        clients.emplace_back([&] {
            auto r = http::request(slow.port(), "GET", "/x");
            bool retry_after = false;
            for (const auto& [k, v] : r.headers) retry_after = retry_after || k == "retry-after";
            if (r.status == 503 && retry_after && r.body.find("SERVICE_BUSY") != std::string::npos) ++busy;
            if (r.status == 200) ++ok;
        });
    }
    // One runs and at most one waits; the rest are refused at once (how many depends on
    // whether the worker had picked up the first before the others arrived).
    for (int i = 0; i < 200 && busy < 2; ++i) std::this_thread::sleep_for(10ms);
    release = true;
    for (auto& t : clients) t.join();
    EXPECT_GE(busy, 2);
    EXPECT_GE(ok, 1);
    EXPECT_EQ(busy + ok, 4);
}

}  // namespace
}  // namespace cp::test
