// Calendar arithmetic and ISO-8601 parsing/formatting.
#include <gtest/gtest.h>

#include "shared/time/civil.hpp"

using namespace cp::time;

TEST(Civil, DaysRoundTripAcrossCenturies) {
    EXPECT_EQ(days_from_civil(Date{1970, 1, 1}), 0);
    EXPECT_EQ(days_from_civil(Date{2000, 3, 1}), 11017);
    for (int64_t d = days_from_civil(Date{1, 1, 1}); d <= days_from_civil(Date{9999, 12, 31}); d += 997) {
        EXPECT_EQ(days_from_civil(civil_from_days(d)), d);
    }
}

TEST(Civil, LeapYears) {
    EXPECT_TRUE(is_leap_year(2024));
    EXPECT_TRUE(is_leap_year(2000));
    EXPECT_FALSE(is_leap_year(1900));
    EXPECT_FALSE(is_leap_year(2023));
    EXPECT_EQ(days_in_month(2024, 2), 29);
    EXPECT_EQ(days_in_month(2100, 2), 28);
    EXPECT_EQ(add_days(Date{2024, 2, 28}, 1), (Date{2024, 2, 29}));
    EXPECT_EQ(add_days(Date{2023, 2, 28}, 1), (Date{2023, 3, 1}));
    EXPECT_EQ(add_days(Date{2024, 12, 31}, 1), (Date{2025, 1, 1}));
}

TEST(Civil, ParseIsoDateStrictly) {
    EXPECT_EQ(*parse_iso_date("2024-02-29"), (Date{2024, 2, 29}));
    for (const char* s :
         {"2023-02-29", "2024-13-01", "2024-00-10", "2024-04-31", "24-01-01", "2024-1-01", "2024/01/01",
          "2024-01-01T00:00:00Z", "", "0000-01-01", " 2024-01-01", "２024-01-01"}) {
        EXPECT_EQ(parse_iso_date(s).error().code, "INVALID_DATE") << s;
    }
    EXPECT_EQ(format_iso_date(Date{5, 1, 9}), "0005-01-09");
}

TEST(Civil, ParseIsoInstant) {
    EXPECT_EQ(*parse_iso_instant("1970-01-01T00:00:00Z"), 0);
    EXPECT_EQ(*parse_iso_instant("2024-03-09T15:00:00Z"), 1709996400);
    EXPECT_EQ(*parse_iso_instant("2024-03-09T10:00:00-05:00"), 1709996400);
    EXPECT_EQ(*parse_iso_instant("2024-03-09T20:30:00+05:30"), 1709996400);
    for (const char* s : {"2024-03-09T15:00:00", "2024-03-09 15:00:00Z", "2024-03-09T24:00:00Z",
                          "2024-03-09T15:00:60Z", "2024-03-09T15:00:00.5Z", "2024-03-09T15:00:00z",
                          "2024-03-09T15:00Z", "2024-03-09T15:00:00+0500"}) {
        EXPECT_EQ(parse_iso_instant(s).error().code, "INVALID_DATETIME") << s;
    }
    EXPECT_EQ(format_iso_instant(1709996400), "2024-03-09T15:00:00Z");
    EXPECT_EQ(format_iso_instant(-1), "1969-12-31T23:59:59Z");
}
