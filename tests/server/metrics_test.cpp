// GET /api/v1/operator/metrics: Prometheus text from prometheus-cpp, for operators only,
// labelled by route template, and accepted by `promtool check metrics` (Debian's prometheus).
#include <cstdio>
#include <filesystem>
#include <fstream>

#include "server/util/crypto.hpp"
#include "tests/server/support.hpp"

namespace cp::test {
namespace {

class Metrics : public ServerTest {};

TEST_F(Metrics, OperatorsReadPrometheusTextThatPromtoolAccepts) {
    auto firm = make_firm("acme");
    auto client = make_client(firm, "Client");
    call("GET", "/api/v1/clients/" + client, firm.owner_token);
    call("GET", "/api/v1/clients/nope", firm.owner_token);
    for (int i = 0; i <= config.throttle.per_account_address; ++i) {
        call("POST", "/api/v1/auth/login", "", {{"email", "ghost@x.test"}, {"password", "wrong"}});
    }
    auto op = make_operator("op@platform.test");

    EXPECT_EQ(call("GET", "/api/v1/operator/metrics", firm.owner_token).status, 403);
    EXPECT_EQ(call("GET", "/api/v1/operator/metrics").status, 401);
    auto r = call("GET", "/api/v1/operator/metrics", op);
    ASSERT_EQ(r.status, 200);
    EXPECT_EQ(r.raw.content_type.rfind("text/plain; version=0.0.4", 0), 0u);
    const std::string& text = r.raw.body;
    // Route templates, not raw paths: the id never appears as a label.
    EXPECT_NE(text.find("cp_http_requests_total{method=\"GET\",route=\"/api/v1/clients/{id}\",status=\"200\"} 1"),
              std::string::npos)
        << text.substr(0, 2000);
    EXPECT_NE(text.find("route=\"/api/v1/clients/{id}\",status=\"404\"} 1"), std::string::npos);
    EXPECT_EQ(text.find(client), std::string::npos);
    EXPECT_NE(text.find("cp_events_total{kind=\"throttled\"} 1"), std::string::npos);
    EXPECT_NE(text.find("cp_events_total{kind=\"audit_append\"}"), std::string::npos);
    EXPECT_NE(text.find("cp_http_request_duration_seconds_bucket{route=\"/api/v1/clients/{id}\",le=\"0.005\"}"),
              std::string::npos);

    const auto path = std::filesystem::temp_directory_path() / ("cp-metrics-" + server::random_token().substr(0, 12));
    std::ofstream(path) << text;
    const std::string command = "promtool check metrics < " + path.string() + " > " + path.string() + ".out 2>&1";
    const int rc = std::system(command.c_str());
    std::ifstream out(path.string() + ".out");
    const std::string said((std::istreambuf_iterator<char>(out)), std::istreambuf_iterator<char>());
    std::filesystem::remove(path);
    std::filesystem::remove(path.string() + ".out");
    EXPECT_EQ(rc, 0) << "promtool: " << said;
}

}  // namespace
}  // namespace cp::test
