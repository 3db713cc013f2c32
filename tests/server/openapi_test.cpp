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
        ASSERT_EQ(op["parameters"].size(), params.size()) << route.pattern;
        for (std::size_t i = 0; i < params.size(); ++i) EXPECT_EQ(op["parameters"][i]["name"], params[i]);
        ++operations;
    }
    // ...and nothing else: the document has exactly the table's operations.
    std::size_t documented = 0;
    for (const auto& [path, ops] : r.body["paths"].items()) documented += ops.size();
    EXPECT_EQ(documented, operations);
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
