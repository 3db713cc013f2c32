// The OpenAPI document lists every route of the table with its method and parameters.
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "server/api/handlers.hpp"
#include "server/http/router.hpp"
#include "tests/server/support.hpp"

namespace cp::test {
namespace {

class OpenApi : public ServerTest {};

TEST_F(OpenApi, EveryRouteIsDocumented) {
    auto r = call("GET", "/api/v1/openapi.json");
    ASSERT_EQ(r.status, 200);
    EXPECT_EQ(r.body["openapi"], "3.0.3");
    std::size_t operations = 0;
    for (const auto& route : server::route_table()) {
        std::string method = route.method;
        for (auto& c : method) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        ASSERT_TRUE(r.body["paths"].contains(route.pattern)) << route.pattern;
        ASSERT_TRUE(r.body["paths"][route.pattern].contains(method)) << route.method << " " << route.pattern;
        const auto& op = r.body["paths"][route.pattern][method];
        auto params = http::Router::params_of(route.pattern);
        json in_path = json::array();
        for (const auto& p : op["parameters"]) {
            if (p["in"] == "path") in_path.push_back(p);
        }
        ASSERT_EQ(in_path.size(), params.size()) << route.pattern;
        for (std::size_t i = 0; i < params.size(); ++i) EXPECT_EQ(in_path[i]["name"], params[i]);
        ++operations;
    }
    // ...and nothing else: the document has exactly the table's operations.
    std::size_t documented = 0;
    for (const auto& [path, ops] : r.body["paths"].items()) documented += ops.size();
    EXPECT_EQ(documented, operations);
}

// The document says which routes paginate; the server says so too, by rejecting limit=201.
// Both must agree for every GET route (each called as a caller who may use it).
TEST_F(OpenApi, PaginatedRoutesAreExactlyTheDocumentedOnes) {
    auto doc = call("GET", "/api/v1/openapi.json").body;
    auto firm = make_firm("acme");
    const std::string client = make_client(firm, "Client");
    const std::string portal = make_portal_user(firm, client, "p@client.test");
    const std::string op = make_operator("op@platform.test");
    int paginated = 0;
    for (const auto& route : server::route_table()) {
        if (std::string(route.method) != "GET") continue;
        std::string path = route.pattern;
        for (const auto& name : http::Router::params_of(path)) {
            path.replace(path.find("{" + name + "}"), name.size() + 2, client);
        }
        const std::string token = route.access == server::Access::portal      ? portal
                                  : route.access == server::Access::operator_ ? op
                                                                              : firm.owner_token;
        const auto answer = call("GET", path + "?limit=201", token).body;  // not JSON for /metrics
        const bool rejects = answer.is_object() && answer.contains("error") &&
                             answer["error"]["code"] == "INVALID_PAGINATION";
        bool documents = false;
        for (const auto& p : doc["paths"][route.pattern]["get"]["parameters"])
            documents |= p["name"] == "limit";
        EXPECT_EQ(rejects, documents) << route.pattern;
        paginated += documents;
    }
    EXPECT_GE(paginated, 12);
    // Every POST documents Idempotency-Key.
    for (const auto& [path, ops] : doc["paths"].items()) {
        if (!ops.contains("post")) continue;
        bool has_key = false;
        for (const auto& p : ops["post"]["parameters"]) has_key |= p["name"] == "Idempotency-Key";
        EXPECT_TRUE(has_key) << path;
    }
}

TEST_F(OpenApi, RouteTableHasNoDuplicates) {
    std::set<std::string> seen;
    for (const auto& route : server::route_table()) {
        EXPECT_TRUE(seen.insert(std::string(route.method) + " " + route.pattern).second) << route.pattern;
    }
}

TEST_F(OpenApi, ApiDocListsEveryRoute) {
    auto root = std::filesystem::path(__FILE__).parent_path().parent_path().parent_path();
    std::ifstream in(root / "docs" / "api.md");
    ASSERT_TRUE(in) << "docs/api.md not found from " << root;
    std::stringstream text;
    text << in.rdbuf();
    for (const auto& route : server::route_table()) {
        std::string row = std::string("| ") + route.method + " | `" + route.pattern + "` |";
        EXPECT_NE(text.str().find(row), std::string::npos) << "docs/api.md lacks " << row;
    }
}

}  // namespace
}  // namespace cp::test
