#include "server/http/static_files.hpp"

#include <cctype>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>

namespace cp::http {
namespace fs = std::filesystem;

std::string mime_type_for(std::string_view path) {
    auto dot = path.rfind('.');
    auto ext = dot == std::string_view::npos ? std::string_view{} : path.substr(dot);
    if (ext == ".html") return "text/html; charset=utf-8";
    if (ext == ".js" || ext == ".mjs") return "text/javascript; charset=utf-8";
    if (ext == ".wasm") return "application/wasm";
    if (ext == ".css") return "text/css; charset=utf-8";
    if (ext == ".json") return "application/json";
    if (ext == ".otf") return "font/otf";
    if (ext == ".ttf") return "font/ttf";
    if (ext == ".woff2") return "font/woff2";
    if (ext == ".png") return "image/png";
    if (ext == ".svg") return "image/svg+xml";
    if (ext == ".ico") return "image/x-icon";
    if (ext == ".txt") return "text/plain; charset=utf-8";
    return "application/octet-stream";
}

namespace {

std::string lower(std::string_view s) {
    std::string out(s);
    for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

std::string trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
    return std::string(s);
}

std::optional<std::string> read_file(const fs::path& file) {
    std::ifstream in(file, std::ios::binary);
    if (!in) return std::nullopt;
    std::ostringstream content;
    content << in.rdbuf();
    return content.str();
}

// FNV-1a over the bytes sent: the ETag changes exactly when they do.
std::string etag_of(const std::string& bytes, std::string_view coding) {
    std::uint64_t h = 1469598103934665603ull;
    for (unsigned char c : bytes) {
        h ^= c;
        h *= 1099511628211ull;
    }
    std::ostringstream out;
    out << '"' << std::hex << h << '-' << bytes.size();
    if (!coding.empty()) out << '-' << coding;
    out << '"';
    return out.str();
}

bool is_content_hashed(const std::string& filename) {
    static const std::regex hashed(R"(.+\.[0-9a-f]{10}\.[A-Za-z0-9]+)");
    return std::regex_match(filename, hashed);
}

bool is_compressible(std::string_view content_type) {
    return content_type.rfind("text/", 0) == 0 || content_type == "application/wasm" ||
           content_type == "application/json" || content_type == "font/otf" || content_type == "font/ttf" ||
           content_type == "image/svg+xml";
}

bool wants_page(const Request& request) {
    auto accept = request.header("accept");
    return accept && lower(*accept).find("text/html") != std::string::npos;
}

bool if_none_match(const Request& request, const std::string& etag) {
    auto header = request.header("if-none-match");
    if (!header) return false;
    std::string_view rest = *header;
    while (!rest.empty()) {
        auto comma = rest.find(',');
        std::string item = trim(rest.substr(0, comma));
        if (item.rfind("W/", 0) == 0) item = item.substr(2);
        if (item == etag || item == "*") return true;
        if (comma == std::string_view::npos) break;
        rest.remove_prefix(comma + 1);
    }
    return false;
}

}  // namespace

bool accepts_encoding(std::string_view accept_encoding, std::string_view coding) {
    std::string_view rest = accept_encoding;
    while (!rest.empty()) {
        auto comma = rest.find(',');
        std::string item = lower(trim(rest.substr(0, comma)));
        std::string name = item, params;
        if (auto semi = item.find(';'); semi != std::string::npos) {
            name = trim(std::string_view(item).substr(0, semi));
            params = item.substr(semi + 1);
        }
        if (name == coding || name == "*") {
            std::string q;
            for (char c : params) {
                if (c != ' ') q.push_back(c);
            }
            const bool refused = q.rfind("q=0", 0) == 0 && q.find_first_not_of("q=0.") == std::string::npos;
            return !refused;
        }
        if (comma == std::string_view::npos) break;
        rest.remove_prefix(comma + 1);
    }
    return false;
}

std::optional<Response> serve_static(const Request& request, const std::string& web_root) {
    if (request.method != "GET" && request.method != "HEAD") return std::nullopt;
    std::string relative = request.path == "/" ? "/index.html" : request.path;
    if (relative.find('\0') != std::string::npos) return std::nullopt;
    // Reject any dot-dot segment outright rather than trusting normalisation.
    for (std::size_t pos = 0; pos < relative.size();) {
        auto next = relative.find('/', pos + 1);
        auto segment = relative.substr(pos + 1, next == std::string::npos ? std::string::npos
                                                                           : next - pos - 1);
        if (segment == ".." || segment.find('\\') != std::string::npos) return std::nullopt;
        if (next == std::string::npos) break;
        pos = next;
    }
    // Compressed siblings are chosen here, never asked for by name.
    if (relative.size() > 3 && (relative.ends_with(".br") || relative.ends_with(".gz"))) return std::nullopt;

    std::error_code ec;
    auto root = fs::weakly_canonical(fs::path(web_root), ec);
    if (ec) return std::nullopt;
    auto file = fs::weakly_canonical(root / fs::path(relative).relative_path(), ec);
    if (ec) return std::nullopt;
    auto [root_end, unused] = std::mismatch(root.begin(), root.end(), file.begin(), file.end());
    if (root_end != root.end()) return std::nullopt;  // resolved outside the root
    if (!fs::is_regular_file(file, ec)) {
        // A deep link to a portal screen (/invoices): the page, which routes it itself.
        const auto last = relative.substr(relative.rfind('/') + 1);
        const bool looks_like_route = last.find('.') == std::string::npos && relative.rfind("/api/", 0) != 0;
        if (!looks_like_route || !wants_page(request)) return std::nullopt;
        file = root / "index.html";
        if (!fs::is_regular_file(file, ec)) return std::nullopt;
    }

    Response response;
    response.content_type = mime_type_for(file.string());
    const bool compressible = is_compressible(response.content_type);
    const std::string accept = request.header("accept-encoding").value_or("");
    std::string coding;
    std::optional<std::string> body;
    if (compressible) {
        for (const auto& [name, suffix] : {std::pair{"br", ".br"}, std::pair{"gzip", ".gz"}}) {
            if (!accepts_encoding(accept, name)) continue;
            auto sibling = file;
            sibling += suffix;
            if (!fs::is_regular_file(sibling, ec)) continue;
            body = read_file(sibling);
            if (body) {
                coding = name;
                break;
            }
        }
    }
    if (!body) body = read_file(file);
    if (!body) return std::nullopt;
    const std::string etag = etag_of(*body, coding);
    const std::string filename = file.filename().string();
    // index.html names the build's assets, so it must be revalidated; hashed names never
    // change content, so they are cached for a year; anything else briefly.
    response.set_header("Cache-Control", filename == "index.html"   ? "no-cache"
                                         : is_content_hashed(filename) ? "public, max-age=31536000, immutable"
                                                                        : "public, max-age=300");
    response.set_header("ETag", etag);
    if (compressible) response.set_header("Vary", "Accept-Encoding");
    if (!coding.empty()) response.set_header("Content-Encoding", coding);
    if (if_none_match(request, etag)) {
        response.status = 304;
        return response;
    }
    response.body = std::move(*body);
    return response;
}

}  // namespace cp::http
