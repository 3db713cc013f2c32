#include "client/app/zone_loader.hpp"

#include <cstdio>

#include "client/api/api_client.hpp"
#include "shared/time/zone_name.hpp"

namespace cp::portal {

void ensure_zone(AppState& state, const std::string& name, ZoneLoaded then) {
    auto& tw = state.staff.time;
    if (name.empty() || tw.zones.count(name) || tw.zones_loading.count(name) || tw.zone_errors.count(name)) return;
    if (!time::is_iana_zone_name(name)) {
        tw.zone_errors[name] = {"INVALID_TIME_ZONE", "time_zone", "not a time zone name"};
        return;
    }
    tw.zones_loading.insert(name);
    api_request("GET", "/zoneinfo/" + name, "", "", [name, then](AppState& s, const ApiResult& r) {
        auto& t = s.staff.time;
        t.zones_loading.erase(name);
        if (r.status != 200) {
            t.zone_errors[name] = {"UNKNOWN_TIME_ZONE", "time_zone", "no zone data for " + name};
            return;
        }
        auto zone = time::TimeZone::from_tzif(r.body);
        if (!zone) {
            t.zone_errors[name] = zone.error();
            return;
        }
        t.zones.emplace(name, std::move(zone).value());
        if (then) then(s);
    });
}

const time::TimeZone* find_zone(const AppState& state, const std::string& name) {
    auto it = state.staff.time.zones.find(name);
    return it == state.staff.time.zones.end() ? nullptr : &it->second;
}

std::string local_text(const time::TimeZone& zone, time::Instant t) {
    const time::LocalSeconds local = zone.to_local(t);
    const auto day = time::civil_from_days(time::floor_div(local, 86400));
    const long long secs = local - time::floor_div(local, 86400) * 86400;
    char hm[8];
    std::snprintf(hm, sizeof hm, "%02lld:%02lld", secs / 3600, (secs / 60) % 60);
    return time::format_iso_date(day) + " " + hm;
}

}  // namespace cp::portal
