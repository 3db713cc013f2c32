#pragma once
// What an IANA zone name may look like. Also the guard for every zone loader, which turns
// the name into a file path: no "..", no leading '/', only tz database characters, and
// none of the zoneinfo files that are not zones (localtime, posixrules, Factory, posix/…).
#include <string_view>

namespace cp::time {

inline constexpr size_t kMaxZoneNameLength = 64;

bool is_iana_zone_name(std::string_view name);  // "America/New_York", "UTC", "Etc/GMT+5"

}  // namespace cp::time
