#include "server/http/router.hpp"

namespace cp::http {
namespace {

std::vector<std::string> split_path(std::string_view path) {
    std::vector<std::string> out;
    std::size_t start = 1;  // paths begin with '/'
    if (path.empty() || path[0] != '/') return out;
    while (start <= path.size()) {
        std::size_t end = path.find('/', start);
        if (end == std::string_view::npos) end = path.size();
        out.emplace_back(path.substr(start, end - start));
        start = end + 1;
    }
    return out;
}

bool is_param(const std::string& segment) {
    return segment.size() > 2 && segment.front() == '{' && segment.back() == '}';
}

}  // namespace

std::size_t Router::add(std::string method, std::string pattern) {
    entries_.push_back({std::move(method), split_path(pattern)});
    return entries_.size() - 1;
}

std::optional<Router::Match> Router::match(std::string_view method, std::string_view path, Miss* miss) const {
    auto segments = split_path(path);
    bool path_matched = false;
    for (std::size_t i = 0; i < entries_.size(); ++i) {
        const auto& e = entries_[i];
        if (e.segments.size() != segments.size()) continue;
        Match m{i, {}};
        bool ok = true;
        for (std::size_t s = 0; s < segments.size() && ok; ++s) {
            if (is_param(e.segments[s])) {
                // An empty parameter ("/clients/") never matches.
                if (segments[s].empty())
                    ok = false;
                else
                    m.params[e.segments[s].substr(1, e.segments[s].size() - 2)] = segments[s];
            } else if (e.segments[s] != segments[s]) {
                ok = false;
            }
        }
        if (!ok) continue;
        path_matched = true;
        // HEAD is GET without the body (the transport drops it) on every GET route.
        if (e.method == method || (method == "HEAD" && e.method == "GET")) return m;
    }
    if (miss) *miss = path_matched ? Miss::method_not_allowed : Miss::not_found;
    return std::nullopt;
}

std::vector<std::string> Router::params_of(std::string_view pattern) {
    std::vector<std::string> out;
    for (auto& s : split_path(pattern)) {
        if (is_param(s)) out.push_back(s.substr(1, s.size() - 2));
    }
    return out;
}

}  // namespace cp::http
