#include "shared/schedule/overdue.hpp"

namespace cp::schedule {

int64_t days_past_due(const time::Date& due, time::Instant now, const time::TimeZone& client_zone) {
    return time::days_from_civil(client_zone.local_date(now)) - time::days_from_civil(due);
}

std::string_view aging_bucket(int64_t days) {
    if (days <= 0) return "current";
    if (days <= 30) return "1_30";
    if (days <= 60) return "31_60";
    if (days <= 90) return "61_90";
    return "over_90";
}

}  // namespace cp::schedule
