// The rules for changing and renewing an engagement (shared/validation/engagement_changes):
// what the server answers and what the portal's edit and renew panels show before sending.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "shared/validation/engagement_changes.hpp"
#include "shared/validation/membership_validation.hpp"

using nlohmann::json;
using namespace cp::validation;

namespace {

std::vector<std::string> codes(const cp::Errors& errors) {
    std::vector<std::string> v;
    for (const auto& e : errors) v.push_back(e.code + "@" + e.field);
    return v;
}
using V = std::vector<std::string>;

json stored() {
    return {{"client_id", "cli_1"},         {"name", "Advisory"},         {"pricing_mode", "mixed"},
            {"schedule", "monthly"},        {"start_date", "2026-01-01"}, {"end_date", "2026-12-31"},
            {"currency", "USD"},            {"payment_terms_days", 30},   {"package_fee", "1500.00"},
            {"hourly_rate", "150.00"}};
}

}  // namespace

TEST(EngagementUpdate, MergesAChangeIntoTheStoredRecord) {
    auto r = check_engagement_update(stored(), {{"name", "Advisory 2"}, {"payment_terms_days", 14}}, false);
    ASSERT_TRUE(r.errors.empty()) << codes(r.errors)[0];
    EXPECT_EQ(r.merged["name"], "Advisory 2");
    EXPECT_EQ(r.merged["payment_terms_days"], 14);
    EXPECT_EQ(r.merged["package_fee"], "1500.00");
}

TEST(EngagementUpdate, FrozenPricingIsRefusedAtTheField) {
    for (const char* f : kFrozenPricingFields) {
        json body{{f, stored()[f]}};
        // A pricing mode in a body brings the prices it needs (the body's own rule).
        if (std::string(f) == "pricing_mode") body = {{f, "mixed"}, {"package_fee", "1.00"}, {"hourly_rate", "1.00"}};
        EXPECT_EQ(codes(check_engagement_update(stored(), body, true).errors), (V{std::string("PRICING_FROZEN@") + f}))
            << f;
        EXPECT_TRUE(check_engagement_update(stored(), body, false).errors.empty()) << f;
    }
    // The name and the end date stay editable.
    EXPECT_TRUE(check_engagement_update(stored(), {{"name", "Renamed"}, {"end_date", "2027-01-31"}}, true).errors.empty());
}

TEST(EngagementUpdate, TheBodyShapeAndTheMergedRecordAreBothChecked) {
    EXPECT_EQ(codes(check_engagement_update(stored(), {{"name", ""}}, false).errors), (V{"VALIDATION_REQUIRED@name"}));
    EXPECT_EQ(codes(check_engagement_update(stored(), {{"client_id", "cli_2"}}, false).errors),
              (V{"NOT_UPDATABLE@client_id"}));
    // An end before the stored start is only visible on the merged record.
    EXPECT_EQ(codes(check_engagement_update(stored(), {{"end_date", "2025-12-31"}}, false).errors),
              (V{"END_BEFORE_START@end_date"}));
}

TEST(EngagementUpdate, ANewPricingModeDropsThePriceItDoesNotUse) {
    auto r = check_engagement_update(stored(), {{"pricing_mode", "package"}, {"package_fee", "900.00"}}, false);
    ASSERT_TRUE(r.errors.empty()) << codes(r.errors)[0];
    EXPECT_FALSE(r.merged.contains("hourly_rate"));
    r = check_engagement_update(stored(), {{"pricing_mode", "hourly"}, {"hourly_rate", "90.00"}}, false);
    ASSERT_TRUE(r.errors.empty()) << codes(r.errors)[0];
    EXPECT_FALSE(r.merged.contains("package_fee"));
}

TEST(EngagementRenewal, StartsTheDayAfterTheOldEndAndRunsAYearByDefault) {
    auto r = check_engagement_renewal(stored(), json::object());
    ASSERT_TRUE(r.errors.empty()) << codes(r.errors)[0];
    EXPECT_EQ(r.merged["start_date"], "2027-01-01");
    EXPECT_EQ(r.merged["end_date"], "2028-01-01");
    EXPECT_EQ(r.merged["package_fee"], "1500.00");  // inherited
    r = check_engagement_renewal(stored(), {{"end_date", "2027-06-30"}, {"package_fee", "1600.00"}});
    ASSERT_TRUE(r.errors.empty()) << codes(r.errors)[0];
    EXPECT_EQ(r.merged["end_date"], "2027-06-30");
    EXPECT_EQ(r.merged["package_fee"], "1600.00");
}

TEST(EngagementRenewal, RefusesWhatItCannotDoAtTheField) {
    for (const char* f : {"client_id", "start_date", "currency"}) {
        EXPECT_EQ(codes(check_engagement_renewal(stored(), {{f, stored()[f]}}).errors),
                  (V{std::string("NOT_UPDATABLE@") + f}));
    }
    EXPECT_EQ(codes(check_engagement_renewal(stored(), {{"end_date", "2026-12-31"}}).errors),
              (V{"END_BEFORE_START@end_date"}));
    EXPECT_EQ(codes(check_engagement_renewal(stored(), {{"package_fee", "-1"}}).errors).size(), 1u);
    json open = stored();
    open.erase("end_date");
    EXPECT_EQ(codes(check_engagement_renewal(open, json::object()).errors), (V{"END_DATE_REQUIRED@end_date"}));
    // Dropping the hourly rate by moving to package pricing.
    auto r = check_engagement_renewal(stored(), {{"pricing_mode", "package"}, {"package_fee", "1500.00"}});
    ASSERT_TRUE(r.errors.empty()) << codes(r.errors)[0];
    EXPECT_FALSE(r.merged.contains("hourly_rate"));
}

TEST(SwitchFirm, NeedsAFirmOfBoundedLength) {
    EXPECT_EQ(codes(validate_switch_firm(json::object())), (V{"VALIDATION_REQUIRED@firm"}));
    EXPECT_EQ(codes(validate_switch_firm({{"firm", std::string(101, 'x')}})), (V{"STRING_TOO_LONG@firm"}));
    EXPECT_EQ(codes(validate_switch_firm({{"firm", "demo"}, {"x", 1}})), (V{"UNKNOWN_FIELD@x"}));
    EXPECT_TRUE(validate_switch_firm({{"firm", "demo"}}).empty());
}
