#include "shared/time/civil.hpp"

namespace cp::time {

bool is_leap_year(int32_t y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

int32_t days_in_month(int32_t year, int32_t month) {
    static constexpr int32_t kDays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (month == 2 && is_leap_year(year)) return 29;
    return kDays[(month - 1) % 12];
}

// Howard Hinnant's days_from_civil / civil_from_days: exact over the whole int32 year range.
int64_t days_from_civil(const Date& d) {
    const int64_t y = static_cast<int64_t>(d.year) - (d.month <= 2);
    const int64_t era = floor_div(y, 400);
    const int64_t yoe = y - era * 400;
    const int64_t mp = (d.month + 9) % 12;
    const int64_t doy = (153 * mp + 2) / 5 + d.day - 1;
    const int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

Date civil_from_days(int64_t z) {
    z += 719468;
    const int64_t era = floor_div(z, 146097);
    const int64_t doe = z - era * 146097;
    const int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const int64_t mp = (5 * doy + 2) / 153;
    const int64_t d = doy - (153 * mp + 2) / 5 + 1;
    const int64_t m = mp < 10 ? mp + 3 : mp - 9;
    const int64_t y = yoe + era * 400 + (m <= 2);
    return Date{static_cast<int32_t>(y), static_cast<int32_t>(m), static_cast<int32_t>(d)};
}

namespace {

bool read_digits(std::string_view s, size_t pos, size_t count, int32_t& out) {
    if (pos + count > s.size()) return false;
    int32_t v = 0;
    for (size_t i = pos; i < pos + count; ++i) {
        if (s[i] < '0' || s[i] > '9') return false;
        v = v * 10 + (s[i] - '0');
    }
    out = v;
    return true;
}

bool parse_date_part(std::string_view s, Date& d) {
    if (s.size() < 10 || s[4] != '-' || s[7] != '-') return false;
    if (!read_digits(s, 0, 4, d.year) || !read_digits(s, 5, 2, d.month) || !read_digits(s, 8, 2, d.day)) {
        return false;
    }
    return d.year >= kMinYear && d.month >= 1 && d.month <= 12 && d.day >= 1 &&
           d.day <= days_in_month(d.year, d.month);
}

void put2(std::string& out, int32_t v) {
    out.push_back(static_cast<char>('0' + v / 10));
    out.push_back(static_cast<char>('0' + v % 10));
}

}  // namespace

Result<Date> parse_iso_date(std::string_view text) {
    Date d;
    if (text.size() != 10 || !parse_date_part(text, d)) {
        return Error{"INVALID_DATE", "", "must be a calendar date like \"2024-02-29\""};
    }
    return d;
}

std::string format_iso_date(const Date& d) {
    std::string out;
    out.reserve(10);
    put2(out, d.year / 100 % 100);
    put2(out, d.year % 100);
    out.push_back('-');
    put2(out, d.month);
    out.push_back('-');
    put2(out, d.day);
    return out;
}

Result<Instant> parse_iso_instant(std::string_view s) {
    const Error bad{"INVALID_DATETIME", "", "must be an ISO-8601 instant like \"2024-03-09T15:00:00Z\""};
    Date d;
    int32_t hh = 0, mm = 0, ss = 0;
    if (s.size() < 20 || !parse_date_part(s, d) || s[10] != 'T' || s[13] != ':' || s[16] != ':' ||
        !read_digits(s, 11, 2, hh) || !read_digits(s, 14, 2, mm) || !read_digits(s, 17, 2, ss) || hh > 23 ||
        mm > 59 || ss > 59) {
        return bad;
    }
    int64_t offset = 0;
    std::string_view zone = s.substr(19);
    if (zone == "Z") {
        offset = 0;
    } else {
        int32_t oh = 0, om = 0;
        if (zone.size() != 6 || (zone[0] != '+' && zone[0] != '-') || zone[3] != ':' ||
            !read_digits(zone, 1, 2, oh) || !read_digits(zone, 4, 2, om) || oh > 23 || om > 59) {
            return bad;
        }
        offset = (oh * 3600 + om * 60) * (zone[0] == '-' ? -1 : 1);
    }
    return days_from_civil(d) * 86400 + hh * 3600 + mm * 60 + ss - offset;
}

std::string format_iso_instant(Instant t) {
    const int64_t days = floor_div(t, 86400);
    const int64_t secs = t - days * 86400;
    std::string out = format_iso_date(civil_from_days(days));
    out.push_back('T');
    put2(out, static_cast<int32_t>(secs / 3600));
    out.push_back(':');
    put2(out, static_cast<int32_t>(secs / 60 % 60));
    out.push_back(':');
    put2(out, static_cast<int32_t>(secs % 60));
    out.push_back('Z');
    return out;
}

}  // namespace cp::time
