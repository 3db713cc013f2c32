// TZif parsing, POSIX footer rules and local <-> UTC conversion around DST changes.
#include "shared/time/time_zone.hpp"

#include <gtest/gtest.h>

#include "shared/time/posix_tz.hpp"
#include "shared/time/zone_cache.hpp"
#include "zoneinfo_fixture.hpp"

using namespace cp::time;

namespace {
Instant at(const char* iso) { return *parse_iso_instant(iso); }
LocalSeconds local(Date d, int h, int m) { return days_from_civil(d) * 86400 + h * 3600 + m * 60; }
}  // namespace

TEST(PosixTz, ParsesFooterRules) {
    auto ny = parse_posix_tz("EST5EDT,M3.2.0,M11.1.0");
    ASSERT_TRUE(ny);
    EXPECT_EQ(ny->std_offset, -18000);
    EXPECT_EQ(ny->dst_offset, -14400);
    EXPECT_EQ(posix_offset_at(*ny, at("2030-07-01T00:00:00Z")), -14400);
    EXPECT_EQ(posix_offset_at(*ny, at("2030-01-01T00:00:00Z")), -18000);
    // 2030-03-10 is the second Sunday of March: 02:00 EST = 07:00Z.
    EXPECT_EQ(posix_offset_at(*ny, at("2030-03-10T06:59:59Z")), -18000);
    EXPECT_EQ(posix_offset_at(*ny, at("2030-03-10T07:00:00Z")), -14400);
    auto quoted = parse_posix_tz("<+0330>-3:30");
    ASSERT_TRUE(quoted);
    EXPECT_EQ(quoted->std_offset, 12600);
    EXPECT_FALSE(quoted->has_dst);
    auto south = parse_posix_tz("<-03>3<-02>,M10.1.0/0,M2.3.0/0");
    ASSERT_TRUE(south);
    EXPECT_EQ(posix_offset_at(*south, at("2030-01-15T12:00:00Z")), -7200);
    EXPECT_EQ(posix_offset_at(*south, at("2030-06-15T12:00:00Z")), -10800);
    auto julian = parse_posix_tz("XXX3YYY,J60/-1,300/25:30");
    ASSERT_TRUE(julian);
    for (const char* bad : {"", "E5", "EST", "EST5EDT,M13.1.0,M11.1.0", "EST5EDT,M3.2.0",
                            "EST5EDT,M3.2.0,M11.1.0x", "<EST5", "EST999"}) {
        EXPECT_FALSE(parse_posix_tz(bad).has_value()) << bad;
    }
}

TEST(TimeZone, RejectsGarbage) {
    for (std::string bytes : {std::string(), std::string("TZif"), std::string(100, '\0'),
                              std::string("TZif2") + std::string(200, '\xff')}) {
        auto r = TimeZone::from_tzif(bytes);
        ASSERT_FALSE(r.ok());
        EXPECT_EQ(r.error().code, "TIME_ZONE_DATA");
    }
    // Every truncation of a real file is rejected or parsed, never read out of bounds.
    auto real = read_system_zone("Europe/London");
    ASSERT_TRUE(real);
    for (size_t n = 0; n < real->size(); n += 7)
        (void)TimeZone::from_tzif(std::string_view(*real).substr(0, n));
}

TEST(TimeZone, NewYorkOffsetsAcrossDst) {
    TimeZone ny = load_zone("America/New_York");
    EXPECT_EQ(ny.offset_at(at("2024-03-10T06:59:59Z")), -18000);
    EXPECT_EQ(ny.offset_at(at("2024-03-10T07:00:00Z")), -14400);
    EXPECT_EQ(ny.offset_at(at("2024-11-03T05:59:59Z")), -14400);
    EXPECT_EQ(ny.offset_at(at("2024-11-03T06:00:00Z")), -18000);
    // Far future: beyond any table, the footer rule answers.
    EXPECT_EQ(ny.offset_at(at("2300-07-04T12:00:00Z")), -14400);
    EXPECT_EQ(ny.offset_at(at("2300-12-25T12:00:00Z")), -18000);
    // Far past: local mean time before 1883.
    EXPECT_EQ(ny.offset_at(at("1800-01-01T00:00:00Z")), -17762);
}

TEST(TimeZone, LocalToUtcGapAndOverlap) {
    TimeZone ny = load_zone("America/New_York");
    // Normal.
    EXPECT_EQ(ny.to_utc(local(Date{2024, 7, 1}, 10, 0)), at("2024-07-01T14:00:00Z"));
    // 02:30 on 2024-03-10 does not exist: read with EST, i.e. 03:30 EDT.
    EXPECT_EQ(ny.to_utc(local(Date{2024, 3, 10}, 2, 30)), at("2024-03-10T07:30:00Z"));
    // 01:30 on 2024-11-03 happens twice: the first (EDT) is chosen.
    EXPECT_EQ(ny.to_utc(local(Date{2024, 11, 3}, 1, 30)), at("2024-11-03T05:30:00Z"));
    TimeZone london = load_zone("Europe/London");
    EXPECT_EQ(london.to_utc(local(Date{2024, 3, 31}, 1, 30)), at("2024-03-31T01:30:00Z"));
    EXPECT_EQ(london.to_utc(local(Date{2024, 10, 27}, 1, 30)), at("2024-10-27T00:30:00Z"));
    EXPECT_EQ(london.local_date(at("2024-06-30T23:30:00Z")), (Date{2024, 7, 1}));
}

TEST(ZoneCache, ValidatesNamesBeforeLoading) {
    int loads = 0;
    ZoneCache cache([&](std::string_view name) {
        ++loads;
        return read_system_zone(name);
    });
    EXPECT_EQ(cache.find("../../etc/passwd").error().code, "INVALID_TIME_ZONE");
    EXPECT_EQ(cache.find("/etc/passwd").error().code, "INVALID_TIME_ZONE");
    EXPECT_EQ(loads, 0);
    EXPECT_EQ(cache.find("Mars/Olympus").error().code, "UNKNOWN_TIME_ZONE");
    EXPECT_EQ(cache.find("America").error().code, "UNKNOWN_TIME_ZONE");   // a directory
    EXPECT_EQ(cache.find("zone.tab").error().code, "INVALID_TIME_ZONE");  // not zone-shaped
    ASSERT_TRUE(cache.find("Asia/Tokyo").ok());
    const int before = loads;
    ASSERT_TRUE(cache.find("Asia/Tokyo").ok());
    EXPECT_EQ(loads, before);
    EXPECT_EQ((*cache.find("Asia/Tokyo"))->offset_at(0), 32400);
}
