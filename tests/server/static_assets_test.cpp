// The portal's files on the wire: pre-compressed siblings chosen by Accept-Encoding, ETags
// and 304s, a year of caching only for content-hashed names, and deep links answered with
// the page instead of a JSON 404.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <optional>
#include <string>

#include <unistd.h>

#include "server/http/static_files.hpp"

namespace cp::http {
namespace {

class StaticAssets : public ::testing::Test {
protected:
    void SetUp() override {
        // The pid keeps two suites' processes apart: ctest runs this binary for SQLite and
        // PostgreSQL at once, and under ASan both fixtures get the same address.
        root_ = std::filesystem::temp_directory_path() /
                ("cp-assets-" + std::to_string(::getpid()) + "-" +
                 std::to_string(reinterpret_cast<std::uintptr_t>(this)));
        std::filesystem::create_directories(root_ / "fonts");
        write("index.html", "<html>portal</html>");
        write("portal.0123456789.js", "console.log('plain');");
        write("portal.0123456789.js.br", "BROTLI-BYTES");
        write("portal.0123456789.js.gz", "GZIP-BYTES");
        write("portal.js", "console.log('plain');");
        write("fonts/latin.abcdef0123.otf", "OTF");
    }
    void TearDown() override { std::filesystem::remove_all(root_); }
    void write(const std::string& name, const std::string& bytes) {
        std::ofstream(root_ / name, std::ios::binary) << bytes;
    }
    std::optional<Response> get(const std::string& path, std::map<std::string, std::string> headers = {}) {
        Request request;
        request.method = "GET";
        request.path = path;
        request.headers = std::move(headers);
        return serve_static(request, root_.string());
    }
    static std::string header(const Response& r, const std::string& name) {
        for (const auto& [k, v] : r.headers) {
            if (k == name) return v;
        }
        return {};
    }
    std::filesystem::path root_;
};

TEST_F(StaticAssets, BrotliWhenAcceptedThenGzipThenIdentity) {
    auto br = get("/portal.0123456789.js", {{"accept-encoding", "gzip, deflate, br"}});
    ASSERT_TRUE(br);
    EXPECT_EQ(br->body, "BROTLI-BYTES");
    EXPECT_EQ(header(*br, "Content-Encoding"), "br");
    EXPECT_EQ(header(*br, "Vary"), "Accept-Encoding");
    EXPECT_EQ(br->content_type, "text/javascript; charset=utf-8");

    auto gz = get("/portal.0123456789.js", {{"accept-encoding", "gzip"}});
    ASSERT_TRUE(gz);
    EXPECT_EQ(gz->body, "GZIP-BYTES");
    EXPECT_EQ(header(*gz, "Content-Encoding"), "gzip");

    auto refused = get("/portal.0123456789.js", {{"accept-encoding", "br;q=0, gzip;q=0"}});
    ASSERT_TRUE(refused);
    EXPECT_EQ(refused->body, "console.log('plain');");
    EXPECT_EQ(header(*refused, "Content-Encoding"), "");
    EXPECT_EQ(header(*refused, "Vary"), "Accept-Encoding");

    auto none = get("/portal.0123456789.js");
    ASSERT_TRUE(none);
    EXPECT_EQ(none->body, "console.log('plain');");
}

TEST_F(StaticAssets, SiblingsAreNeverServedByName) {
    EXPECT_FALSE(get("/portal.0123456789.js.br"));
    EXPECT_FALSE(get("/portal.0123456789.js.gz"));
}

TEST_F(StaticAssets, EtagsDifferPerEncodingAndRevalidateTo304) {
    auto br = get("/portal.0123456789.js", {{"accept-encoding", "br"}});
    auto plain = get("/portal.0123456789.js");
    ASSERT_TRUE(br && plain);
    const auto etag = header(*br, "ETag");
    ASSERT_FALSE(etag.empty());
    EXPECT_NE(etag, header(*plain, "ETag"));
    auto again = get("/portal.0123456789.js", {{"accept-encoding", "br"}, {"if-none-match", "\"x\", " + etag}});
    ASSERT_TRUE(again);
    EXPECT_EQ(again->status, 304);
    EXPECT_TRUE(again->body.empty());
    auto changed = get("/portal.0123456789.js", {{"accept-encoding", "br"}, {"if-none-match", "\"other\""}});
    EXPECT_EQ(changed->status, 200);
}

TEST_F(StaticAssets, OnlyContentHashedNamesAreCachedForAYear) {
    EXPECT_EQ(header(*get("/portal.0123456789.js"), "Cache-Control"), "public, max-age=31536000, immutable");
    EXPECT_EQ(header(*get("/fonts/latin.abcdef0123.otf"), "Cache-Control"), "public, max-age=31536000, immutable");
    EXPECT_EQ(header(*get("/portal.js"), "Cache-Control"), "public, max-age=300");
    EXPECT_EQ(header(*get("/"), "Cache-Control"), "no-cache");
}

TEST_F(StaticAssets, DeepLinksForPagesGetTheShellOthersStayUnanswered) {
    auto page = get("/invoices", {{"accept", "text/html,application/xhtml+xml"}});
    ASSERT_TRUE(page);
    EXPECT_EQ(page->status, 200);
    EXPECT_EQ(page->body, "<html>portal</html>");
    EXPECT_EQ(header(*page, "Cache-Control"), "no-cache");
    EXPECT_TRUE(get("/invoices/inv_123", {{"accept", "text/html"}}));
    // Not a page request, a missing file, or the API: left to the app's JSON 404.
    EXPECT_FALSE(get("/invoices", {{"accept", "application/json"}}));
    EXPECT_FALSE(get("/missing.js", {{"accept", "text/html"}}));
    EXPECT_FALSE(get("/api/v1/nothing", {{"accept", "text/html"}}));
    EXPECT_FALSE(get("/../invoices", {{"accept", "text/html"}}));
}

TEST(AcceptEncoding, ListsWildcardsAndZeroQuality) {
    EXPECT_TRUE(accepts_encoding("gzip, deflate, br", "br"));
    EXPECT_TRUE(accepts_encoding("BR;q=0.5", "br"));
    EXPECT_TRUE(accepts_encoding("*", "gzip"));
    EXPECT_FALSE(accepts_encoding("br;q=0", "br"));
    EXPECT_FALSE(accepts_encoding("br; q=0.000", "br"));
    EXPECT_FALSE(accepts_encoding("gzip", "br"));
    EXPECT_FALSE(accepts_encoding("", "br"));
}

}  // namespace
}  // namespace cp::http
