// The app over real HTTP on loopback (the lead's transport), as a browser would use it.
#include "server/http/transport.hpp"
#include "tests/server/support.hpp"

namespace cp::test {
namespace {

class Loopback : public ServerTest {};

TEST_F(Loopback, LoginAndListInvoicesOverHttp) {
    auto firm = make_firm("acme");
    auto client = make_client(firm, "C");
    make_invoice(firm, client, "sent");
    http::TestServer server([this](const http::Request& r) { return app->handle(r); });
    auto login =
        http::request(server.port(), "POST", "/api/v1/auth/login", {{"Content-Type", "application/json"}},
                      json{{"email", firm.owner_email}, {"password", kPassword}}.dump());
    ASSERT_EQ(login.status, 200) << login.body;
    std::string token = json::parse(login.body)["token"];
    auto list = http::request(server.port(), "GET", "/api/v1/invoices?limit=1",
                              {{"Authorization", "Bearer " + token}});
    ASSERT_EQ(list.status, 200) << list.body;
    EXPECT_EQ(json::parse(list.body)["data"].size(), 1u);
    bool has_request_id = false;
    for (const auto& [k, v] : list.headers) has_request_id = has_request_id || k == "x-request-id";
    EXPECT_TRUE(has_request_id);
    auto over = http::request(server.port(), "GET", "/api/v1/invoices?limit=500",
                              {{"Authorization", "Bearer " + token}});
    EXPECT_EQ(over.status, 400);
}

TEST_F(Loopback, OversizedBodyIs413) {
    http::ServeOptions options;
    options.body_limit = 1024;
    http::TestServer server([this](const http::Request& r) { return app->handle(r); }, options);
    auto r = http::request(server.port(), "POST", "/api/v1/auth/login",
                           {{"Content-Type", "application/json"}}, std::string(4096, 'x'));
    EXPECT_EQ(r.status, 413);
}

TEST_F(Loopback, OversizedHeadersAre431) {
    http::TestServer server([this](const http::Request& r) { return app->handle(r); });
    std::map<std::string, std::string> headers;
    for (int i = 0; i < 8; ++i) headers["X-Filler-" + std::to_string(i)] = std::string(4000, 'a');  // 32 KB
    auto r = http::request(server.port(), "GET", "/healthz", headers);
    EXPECT_EQ(r.status, 431);
}

}  // namespace
}  // namespace cp::test
