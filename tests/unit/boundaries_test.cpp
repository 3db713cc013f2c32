// Every rule with a boundary, tested on both sides of it: aging buckets, overdue at the
// client's local midnight, period ends, package runs up to the last representable day,
// retry days, and the validators' limits (lengths, counts, rates, durations).
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>

#include "shared/billing/draft_reader.hpp"
#include "shared/schedule/billing_period.hpp"
#include "shared/schedule/overdue.hpp"
#include "shared/schedule/package_runs.hpp"
#include "shared/schedule/retry_schedule.hpp"
#include "shared/validation/break_glass_validation.hpp"
#include "shared/validation/field_rules.hpp"
#include "shared/validation/membership_validation.hpp"
#include "zoneinfo_fixture.hpp"

namespace {

using namespace cp::schedule;
using cp::time::Date;
using nlohmann::json;

Date d(const char* iso) { return *cp::time::parse_iso_date(iso); }
cp::time::Instant at(const char* iso) { return *cp::time::parse_iso_instant(iso); }

TEST(Boundaries, AgingBucketsOnBothSidesOfEachEdge) {
    EXPECT_EQ(aging_bucket(-1), "current");
    EXPECT_EQ(aging_bucket(0), "current");
    EXPECT_EQ(aging_bucket(1), "1_30");
    EXPECT_EQ(aging_bucket(30), "1_30");
    EXPECT_EQ(aging_bucket(31), "31_60");
    EXPECT_EQ(aging_bucket(60), "31_60");
    EXPECT_EQ(aging_bucket(61), "61_90");
    EXPECT_EQ(aging_bucket(90), "61_90");
    EXPECT_EQ(aging_bucket(91), "over_90");
}

TEST(Boundaries, OverdueFromTheClientsLocalMidnight) {
    const auto ny = load_zone("America/New_York");
    // Due 2024-03-31; New York is UTC-4 then: local midnight of April 1 is 04:00Z.
    EXPECT_EQ(days_past_due(d("2024-03-31"), at("2024-04-01T03:59:59Z"), ny), 0);
    EXPECT_FALSE(is_overdue(d("2024-03-31"), at("2024-04-01T03:59:59Z"), ny));
    EXPECT_EQ(days_past_due(d("2024-03-31"), at("2024-04-01T04:00:00Z"), ny), 1);
    EXPECT_TRUE(is_overdue(d("2024-03-31"), at("2024-04-01T04:00:00Z"), ny));
    // Before the due date the count is negative, not zero.
    EXPECT_EQ(days_past_due(d("2024-03-31"), at("2024-03-30T12:00:00Z"), ny), -1);
}

TEST(Boundaries, RetriesAreExactlyThreeSevenAndFourteenDaysOut) {
    const auto utc = cp::time::TimeZone::fixed(0, "UTC");
    const auto first = at("2024-05-01T10:00:00Z");
    auto r = retry_schedule(first, utc);
    ASSERT_TRUE(r);
    EXPECT_EQ((*r)[0], first + 3 * 86400);
    EXPECT_EQ((*r)[1], first + 7 * 86400);
    EXPECT_EQ((*r)[2], first + 14 * 86400);
    // The last accepted first failure is 15 days before the last printable instant.
    const auto last = at("9999-12-31T23:59:59Z") - 15 * 86400;
    EXPECT_TRUE(retry_schedule(last, utc));
    auto past = retry_schedule(last + 1, utc);
    ASSERT_FALSE(past);
    EXPECT_EQ(past.error().code, "OUT_OF_RANGE");
    EXPECT_TRUE(retry_schedule(at("0001-01-01T00:00:00Z"), utc));
    EXPECT_FALSE(retry_schedule(at("0001-01-01T00:00:00Z") - 1, utc));
}

TEST(Boundaries, PeriodEndsOnBothSides) {
    EXPECT_EQ(billing_period(BillingSchedule::monthly, d("2024-01-31"), {})->end, d("2024-01-31"));
    EXPECT_EQ(billing_period(BillingSchedule::monthly, d("2024-02-01"), {})->start, d("2024-02-01"));
    EXPECT_EQ(billing_period(BillingSchedule::quarterly, d("2024-03-31"), {})->end, d("2024-03-31"));
    EXPECT_EQ(billing_period(BillingSchedule::quarterly, d("2024-04-01"), {})->start, d("2024-04-01"));
    EXPECT_EQ(billing_period(BillingSchedule::quarterly, d("2024-12-31"), {})->start, d("2024-10-01"));
    EXPECT_EQ(billing_period(BillingSchedule::annual, d("2024-12-31"), {})->start, d("2024-01-01"));
    EXPECT_EQ(billing_period(BillingSchedule::annual, d("2025-01-01"), {})->end, d("2025-12-31"));
    // The engagement's own first and last days are inside it; the days around are not.
    EngagementDates e{d("2024-02-10"), d("2024-05-20")};
    EXPECT_TRUE(billing_period(BillingSchedule::monthly, d("2024-02-10"), e));
    EXPECT_TRUE(billing_period(BillingSchedule::monthly, d("2024-05-20"), e));
    EXPECT_EQ(billing_period(BillingSchedule::monthly, d("2024-02-09"), e).error().code, "DATE_OUTSIDE_ENGAGEMENT");
    EXPECT_EQ(billing_period(BillingSchedule::monthly, d("2024-05-21"), e).error().code, "DATE_OUTSIDE_ENGAGEMENT");
    // An engagement of one day is valid; ending the day before it starts is not.
    EXPECT_TRUE(billing_period(BillingSchedule::monthly, d("2024-02-10"), {d("2024-02-10"), d("2024-02-10")}));
    EXPECT_EQ(billing_period(BillingSchedule::monthly, d("2024-02-10"), {d("2024-02-10"), d("2024-02-09")})
                  .error()
                  .code,
              "END_BEFORE_START");
}

TEST(Boundaries, PackageRunsIncludeBothEndsOfTheWindow) {
    EngagementDates e{d("2024-01-01"), {}};
    auto runs = package_run_periods(BillingSchedule::monthly, e, d("2024-02-01"), d("2024-04-01"));
    ASSERT_TRUE(runs);
    ASSERT_EQ(runs->size(), 3u);
    EXPECT_EQ(runs->front().start, d("2024-02-01"));
    EXPECT_EQ(runs->back().start, d("2024-04-01"));
    auto inner = package_run_periods(BillingSchedule::monthly, e, d("2024-02-02"), d("2024-03-31"));
    ASSERT_TRUE(inner);
    ASSERT_EQ(inner->size(), 1u);
    EXPECT_EQ(inner->front().start, d("2024-03-01"));
    // A one-day window on a period start; `to` one day before `from` is refused.
    EXPECT_EQ(package_run_periods(BillingSchedule::monthly, e, d("2024-03-01"), d("2024-03-01"))->size(), 1u);
    EXPECT_EQ(package_run_periods(BillingSchedule::monthly, e, d("2024-03-01"), d("2024-02-29")).error().code,
              "END_BEFORE_START");
    // The engagement's end bounds the runs: a period starting on it runs, the next does not.
    EngagementDates ends{d("2024-01-01"), d("2024-03-01")};
    EXPECT_EQ(package_run_periods(BillingSchedule::monthly, ends, d("2024-01-01"), d("2024-12-31"))->size(), 3u);
}

TEST(Boundaries, PackageRunsReachTheLastRepresentableDay) {
    // Found by the parity reference: the walk stopped at the first period ending in 9999.
    EngagementDates e{d("9999-01-01"), {}};
    auto q = package_run_periods(BillingSchedule::quarterly, e, d("9999-07-15"), d("9999-10-30"));
    ASSERT_TRUE(q);
    ASSERT_EQ(q->size(), 1u);
    EXPECT_EQ(q->front().start, d("9999-10-01"));
    EXPECT_EQ(q->front().end, d("9999-12-31"));
    auto m = package_run_periods(BillingSchedule::monthly, e, d("9999-01-01"), d("9999-12-31"));
    ASSERT_TRUE(m);
    EXPECT_EQ(m->size(), 12u);
    auto cap = package_run_periods(BillingSchedule::monthly, {d("2000-01-01"), {}}, d("2000-01-01"),
                                   d("2083-04-01"));
    ASSERT_TRUE(cap);
    EXPECT_EQ(cap->size(), kMaxRunDates);  // 1000 months from 2000-01 end at 2083-04
    EXPECT_EQ(cap->back().start, d("2083-04-01"));
    auto one_less = package_run_periods(BillingSchedule::monthly, {d("2000-01-01"), {}}, d("2000-01-01"),
                                        d("2083-03-31"));
    EXPECT_EQ(one_less->size(), kMaxRunDates - 1);
}

bool has_error(const cp::Errors& errors, const std::string& code, const std::string& field) {
    for (const auto& e : errors) {
        if (e.code == code && e.field == field) return true;
    }
    return false;
}

TEST(Boundaries, BreakGlassDurationIsOneTo240Minutes) {
    auto body = [](int m) { return json{{"firm_id", "frm_1"}, {"reason", "r"}, {"duration_minutes", m}}; };
    EXPECT_FALSE(cp::validation::validate_break_glass_open(body(0)).empty());
    EXPECT_TRUE(cp::validation::validate_break_glass_open(body(1)).empty());
    EXPECT_TRUE(cp::validation::validate_break_glass_open(body(240)).empty());
    EXPECT_FALSE(cp::validation::validate_break_glass_open(body(241)).empty());
}

TEST(Boundaries, PasswordsAreTwelveTo256Characters) {
    using cp::validation::Mode;
    auto body = [](size_t n) {
        return json{{"email", "a@b.test"}, {"name", "A"}, {"role", "staff"}, {"password", std::string(n, 'p')}};
    };
    EXPECT_TRUE(has_error(cp::validation::validate_membership(body(11), Mode::create), "TOO_SHORT", "password"));
    EXPECT_TRUE(cp::validation::validate_membership(body(12), Mode::create).empty());
    EXPECT_TRUE(cp::validation::validate_membership(body(256), Mode::create).empty());
    EXPECT_TRUE(has_error(cp::validation::validate_membership(body(257), Mode::create), "STRING_TOO_LONG",
                          "password"));
    // Characters, not bytes: twelve two-byte characters are enough.
    std::string twelve;
    for (int i = 0; i < 12; ++i) twelve += "\xC3\xA9";
    auto b = body(0);
    b["password"] = twelve;
    EXPECT_TRUE(cp::validation::validate_membership(b, Mode::create).empty());
}

TEST(Boundaries, SlugsAreThreeTo63Characters) {
    using cp::validation::is_valid_slug;
    EXPECT_FALSE(is_valid_slug("ab"));
    EXPECT_TRUE(is_valid_slug("abc"));
    EXPECT_TRUE(is_valid_slug(std::string(63, 'a')));
    EXPECT_FALSE(is_valid_slug(std::string(64, 'a')));
}

TEST(Boundaries, CardNumbersAreTwelveTo19Digits) {
    using cp::validation::looks_like_card_number;
    EXPECT_FALSE(looks_like_card_number(std::string(11, '4')));
    EXPECT_TRUE(looks_like_card_number(std::string(12, '4')));
    EXPECT_TRUE(looks_like_card_number(std::string(19, '4')));
    EXPECT_FALSE(looks_like_card_number(std::string(20, '4')));
}

json line(const std::string& tax_rate, const std::string& description = "x") {
    return {{"quantity", "1"}, {"unit_price", "1.00"}, {"tax_rate", tax_rate}, {"description", description}};
}
json draft(json lines) {
    return {{"currency", "USD"}, {"lines", std::move(lines)}};
}

TEST(Boundaries, TaxRateIsZeroTo100Percent) {
    using cp::billing::read_invoice_draft;
    EXPECT_TRUE(read_invoice_draft(draft(json::array({line("0")}))).errors.empty());
    EXPECT_TRUE(read_invoice_draft(draft(json::array({line("100")}))).errors.empty());
    EXPECT_TRUE(has_error(read_invoice_draft(draft(json::array({line("100.0001")}))).errors, "OUT_OF_RANGE",
                          "lines[0].tax_rate"));
    EXPECT_TRUE(has_error(read_invoice_draft(draft(json::array({line("-0.0001")}))).errors, "OUT_OF_RANGE",
                          "lines[0].tax_rate"));
}

TEST(Boundaries, DescriptionsAndLineCounts) {
    using cp::billing::read_invoice_draft;
    EXPECT_TRUE(read_invoice_draft(draft(json::array({line("5", std::string(500, 'd'))}))).errors.empty());
    EXPECT_TRUE(has_error(read_invoice_draft(draft(json::array({line("5", std::string(501, 'd'))}))).errors,
                          "STRING_TOO_LONG", "lines[0].description"));
    json many = json::array();
    for (size_t i = 0; i < cp::billing::kMaxLines; ++i) many.push_back(line("5"));
    EXPECT_TRUE(read_invoice_draft(draft(many)).errors.empty());
    many.push_back(line("5"));
    EXPECT_TRUE(has_error(read_invoice_draft(draft(many)).errors, "TOO_MANY_LINES", "lines"));
}

}  // namespace
