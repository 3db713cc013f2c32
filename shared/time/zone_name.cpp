#include "shared/time/zone_name.hpp"

namespace cp::time {

namespace {
bool is_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool is_digit(char c) { return c >= '0' && c <= '9'; }
}  // namespace

bool is_iana_zone_name(std::string_view s) {
    // Files in zoneinfo that are not zones: the host's own setting ("localtime"), the POSIX
    // fallback rules, tzcode's placeholder, and the alternate trees (same zones again, or
    // with leap seconds counted, which no civil clock uses).
    for (std::string_view not_a_zone : {"localtime", "posixrules", "Factory"}) {
        if (s == not_a_zone) return false;
    }
    for (std::string_view tree : {"posix/", "right/"}) {
        if (s.substr(0, tree.size()) == tree) return false;
    }
    if (s.empty() || s.size() > kMaxZoneNameLength || s.front() == '/' || s.back() == '/') return false;
    if (s.find("..") != std::string_view::npos || s.find("//") != std::string_view::npos) return false;
    bool segment_start = true;
    for (char c : s) {
        // Each path segment starts with a letter, so "." and "-x" never reach the filesystem.
        if (segment_start && !is_alpha(c)) return false;
        segment_start = c == '/';
        if (!is_alpha(c) && !is_digit(c) && c != '/' && c != '_' && c != '-' && c != '+') return false;
    }
    return true;
}

}  // namespace cp::time
