// The body of "run package billing now", read alike by the server and the portal's form.
#include <gtest/gtest.h>

#include <string>

#include "shared/validation/package_run_validation.hpp"

namespace cp::validation {
namespace {

std::string codes(const Errors& errors) {
    std::string out;
    for (const auto& e : errors) out += e.code + "@" + e.field + " ";
    return out;
}

TEST(PackageRunValidation, AnEmptyBodyRunsForTheFirmsToday) {
    EXPECT_TRUE(validate_package_run(nlohmann::json::object()).empty());
    EXPECT_TRUE(validate_package_run({{"date", "2026-11-30"}, {"dry_run", true}}).empty());
}

TEST(PackageRunValidation, TheDateIsARealCalendarDay) {
    EXPECT_EQ(codes(validate_package_run({{"date", "2026-11-31"}})), "INVALID_DATE@date ");
    EXPECT_EQ(codes(validate_package_run({{"date", "30/11/2026"}})), "INVALID_DATE@date ");
    EXPECT_EQ(codes(validate_package_run({{"date", 20261130}})).substr(0, 18), "INVALID_TYPE@date ");
}

TEST(PackageRunValidation, DryRunIsABooleanAndNothingElseIsRead) {
    EXPECT_EQ(codes(validate_package_run({{"dry_run", "yes"}})), "INVALID_TYPE@dry_run ");
    EXPECT_EQ(codes(validate_package_run({{"date", "2026-11-30"}, {"firm_id", 1}})), "UNKNOWN_FIELD@firm_id ");
}

}  // namespace
}  // namespace cp::validation
