// The pipeline report's arithmetic and the CRM follow-up rules (shared/crm/): stage
// tallies per currency, lapsed proposals counted as expired, win rate and average days to
// close rounded half up, follow-up thresholds on local dates, settings validation.
#include <gtest/gtest.h>

#include "shared/crm/follow_ups.hpp"
#include "shared/crm/pipeline_report.hpp"

using namespace cp::crm;
using cp::state::LeadStatus;
using cp::state::ProposalStatus;
using cp::state::ProspectStage;
using cp::time::Date;

namespace {
Date d(const char* iso) { return *cp::time::parse_iso_date(iso); }
std::size_t at(auto e) { return static_cast<std::size_t>(e); }
}  // namespace

TEST(PipelineReport, TalliesCountAndValuePerStageAndCurrency) {
    PipelineReport r(d("2026-10-10"));
    ASSERT_TRUE(r.add_lead(LeadStatus::new_, "USD", 150000));
    ASSERT_TRUE(r.add_lead(LeadStatus::new_, "USD", std::nullopt));  // counted, worth nothing known
    ASSERT_TRUE(r.add_lead(LeadStatus::new_, "EUR", 2500));
    ASSERT_TRUE(r.add_prospect(ProspectStage::negotiation, "USD", 99));
    const auto& fresh = r.leads()[at(LeadStatus::new_)];
    EXPECT_EQ(fresh.count, 3);
    EXPECT_EQ(fresh.value.at("USD"), 150000);
    EXPECT_EQ(fresh.value.at("EUR"), 2500);
    EXPECT_EQ(r.leads()[at(LeadStatus::contacted)].count, 0);
    EXPECT_TRUE(r.leads()[at(LeadStatus::contacted)].value.empty());
    EXPECT_EQ(r.prospects()[at(ProspectStage::negotiation)].value.at("USD"), 99);
}

TEST(PipelineReport, OverflowIsRefusedNotWrapped) {
    PipelineReport r(d("2026-10-10"));
    const int64_t near_limit = 600'000'000'000'000;  // within the money limit alone
    ASSERT_TRUE(r.add_lead(LeadStatus::new_, "USD", near_limit));
    auto second = r.add_lead(LeadStatus::new_, "USD", near_limit);
    ASSERT_FALSE(second);
    EXPECT_EQ(second.error().code, "AMOUNT_OVERFLOW");
    EXPECT_EQ(r.leads()[at(LeadStatus::new_)].count, 1);
}

TEST(PipelineReport, ASentProposalPastItsLastDayCountsAsExpired) {
    PipelineReport r(d("2026-11-01"));
    ASSERT_TRUE(
        r.add_proposal(ProposalStatus::sent, d("2026-10-31"), "USD", 100, d("2026-10-01"), std::nullopt));
    ASSERT_TRUE(
        r.add_proposal(ProposalStatus::sent, d("2026-11-01"), "USD", 200, d("2026-10-01"), std::nullopt));
    EXPECT_EQ(r.proposals()[at(ProposalStatus::expired)].count, 1);
    EXPECT_EQ(r.proposals()[at(ProposalStatus::expired)].value.at("USD"), 100);
    EXPECT_EQ(r.proposals()[at(ProposalStatus::sent)].count, 1);  // good through its last day
    EXPECT_EQ(r.decided(), 1);
    EXPECT_EQ(r.win_rate_percent(), "0.00");
}

TEST(PipelineReport, WinRateAndAverageDaysToCloseRoundHalfUp) {
    PipelineReport r(d("2026-12-31"));
    EXPECT_EQ(r.win_rate_percent(), std::nullopt);  // nothing decided: no rate, not 0
    EXPECT_EQ(r.average_days_to_close(), std::nullopt);
    // Two accepted (10 and 15 days: mean 12.5), one declined: 2/3 = 66.666..% -> 66.67.
    ASSERT_TRUE(r.add_proposal(ProposalStatus::accepted, d("2026-12-01"), "USD", 1, d("2026-10-01"),
                               d("2026-10-11")));
    ASSERT_TRUE(r.add_proposal(ProposalStatus::accepted, d("2026-12-01"), "USD", 1, d("2026-10-01"),
                               d("2026-10-16")));
    ASSERT_TRUE(r.add_proposal(ProposalStatus::declined, d("2026-12-01"), "USD", 1, d("2026-10-01"),
                               d("2026-10-05")));
    ASSERT_TRUE(
        r.add_proposal(ProposalStatus::draft, d("2026-12-01"), "USD", 1, d("2026-10-01"), std::nullopt));
    EXPECT_EQ(r.accepted(), 2);
    EXPECT_EQ(r.decided(), 3);
    EXPECT_EQ(r.win_rate_percent(), "66.67");
    EXPECT_EQ(r.days_to_close_total(), 25);
    EXPECT_EQ(r.average_days_to_close(), "12.5");
}

TEST(PipelineReport, RoundingHelpersAtTheirBoundaries) {
    EXPECT_EQ(percent_half_up(1, 3), "33.33");     // 33.333.. down
    EXPECT_EQ(percent_half_up(2, 3), "66.67");     // 66.666.. up
    EXPECT_EQ(percent_half_up(1, 8), "12.50");     // exact
    EXPECT_EQ(percent_half_up(1, 80000), "0.00");  // 0.00125 -> 0.00
    EXPECT_EQ(percent_half_up(1, 40000), "0.00");  // 0.0025 -> 0.00 (half of a hundredth is 0.005)
    EXPECT_EQ(percent_half_up(1, 20000), "0.01");  // 0.005 exactly: half up
    EXPECT_EQ(percent_half_up(3, 3), "100.00");
    EXPECT_EQ(percent_half_up(0, 0), std::nullopt);
    EXPECT_EQ(mean_one_decimal(1, 4), "0.3");  // 0.25 -> 0.3 (half up)
    EXPECT_EQ(mean_one_decimal(1, 3), "0.3");  // 0.333..
    EXPECT_EQ(mean_one_decimal(2, 3), "0.7");  // 0.666..
    EXPECT_EQ(mean_one_decimal(14, 4), "3.5");
    EXPECT_EQ(mean_one_decimal(0, 5), "0.0");
    EXPECT_EQ(mean_one_decimal(7, 0), std::nullopt);
}

TEST(PipelineReport, DaysToCloseAreLocalCalendarDays) {
    // Across the New York DST change (2026-11-01) a day is a day.
    EXPECT_EQ(days_to_close(d("2026-10-31"), d("2026-11-02")), 2);
    EXPECT_EQ(days_to_close(d("2026-10-31"), d("2026-10-31")), 0);
    EXPECT_EQ(days_to_close(d("2026-12-31"), d("2027-01-01")), 1);
    EXPECT_EQ(days_to_close(d("2026-10-05"), d("2026-10-01")), 0);  // never negative
}

TEST(FollowUps, LeadUntouchedForNDaysAndOpenStatusesOnly) {
    EXPECT_FALSE(lead_needs_follow_up(d("2026-10-25"), d("2026-10-31"), 7));  // 6 days
    EXPECT_TRUE(lead_needs_follow_up(d("2026-10-25"), d("2026-11-01"), 7));   // 7 days
    EXPECT_TRUE(lead_needs_follow_up(d("2026-10-25"), d("2026-11-20"), 7));
    EXPECT_TRUE(lead_needs_follow_up(d("2026-02-28"), d("2026-03-01"), 1));
    EXPECT_TRUE(lead_is_followed(LeadStatus::new_));
    EXPECT_TRUE(lead_is_followed(LeadStatus::contacted));
    EXPECT_TRUE(lead_is_followed(LeadStatus::qualified));
    EXPECT_FALSE(lead_is_followed(LeadStatus::disqualified));
}

TEST(FollowUps, ProposalExpiringWithinItsWindowWhileSent) {
    const Date last = d("2026-11-04");
    EXPECT_FALSE(proposal_needs_follow_up(ProposalStatus::sent, last, d("2026-10-31"), 3));  // 4 days before
    EXPECT_TRUE(proposal_needs_follow_up(ProposalStatus::sent, last, d("2026-11-01"), 3));   // 3 days before
    EXPECT_TRUE(proposal_needs_follow_up(ProposalStatus::sent, last, d("2026-11-04"), 3));   // the last day
    EXPECT_FALSE(proposal_needs_follow_up(ProposalStatus::sent, last, d("2026-11-05"), 3));  // lapsed
    EXPECT_FALSE(proposal_needs_follow_up(ProposalStatus::draft, last, d("2026-11-02"), 3));
    EXPECT_FALSE(proposal_needs_follow_up(ProposalStatus::accepted, last, d("2026-11-02"), 3));
    EXPECT_TRUE(proposal_needs_follow_up(ProposalStatus::sent, last, d("2026-11-04"), 0));
    EXPECT_FALSE(proposal_needs_follow_up(ProposalStatus::sent, last, d("2026-11-03"), 0));
}

TEST(FollowUps, SettingsDefaultsAndValidation) {
    auto s = follow_up_settings(nlohmann::json::object());
    EXPECT_EQ(s.lead_untouched_days, 7);
    EXPECT_EQ(s.proposal_expiring_days, 3);
    s = follow_up_settings({{"crm", {{"lead_untouched_days", 14}}}});
    EXPECT_EQ(s.lead_untouched_days, 14);
    EXPECT_EQ(s.proposal_expiring_days, 3);
    s = follow_up_settings({{"crm", {{"lead_untouched_days", 0}, {"proposal_expiring_days", 0}}}});
    EXPECT_EQ(s.lead_untouched_days, 7);  // out of range: the default
    EXPECT_EQ(s.proposal_expiring_days, 0);

    EXPECT_TRUE(validate_follow_up_settings({{"lead_untouched_days", 1}, {"proposal_expiring_days", 30}},
                                            "settings.crm")
                    .empty());
    EXPECT_TRUE(validate_follow_up_settings({{"lead_untouched_days", 365}}, "settings.crm").empty());
    auto e = validate_follow_up_settings({{"lead_untouched_days", 0}}, "settings.crm");
    ASSERT_EQ(e.size(), 1u);
    EXPECT_EQ(e[0].code, "OUT_OF_RANGE");
    EXPECT_EQ(e[0].field, "settings.crm.lead_untouched_days");
    EXPECT_EQ(validate_follow_up_settings({{"lead_untouched_days", 366}}, "settings.crm").size(), 1u);
    EXPECT_EQ(validate_follow_up_settings({{"proposal_expiring_days", 31}}, "settings.crm").size(), 1u);
    EXPECT_EQ(validate_follow_up_settings({{"proposal_expiring_days", -1}}, "settings.crm").size(), 1u);
    EXPECT_EQ(validate_follow_up_settings({{"lead_untouched_days", "7"}}, "settings.crm")[0].code,
              "OUT_OF_RANGE");
    EXPECT_EQ(validate_follow_up_settings({{"lead_untouched_days", 2.5}}, "settings.crm")[0].code,
              "OUT_OF_RANGE");
    EXPECT_EQ(validate_follow_up_settings({{"nag", 1}}, "settings.crm")[0].code, "UNKNOWN_FIELD");
    EXPECT_EQ(validate_follow_up_settings(7, "settings.crm")[0].code, "INVALID_TYPE");
}
