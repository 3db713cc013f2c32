#include "server/util/zoneinfo.hpp"

#include <cstdio>

namespace cp::server {

namespace {
constexpr size_t kMaxZoneFileBytes = 1 << 20;
}

// C stdio on purpose: a directory ("America") must read as "no zone", not throw.
std::optional<std::string> read_zone_file(std::string_view name) {
    const std::string path = std::string(kZoneInfoDir) + std::string(name);
    std::FILE* f = std::fopen(path.c_str(), "rb");
    if (!f) return std::nullopt;
    std::string bytes;
    char buf[4096];
    size_t n = 0;
    while (bytes.size() <= kMaxZoneFileBytes && (n = std::fread(buf, 1, sizeof buf, f)) > 0) {
        bytes.append(buf, n);
    }
    const bool failed = std::ferror(f) != 0 || bytes.size() > kMaxZoneFileBytes;
    std::fclose(f);
    if (failed) return std::nullopt;
    return bytes;
}

bool time_zone_installed(std::string_view name) {
    // Only the TZif magic: existence is all a create or update needs, not the zone's rules.
    const std::string path = std::string(kZoneInfoDir) + std::string(name);
    std::FILE* f = std::fopen(path.c_str(), "rb");
    if (!f) return false;
    char magic[4] = {};
    const bool tzif =
        std::fread(magic, 1, sizeof magic, f) == sizeof magic && std::string_view(magic, 4) == "TZif";
    std::fclose(f);
    return tzif;
}

}  // namespace cp::server
