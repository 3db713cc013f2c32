// Billing periods, package runs, retry schedule and overdue (DST-aware).
#include <gtest/gtest.h>

#include "shared/schedule/billing_period.hpp"
#include "shared/schedule/overdue.hpp"
#include "shared/schedule/package_runs.hpp"
#include "shared/schedule/retry_schedule.hpp"
#include "zoneinfo_fixture.hpp"

using namespace cp::schedule;
using cp::time::Date;

namespace {
Date d(const char* iso) { return *cp::time::parse_iso_date(iso); }
Period p(const char* a, const char* b) { return Period{d(a), d(b)}; }
std::string iso(cp::time::Instant t) { return cp::time::format_iso_instant(t); }
}  // namespace

TEST(BillingPeriod, CalendarPeriods) {
    EXPECT_EQ(*billing_period(BillingSchedule::monthly, d("2024-02-10"), {}), p("2024-02-01", "2024-02-29"));
    EXPECT_EQ(*billing_period(BillingSchedule::monthly, d("2023-02-28"), {}), p("2023-02-01", "2023-02-28"));
    EXPECT_EQ(*billing_period(BillingSchedule::monthly, d("2024-12-31"), {}), p("2024-12-01", "2024-12-31"));
    EXPECT_EQ(*billing_period(BillingSchedule::quarterly, d("2024-03-31"), {}),
              p("2024-01-01", "2024-03-31"));
    EXPECT_EQ(*billing_period(BillingSchedule::quarterly, d("2024-11-30"), {}),
              p("2024-10-01", "2024-12-31"));
    EXPECT_EQ(*billing_period(BillingSchedule::annual, d("2024-02-29"), {}), p("2024-01-01", "2024-12-31"));
}

TEST(BillingPeriod, ClippedToEngagement) {
    EngagementDates e{d("2024-04-15"), d("2025-04-14")};
    EXPECT_EQ(*billing_period(BillingSchedule::quarterly, d("2024-05-10"), e), p("2024-04-15", "2024-06-30"));
    EXPECT_EQ(*billing_period(BillingSchedule::quarterly, d("2025-04-01"), e), p("2025-04-01", "2025-04-14"));
    EXPECT_EQ(*billing_period(BillingSchedule::monthly, d("2024-04-30"), e), p("2024-04-15", "2024-04-30"));
    EXPECT_EQ(*billing_period(BillingSchedule::annual, d("2024-12-31"), e), p("2024-04-15", "2024-12-31"));
    EXPECT_EQ(*billing_period(BillingSchedule::one_time, d("2024-12-31"), e), p("2024-04-15", "2025-04-14"));
    EXPECT_EQ(billing_period(BillingSchedule::monthly, d("2024-04-14"), e).error().code,
              "DATE_OUTSIDE_ENGAGEMENT");
    EXPECT_EQ(billing_period(BillingSchedule::monthly, d("2025-04-15"), e).error().code,
              "DATE_OUTSIDE_ENGAGEMENT");
    EXPECT_EQ(billing_period(BillingSchedule::one_time, d("2024-05-01"), {d("2024-01-01"), {}}).error().field,
              "engagement_end");
    EXPECT_EQ(billing_period(BillingSchedule::monthly, d("2024-05-01"), {d("2024-06-01"), d("2024-05-31")})
                  .error()
                  .code,
              "END_BEFORE_START");
    // Open-ended engagement: only the start clips.
    EXPECT_EQ(*billing_period(BillingSchedule::monthly, d("2024-01-31"), {d("2024-01-31"), {}}),
              p("2024-01-31", "2024-01-31"));
}

TEST(PackageRuns, OneInvoicePerPeriodOnItsClippedStart) {
    auto runs = package_run_periods(BillingSchedule::monthly, {d("2024-01-31"), d("2024-04-15")},
                                    d("2024-01-01"), d("2024-12-31"));
    ASSERT_TRUE(runs.ok());
    std::vector<Period> expected{p("2024-01-31", "2024-01-31"), p("2024-02-01", "2024-02-29"),
                                 p("2024-03-01", "2024-03-31"), p("2024-04-01", "2024-04-15")};
    EXPECT_EQ(*runs, expected);
    // A window starting mid-period does not re-bill that period.
    auto later =
        package_run_periods(BillingSchedule::annual, {d("2020-06-01"), {}}, d("2022-03-01"), d("2024-01-01"));
    EXPECT_EQ(*later, (std::vector<Period>{p("2023-01-01", "2023-12-31"), p("2024-01-01", "2024-12-31")}));
    auto once = package_run_periods(BillingSchedule::one_time, {d("2024-03-01"), d("2024-03-31")},
                                    d("2024-01-01"), d("2024-12-31"));
    EXPECT_EQ(*once, (std::vector<Period>{p("2024-03-01", "2024-03-31")}));
    // A one-time engagement needs its end whatever the window, even one before its start.
    for (auto to : {d("2024-12-31"), d("2023-12-31")}) {
        auto open =
            package_run_periods(BillingSchedule::one_time, {d("2024-03-01"), {}}, d("2023-01-01"), to);
        ASSERT_FALSE(open.ok());
        EXPECT_EQ(open.error().field, "engagement_end");
    }
    EXPECT_EQ(
        package_run_periods(BillingSchedule::monthly, {d("2000-01-01"), {}}, d("2000-01-01"), d("9999-12-31"))
            ->size(),
        kMaxRunDates);
    EXPECT_EQ(due_date(d("2024-12-15")), d("2025-01-14"));
}

TEST(RetrySchedule, SameLocalTimeAcrossSpringForward) {
    auto ny = load_zone("America/New_York");
    // 10:00 EST on Saturday 2024-03-09; DST starts on the 10th. Retries stay at 10:00 local.
    auto r = retry_schedule(*cp::time::parse_iso_instant("2024-03-09T15:00:00Z"), ny);
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(iso((*r)[0]), "2024-03-12T14:00:00Z");
    EXPECT_EQ(iso((*r)[1]), "2024-03-16T14:00:00Z");
    EXPECT_EQ(iso((*r)[2]), "2024-03-23T14:00:00Z");
}

TEST(RetrySchedule, FallBackAndNonexistentLocalTimes) {
    auto ny = load_zone("America/New_York");
    auto r = retry_schedule(*cp::time::parse_iso_instant("2024-10-31T13:15:00Z"), ny);  // 09:15 EDT
    EXPECT_EQ(iso((*r)[0]), "2024-11-03T14:15:00Z");                                    // 09:15 EST
    // 02:30 local on 2024-03-07 + 3 days lands in the gap of 2024-03-10: 03:30 EDT.
    auto gap = retry_schedule(*cp::time::parse_iso_instant("2024-03-07T07:30:00Z"), ny);
    EXPECT_EQ(iso((*gap)[0]), "2024-03-10T07:30:00Z");
    EXPECT_EQ(iso((*gap)[1]), "2024-03-14T06:30:00Z");
    // 01:30 local on 2024-10-31 + 3 days is ambiguous: the first (EDT) instant.
    auto twice = retry_schedule(*cp::time::parse_iso_instant("2024-10-31T05:30:00Z"), ny);
    EXPECT_EQ(iso((*twice)[0]), "2024-11-03T05:30:00Z");
    auto london = load_zone("Europe/London");
    auto uk = retry_schedule(*cp::time::parse_iso_instant("2024-03-28T09:00:00Z"), london);
    EXPECT_EQ(iso((*uk)[0]), "2024-03-31T08:00:00Z");  // 09:00 GMT -> 09:00 BST
    auto far = retry_schedule(*cp::time::parse_iso_instant("9999-12-30T00:00:00Z"), london);
    EXPECT_EQ(far.error().code, "OUT_OF_RANGE");
}

TEST(Overdue, DecidedOnTheClientsCalendar) {
    auto ny = load_zone("America/New_York");
    auto tokyo = load_zone("Asia/Tokyo");
    const auto now = *cp::time::parse_iso_instant("2024-04-01T03:00:00Z");
    EXPECT_FALSE(is_overdue(d("2024-03-31"), now, ny));    // still Mar 31, 23:00 in New York
    EXPECT_TRUE(is_overdue(d("2024-03-31"), now, tokyo));  // already Apr 1, 12:00 in Tokyo
    EXPECT_EQ(days_past_due(d("2024-02-29"), now, tokyo), 32);
    EXPECT_EQ(aging_bucket(0), "current");
    EXPECT_EQ(aging_bucket(1), "1_30");
    EXPECT_EQ(aging_bucket(31), "31_60");
    EXPECT_EQ(aging_bucket(90), "61_90");
    EXPECT_EQ(aging_bucket(91), "over_90");
}
