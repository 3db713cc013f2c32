#include "server/http/security_headers.hpp"

#include <string>
#include <utility>
#include <vector>

namespace cp::http {

const char* const kPortalContentSecurityPolicy =
    "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; "
    "frame-ancestors 'none'";

namespace {
using Headers = std::vector<std::pair<std::string, std::string>>;

// Copied from prebuilt strings: g++ 12 -O2 reports a false -Warray-bounds when short
// literals are turned into std::string inline here.
const Headers& headers_for(bool document) {
    static const Headers common = {{"X-Content-Type-Options", "nosniff"},
                                   {"Referrer-Policy", "no-referrer"},
                                   {"X-Frame-Options", "DENY"}};
    static const Headers for_document = [] {
        Headers h = common;
        h.emplace_back("Content-Security-Policy", kPortalContentSecurityPolicy);
        return h;
    }();
    static const Headers for_data = [] {
        Headers h = common;
        h.emplace_back("Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'");
        return h;
    }();
    return document ? for_document : for_data;
}
}  // namespace

void add_security_headers(Response& response) {
    const bool document = response.content_type.rfind("text/html", 0) == 0;
    for (const auto& h : headers_for(document)) response.headers.push_back(h);
}

}  // namespace cp::http
