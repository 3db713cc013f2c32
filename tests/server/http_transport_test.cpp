// The Beast transport over real loopback sockets: limits, malformed input, static files.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>

#include "server/http/request_target.hpp"
#include "server/http/static_files.hpp"
#include "server/http/transport.hpp"

namespace cp::http {
namespace {

Response echo(const Request& request) {
    Response r;
    r.body = request.method + " " + request.path +
             " q=" + (request.query.count("q") ? request.query.at("q") : "") +
             " len=" + std::to_string(request.body.size());
    r.content_type = "text/plain";
    return r;
}

TEST(HttpTransport, RoundTripsAndDecodesTheTarget) {
    TestServer server(echo);
    auto r = request(server.port(), "GET", "/a%20b/c?q=x+y%26z");
    EXPECT_EQ(r.status, 200);
    EXPECT_EQ(r.body, "GET /a b/c q=x y&z len=0");
}

TEST(HttpTransport, HeadSendsGetsHeadersWithoutTheBody) {
    TestServer server([](const Request&) {
        Response r;
        r.body = "the same bytes for GET and HEAD";
        r.content_type = "text/plain";
        return r;
    });
    auto get = request(server.port(), "GET", "/file");
    auto head = request(server.port(), "HEAD", "/file");
    EXPECT_EQ(head.status, 200);
    EXPECT_TRUE(head.body.empty());
    std::map<std::string, std::string> headers(head.headers.begin(), head.headers.end());
    EXPECT_EQ(headers["content-length"], std::to_string(get.body.size()));
    EXPECT_EQ(headers["content-type"], "text/plain");
}

TEST(HttpTransport, RejectsABodyOverTheLimitWith413) {
    ServeOptions options;
    options.body_limit = 1000;
    TestServer server(echo, options);
    auto ok = request(server.port(), "POST", "/x", {}, std::string(1000, 'a'));
    EXPECT_EQ(ok.status, 200);
    auto r = request(server.port(), "POST", "/x", {}, std::string(1001, 'a'));
    EXPECT_EQ(r.status, 413);
    EXPECT_NE(r.body.find("\"PAYLOAD_TOO_LARGE\""), std::string::npos);
    // The app's error shape, though the app never saw the request.
    auto body = nlohmann::json::parse(r.body);
    EXPECT_EQ(body["errors"][0], body["error"]);
    bool has_request_id = false;
    for (const auto& [name, value] : r.headers) has_request_id = has_request_id || name == "x-request-id";
    EXPECT_TRUE(has_request_id);
}

TEST(HttpTransport, RejectsHeadersOverTheLimitWith431) {
    ServeOptions options;
    options.header_limit = 2048;
    TestServer server(echo, options);
    auto r = request(server.port(), "GET", "/x", {{"X-Big", std::string(4096, 'h')}});
    EXPECT_EQ(r.status, 431);
    EXPECT_NE(r.body.find("\"HEADERS_TOO_LARGE\""), std::string::npos);
}

TEST(HttpTransport, AnswersAMalformedTargetWith400) {
    TestServer server(echo);
    auto r = request(server.port(), "GET", "/bad%zz");
    EXPECT_EQ(r.status, 400);
    EXPECT_NE(r.body.find("\"MALFORMED_REQUEST\""), std::string::npos);
}

TEST(HttpTransport, TurnsAHandlerExceptionInto500) {
    TestServer server([](const Request&) -> Response { throw std::runtime_error("boom"); });
    auto r = request(server.port(), "GET", "/");
    EXPECT_EQ(r.status, 500);
    EXPECT_NE(r.body.find("\"INTERNAL_ERROR\""), std::string::npos);
}

TEST(RequestTarget, RejectsEncodedNulAndTruncatedEscapes) {
    EXPECT_FALSE(parse_target("/a%00b"));
    EXPECT_FALSE(parse_target("/a%4"));
    EXPECT_FALSE(parse_target("no-leading-slash"));
    auto ok = parse_target("/p?a=1&b=&c");
    ASSERT_TRUE(ok);
    EXPECT_EQ(ok->query.at("a"), "1");
    EXPECT_EQ(ok->query.at("b"), "");
    EXPECT_EQ(ok->query.count("c"), 1u);
}

class StaticFiles : public ::testing::Test {
protected:
    void SetUp() override {
        root_ = std::filesystem::temp_directory_path() /
                ("cp-static-" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()) +
                 std::to_string(reinterpret_cast<std::uintptr_t>(this)));
        std::filesystem::create_directories(root_ / "web");
        std::ofstream(root_ / "web" / "index.html") << "<html>portal</html>";
        std::ofstream(root_ / "web" / "portal.wasm") << "\0asm";
        std::ofstream(root_ / "secret.txt") << "secret";
        std::filesystem::create_symlink(root_ / "secret.txt", root_ / "web" / "link.txt");
    }
    void TearDown() override { std::filesystem::remove_all(root_); }

    std::optional<Response> get(const std::string& path) {
        Request request;
        request.method = "GET";
        request.path = path;
        return serve_static(request, (root_ / "web").string());
    }
    std::filesystem::path root_;
};

TEST_F(StaticFiles, ServesIndexAndWasmWithTheirMimeTypes) {
    auto index = get("/");
    ASSERT_TRUE(index);
    EXPECT_EQ(index->body, "<html>portal</html>");
    EXPECT_EQ(index->content_type, "text/html; charset=utf-8");
    auto wasm = get("/portal.wasm");
    ASSERT_TRUE(wasm);
    EXPECT_EQ(wasm->content_type, "application/wasm");
}

TEST_F(StaticFiles, NeverServesOutsideTheRoot) {
    EXPECT_FALSE(get("/../secret.txt"));
    EXPECT_FALSE(get("/a/../../secret.txt"));
    EXPECT_FALSE(get("/link.txt"));  // a symlink pointing out of the root
    EXPECT_FALSE(get("//etc/passwd"));
    EXPECT_FALSE(get("/missing.js"));
}

TEST_F(StaticFiles, TraversalOverRealHttpGets404FromTheFallback) {
    auto web = (root_ / "web").string();
    TestServer server([web](const Request& request) {
        if (auto file = serve_static(request, web)) return *file;
        Response r;
        r.status = 404;
        r.body = R"({"error":{"code":"NOT_FOUND","field":"","message":"Not found."}})";
        return r;
    });
    EXPECT_EQ(request(server.port(), "GET", "/index.html").status, 200);
    EXPECT_EQ(request(server.port(), "GET", "/%2e%2e/secret.txt").status, 404);
    EXPECT_EQ(request(server.port(), "GET", "/..%2fsecret.txt").status, 404);
}

}  // namespace
}  // namespace cp::http
