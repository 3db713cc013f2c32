// core_cli: the JSON-lines front of the domain core. Reads one JSON object per line from
// stdin, writes one JSON object per line to stdout (flushed per line, so it can be driven
// interactively), and carries on after bad lines. All logic is in
// shared/protocol/core_ops.cpp; this file only does the I/O the core may not do:
// reading stdin and the system zoneinfo. Built natively and with Emscripten (under node
// with NODERAWFS, so /usr/share/zoneinfo is the same files in both).
#include <cstdio>
#include <iostream>
#include <optional>
#include <string>

#include "shared/protocol/core_ops.hpp"

namespace {

constexpr const char* kZoneInfoDir = "/usr/share/zoneinfo/";
constexpr size_t kMaxZoneFileBytes = 1 << 20;

// `name` has passed cp::time::is_iana_zone_name (no "..", no leading '/') in ZoneCache.
// C stdio on purpose: libstdc++'s filebuf throws when the path is a directory
// ("America"), and exceptions must not be part of any expected path.
std::optional<std::string> read_zone_file(std::string_view name) {
    const std::string path = std::string(kZoneInfoDir) + std::string(name);
    std::FILE* f = std::fopen(path.c_str(), "rb");
    if (!f) return std::nullopt;
    std::string bytes;
    char buf[4096];
    size_t n = 0;
    while ((n = std::fread(buf, 1, sizeof buf, f)) > 0 && bytes.size() <= kMaxZoneFileBytes) {
        bytes.append(buf, n);
    }
    const bool failed = std::ferror(f) != 0 || bytes.size() > kMaxZoneFileBytes;
    std::fclose(f);
    if (failed) return std::nullopt;
    return bytes;
}

}  // namespace

int main() {
    std::ios::sync_with_stdio(false);
    cp::time::ZoneCache zones(read_zone_file);
    std::string line;
    while (std::getline(std::cin, line)) {
        if (!line.empty() && line.back() == '\r') line.pop_back();
        std::string out = cp::protocol::handle_core_line(line, zones);
        out.push_back('\n');
        std::fwrite(out.data(), 1, out.size(), stdout);
        std::fflush(stdout);
    }
    return 0;
}
