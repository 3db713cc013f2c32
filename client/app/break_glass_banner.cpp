#include "client/app/break_glass_banner.hpp"

#include <chrono>
#include <cstdio>

#include "client/api/api_client.hpp"

namespace cp::portal {

double iso_utc_to_ms(const std::string& iso) {
    int y = 0, mo = 0, d = 0, h = 0, mi = 0, s = 0;
    if (std::sscanf(iso.c_str(), "%4d-%2d-%2dT%2d:%2d:%2d", &y, &mo, &d, &h, &mi, &s) != 6) return 0;
    using namespace std::chrono;
    const year_month_day date{year{y}, month{static_cast<unsigned>(mo)}, day{static_cast<unsigned>(d)}};
    if (!date.ok()) return 0;
    const auto days = sys_days{date}.time_since_epoch().count();
    const double seconds = static_cast<double>(days) * 86400.0 + h * 3600.0 + mi * 60.0 + s;
    return seconds * 1000.0;
}

void update_break_glass(BreakGlassBanner& banner, const std::string& header) {
    auto j = parse_answer(header);
    auto text = [&](const char* key) {
        return j.is_object() && j.contains(key) && j[key].is_string() ? j[key].get<std::string>() : std::string{};
    };
    if (header.empty() || !j.is_object() || text("session_id").empty()) {
        if (!banner.revoking) banner = {};
        return;
    }
    const bool revoking = banner.revoking && banner.session_id == text("session_id");
    banner.session_id = text("session_id");
    banner.operator_email = text("operator");
    banner.operator_name = text("operator_name");
    banner.reason = text("reason");
    banner.expires_at_ms = iso_utc_to_ms(text("expires_at"));
    banner.revoking = revoking;
}

std::string time_left_text(double ms_left) {
    const long total = ms_left <= 0 ? 0 : static_cast<long>(ms_left / 1000.0);
    char out[48];
    if (total >= 3600) {
        std::snprintf(out, sizeof out, "%ld h %02ld min", total / 3600, (total % 3600) / 60);
    } else if (total >= 60) {
        std::snprintf(out, sizeof out, "%ld min %02ld s", total / 60, total % 60);
    } else {
        std::snprintf(out, sizeof out, "%ld s", total);
    }
    return out;
}

}  // namespace cp::portal
