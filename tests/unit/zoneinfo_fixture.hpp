#pragma once
// Tests (not shared/) may read the system zoneinfo: the same files the CLIs load.
#include <cstdio>
#include <optional>
#include <string>
#include <string_view>

#include "shared/time/time_zone.hpp"

// C stdio: libstdc++'s filebuf throws when the path is a directory.
inline std::optional<std::string> read_system_zone(std::string_view name) {
    std::FILE* f = std::fopen(("/usr/share/zoneinfo/" + std::string(name)).c_str(), "rb");
    if (!f) return std::nullopt;
    std::string bytes;
    char buf[4096];
    size_t n = 0;
    while ((n = std::fread(buf, 1, sizeof buf, f)) > 0) bytes.append(buf, n);
    const bool failed = std::ferror(f) != 0;
    std::fclose(f);
    if (failed) return std::nullopt;
    return bytes;
}

inline cp::time::TimeZone load_zone(std::string_view name) {
    auto bytes = read_system_zone(name);
    if (!bytes) return cp::time::TimeZone::fixed(0, "missing");
    auto tz = cp::time::TimeZone::from_tzif(*bytes);
    return tz ? std::move(tz).value() : cp::time::TimeZone::fixed(0, "bad");
}
