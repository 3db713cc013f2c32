#pragma once
// Time zones for the portal: TZif bytes fetched from its own files (web/zoneinfo, copied
// from the system tzdata at build time), parsed once per name by the core's reader and
// kept in StaffWorkspace::time. Names are checked with is_iana_zone_name before any fetch.
#include <functional>
#include <string>

#include "client/app/app_state.hpp"

namespace cp::portal {

using ZoneLoaded = std::function<void(AppState&)>;
// Starts fetching `name` unless it is known, loading or failed; `then` runs once it is parsed.
void ensure_zone(AppState& state, const std::string& name, ZoneLoaded then = {});
// The parsed zone, or nullptr while unknown.
const time::TimeZone* find_zone(const AppState& state, const std::string& name);
// An instant as "YYYY-MM-DD HH:MM" on the zone's wall clock.
std::string local_text(const time::TimeZone& zone, time::Instant t);

}  // namespace cp::portal
