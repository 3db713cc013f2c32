#include "server/http/static_files.hpp"

#include <filesystem>
#include <fstream>
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

    std::error_code ec;
    auto root = fs::weakly_canonical(fs::path(web_root), ec);
    if (ec) return std::nullopt;
    auto file = fs::weakly_canonical(root / fs::path(relative).relative_path(), ec);
    if (ec) return std::nullopt;
    auto [root_end, unused] = std::mismatch(root.begin(), root.end(), file.begin(), file.end());
    if (root_end != root.end()) return std::nullopt;  // resolved outside the root
    if (!fs::is_regular_file(file, ec)) return std::nullopt;

    std::ifstream in(file, std::ios::binary);
    if (!in) return std::nullopt;
    std::ostringstream content;
    content << in.rdbuf();

    Response response;
    response.content_type = mime_type_for(file.string());
    response.body = content.str();
    // index.html names the build's assets, so it must be revalidated; assets may be cached briefly.
    response.set_header("Cache-Control", file.filename() == "index.html" ? "no-cache" : "public, max-age=300");
    return response;
}

}  // namespace cp::http
