#pragma once
// Proleptic Gregorian calendar arithmetic on plain integers (the same in g++ and em++,
// no <chrono> formatting needed). Days count from 1970-01-01; instants are seconds since
// the Unix epoch in UTC (leap seconds ignored, as everywhere in civil software).
#include <cstdint>
#include <string>
#include <string_view>

#include "shared/core/error.hpp"

namespace cp::time {

struct Date {
    int32_t year = 1970;
    int32_t month = 1;  // 1..12
    int32_t day = 1;    // 1..days_in_month

    friend bool operator==(const Date&, const Date&) = default;
};

inline bool operator<(const Date& a, const Date& b) {
    if (a.year != b.year) return a.year < b.year;
    if (a.month != b.month) return a.month < b.month;
    return a.day < b.day;
}
inline bool operator>(const Date& a, const Date& b) { return b < a; }
inline bool operator<=(const Date& a, const Date& b) { return !(b < a); }
inline bool operator>=(const Date& a, const Date& b) { return !(a < b); }

// Dates we accept and print: four-digit years.
inline constexpr int32_t kMinYear = 1;
inline constexpr int32_t kMaxYear = 9999;

bool is_leap_year(int32_t year);
int32_t days_in_month(int32_t year, int32_t month);

int64_t days_from_civil(const Date& d);
Date civil_from_days(int64_t days);
inline Date add_days(const Date& d, int64_t n) { return civil_from_days(days_from_civil(d) + n); }

// Strict "YYYY-MM-DD" (INVALID_DATE); the field is left empty for the caller to fill.
Result<Date> parse_iso_date(std::string_view text);
std::string format_iso_date(const Date& d);

// Seconds since 1970-01-01T00:00:00Z.
using Instant = int64_t;

// "YYYY-MM-DDTHH:MM:SSZ" or with a numeric offset "+HH:MM"/"-HH:MM" (INVALID_DATETIME).
// Fractional seconds are not accepted: schedules work to the second.
Result<Instant> parse_iso_instant(std::string_view text);
// Always UTC with a 'Z': "2024-03-12T14:00:00Z".
std::string format_iso_instant(Instant t);

// Seconds of a day split out of an instant-like count (floor semantics for negatives).
inline int64_t floor_div(int64_t a, int64_t b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0))); }

}  // namespace cp::time
