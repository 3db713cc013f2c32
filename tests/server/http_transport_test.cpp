// The Beast transport over real loopback sockets: limits, malformed input, static files.
#include <gtest/gtest.h>

#include <atomic>
#include <condition_variable>
#include <filesystem>
#include <mutex>
#include <thread>
#include <unistd.h>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>

#include "server/http/beast_pch.hpp"
#include "server/http/request_target.hpp"
#include "server/http/security_headers.hpp"
#include "server/http/static_files.hpp"
#include "server/http/transport.hpp"

namespace cp::http {
namespace {

// Writes `bytes` as they are and reads until the server closes (or 5 s pass): for requests
// the test client could not produce, and to see everything the server sent back.
std::string raw_exchange(std::uint16_t port, const std::string& bytes) {
    namespace asio = boost::asio;
    asio::io_context io;
    asio::ip::tcp::socket socket(io);
    socket.connect({asio::ip::make_address("127.0.0.1"), port});
    asio::write(socket, asio::buffer(bytes));
    socket.shutdown(asio::ip::tcp::socket::shutdown_send);
    std::string out;
    char chunk[4096];
    boost::system::error_code ec;
    for (;;) {
        auto n = socket.read_some(asio::buffer(chunk), ec);
        out.append(chunk, n);
        if (ec) break;
    }
    return out;
}

int count_of(const std::string& haystack, const std::string& needle) {
    int n = 0;
    for (auto pos = haystack.find(needle); pos != std::string::npos; pos = haystack.find(needle, pos + 1)) ++n;
    return n;
}

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

const std::string kWasmHeader("\0asm\1\0\0\0", 8);

class StaticFiles : public ::testing::Test {
protected:
    void SetUp() override {
        root_ = std::filesystem::temp_directory_path() /
                ("cp-static-" + std::to_string(::getpid()) + "-" +
                 std::to_string(reinterpret_cast<std::uintptr_t>(this)));
        std::filesystem::create_directories(root_ / "web");
        std::ofstream(root_ / "web" / "index.html") << "<html>portal</html>";
        // The Wasm magic and version: 8 bytes, starting with a NUL (streaming the literal "\0asm"
        // stops at its first byte and writes nothing).
        std::ofstream(root_ / "web" / "portal.wasm", std::ios::binary) << kWasmHeader;
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
    ASSERT_EQ(kWasmHeader.size(), 8u);
    EXPECT_EQ(wasm->body, kWasmHeader);  // binary and byte for byte, NUL included
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

namespace cp::http {
namespace {

// RFC 9112 §6: an unknown coding beside Content-Length must not be framed by the length
// (the bytes after it would run as a second, smuggled request).
TEST(HttpFraming, UnknownTransferEncodingWithContentLengthIsRefusedAndClosed) {
    TestServer server(echo);
    const std::string smuggled = "GET /smuggled HTTP/1.1\r\nHost: x\r\n\r\n";
    const std::string body = "0\r\n\r\n" + smuggled;
    auto out = raw_exchange(server.port(), "POST /first HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: xchunked\r\n"
                                           "Content-Length: 5\r\n\r\n" + body);
    EXPECT_EQ(out.rfind("HTTP/1.1 400", 0), 0u) << out;
    EXPECT_NE(out.find("MALFORMED_REQUEST"), std::string::npos);
    EXPECT_EQ(out.find("/smuggled"), std::string::npos) << "the trailing bytes ran as a request";
    EXPECT_EQ(count_of(out, "HTTP/1.1 "), 1) << out;
}

TEST(HttpFraming, OnlyAFinalChunkedIsAccepted) {
    TestServer server(echo);
    for (const char* coding : {"chunked, identity", "identity", "gzip, chunked", "chunked, chunked"}) {
        auto out = raw_exchange(server.port(), std::string("POST /x HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: ") +
                                                   coding + "\r\n\r\n5\r\nhello\r\n0\r\n\r\n");
        EXPECT_EQ(out.rfind("HTTP/1.1 400", 0), 0u) << coding << ": " << out;
        EXPECT_EQ(count_of(out, "HTTP/1.1 "), 1) << coding;
    }
    // Two Transfer-Encoding lines are one list: "chunked" then "identity" is not final chunked.
    auto split = raw_exchange(server.port(), "POST /x HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n"
                                             "Transfer-Encoding: identity\r\n\r\n5\r\nhello\r\n0\r\n\r\n");
    EXPECT_EQ(split.rfind("HTTP/1.1 400", 0), 0u) << split;
    auto both = raw_exchange(server.port(), "POST /x HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n"
                                            "Content-Length: 10\r\n\r\n5\r\nhello\r\n0\r\n\r\n");
    EXPECT_EQ(both.rfind("HTTP/1.1 400", 0), 0u) << both;
    // Plain chunked (any letter case) still works and its body is read whole.
    auto ok = raw_exchange(server.port(), "POST /x HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: Chunked\r\n"
                                          "Connection: close\r\n\r\n5\r\nhello\r\n0\r\n\r\n");
    EXPECT_EQ(ok.rfind("HTTP/1.1 200", 0), 0u) << ok;
    EXPECT_NE(ok.find("POST /x q= len=5"), std::string::npos) << ok;
}

TEST(SecurityHeaders, EveryResponseCarriesThemAndDocumentsGetThePortalPolicy) {
    TestServer server([](const Request& r) {
        Response out;
        if (r.path == "/page") {
            out.content_type = "text/html; charset=utf-8";
            out.body = "<html></html>";
        } else {
            out.body = "{}";
        }
        return out;
    });
    auto headers_of = [&](const std::string& path) {
        auto r = request(server.port(), "GET", path);
        return std::map<std::string, std::string>(r.headers.begin(), r.headers.end());
    };
    for (const std::string path : {"/page", "/data"}) {
        auto h = headers_of(path);
        EXPECT_EQ(h["x-content-type-options"], "nosniff") << path;
        EXPECT_EQ(h["referrer-policy"], "no-referrer") << path;
        EXPECT_NE(h["content-security-policy"].find("frame-ancestors 'none'"), std::string::npos) << path;
    }
    auto page = headers_of("/page")["content-security-policy"];
    EXPECT_EQ(page, kPortalContentSecurityPolicy);
    EXPECT_NE(page.find("script-src 'self' 'wasm-unsafe-eval'"), std::string::npos);
    EXPECT_EQ(page.find("unsafe-inline"), std::string::npos);
    EXPECT_EQ(headers_of("/data")["content-security-policy"], "default-src 'none'; frame-ancestors 'none'");
    // The transport's own errors too.
    auto big = request(server.port(), "GET", "/bad%zz");
    std::map<std::string, std::string> h(big.headers.begin(), big.headers.end());
    EXPECT_EQ(h["x-content-type-options"], "nosniff");
}

// A handler that blocks (a slow query, a password hash) holds a worker, never an I/O thread:
// other requests are still read and answered.
TEST(HttpTransport, ABlockedHandlerDoesNotStopOtherRequests) {
    std::mutex m;
    std::condition_variable cv;
    bool release = false;
    std::atomic<bool> slow_done{false};
    ServeOptions options;
    options.threads = 1;
    options.workers = 2;
    TestServer server(
        [&](const Request& r) {
            if (r.path == "/slow") {
                std::unique_lock lock(m);
                // Bounded, so a transport that runs handlers on its one I/O thread fails
                // the check below instead of hanging.
                cv.wait_for(lock, std::chrono::seconds(5), [&] { return release; });
                slow_done = true;
            }
            return echo(r);
        },
        options);
    std::thread slow([&] { EXPECT_EQ(request(server.port(), "GET", "/slow").status, 200); });
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    EXPECT_EQ(request(server.port(), "GET", "/fast").body, "GET /fast q= len=0");
    EXPECT_FALSE(slow_done) << "the fast request waited for the slow one";
    {
        std::lock_guard lock(m);
        release = true;
    }
    cv.notify_all();
    slow.join();
}

}  // namespace
}  // namespace cp::http
