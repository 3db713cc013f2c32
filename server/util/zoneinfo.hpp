#pragma once
// The system's IANA zone data (Debian's tzdata). The core checks what a zone name may look
// like but may do no I/O, so reading zones is done here: for the server (a client stored with
// a zone that has no data would break its overdue and retry dates later) and for the core
// CLI and fuzz targets, natively and in Wasm under node (NODERAWFS), which compile this file.
// Only <cstdio>: nothing of the server's HTTP or storage.
#include <optional>
#include <string>
#include <string_view>

namespace cp::server {

inline constexpr const char* kZoneInfoDir = "/usr/share/zoneinfo/";

// The TZif bytes of `name`, which must already have passed cp::time::is_iana_zone_name
// (so it cannot leave kZoneInfoDir); nullopt when there is no such zone file.
std::optional<std::string> read_zone_file(std::string_view name);

// Whether `name` (a valid zone name) has TZif data installed.
bool time_zone_installed(std::string_view name);

}  // namespace cp::server
