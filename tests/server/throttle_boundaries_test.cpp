// The throttle's windows and limits on both sides of each boundary: the Nth attempt passes
// and the N+1th waits; a failure counts for exactly window_seconds; past the account
// ceiling attempts are spaced account_slow_seconds apart; sign-ups per address per hour.
// Also the firm roles the capability table knows.
#include <gtest/gtest.h>

#include "server/auth/capabilities.hpp"
#include "server/auth/throttle.hpp"

namespace cp::server {
namespace {

constexpr std::int64_t kT = 10'000;

TEST(ThrottleBoundaries, PairLimitAndItsWindowToTheSecond) {
    ThrottleLimits limits;
    limits.per_account_address = 3;
    limits.per_address = 100;
    limits.account_ceiling = 100;
    limits.window_seconds = 900;
    LoginThrottle t(limits);
    for (int i = 0; i < 3; ++i) EXPECT_FALSE(t.begin_attempt("a@x.test", "10.0.0.1", kT)) << i;
    EXPECT_EQ(t.begin_attempt("a@x.test", "10.0.0.1", kT).value_or(-1), 900);
    EXPECT_EQ(t.begin_attempt("a@x.test", "10.0.0.1", kT + 899).value_or(-1), 1);
    EXPECT_FALSE(t.begin_attempt("a@x.test", "10.0.0.1", kT + 900));
}

TEST(ThrottleBoundaries, AddressLimitCountsEveryAccount) {
    ThrottleLimits limits;
    limits.per_account_address = 100;
    limits.per_address = 4;
    limits.account_ceiling = 100;
    limits.window_seconds = 600;
    LoginThrottle t(limits);
    for (int i = 0; i < 4; ++i) EXPECT_FALSE(t.begin_attempt("u" + std::to_string(i) + "@x.test", "10.0.0.2", kT));
    EXPECT_EQ(t.begin_attempt("new@x.test", "10.0.0.2", kT + 10).value_or(-1), 590);
    EXPECT_FALSE(t.begin_attempt("new@x.test", "10.0.0.3", kT + 10)) << "other addresses are not affected";
    EXPECT_TRUE(t.begin_attempt("new@x.test", "10.0.0.2", kT + 599));
    EXPECT_FALSE(t.begin_attempt("new@x.test", "10.0.0.2", kT + 600));
}

TEST(ThrottleBoundaries, AccountCeilingSlowsButNeverLocksOut) {
    ThrottleLimits limits;
    limits.per_account_address = 100;
    limits.per_address = 100;
    limits.account_ceiling = 3;
    limits.account_slow_seconds = 30;
    limits.window_seconds = 900;
    LoginThrottle t(limits);
    // Three failures from three addresses reach the ceiling.
    for (int i = 0; i < 3; ++i) EXPECT_FALSE(t.begin_attempt("owner@x.test", "10.1.0." + std::to_string(i), kT));
    EXPECT_EQ(t.begin_attempt("owner@x.test", "10.2.0.1", kT).value_or(-1), 30);
    EXPECT_EQ(t.begin_attempt("owner@x.test", "10.2.0.1", kT + 29).value_or(-1), 1);
    EXPECT_FALSE(t.begin_attempt("owner@x.test", "10.2.0.1", kT + 30)) << "one attempt per 30 s";
    EXPECT_EQ(t.begin_attempt("owner@x.test", "10.2.0.2", kT + 31).value_or(-1), 29);
}

TEST(ThrottleBoundaries, AccountFailuresLeaveTheCeilingWithTheWindow) {
    ThrottleLimits limits;
    limits.per_account_address = 100;
    limits.per_address = 100;
    limits.account_ceiling = 3;
    limits.account_slow_seconds = 30;
    limits.window_seconds = 900;
    LoginThrottle t(limits);
    EXPECT_FALSE(t.begin_attempt("owner@x.test", "10.1.0.1", kT));
    EXPECT_FALSE(t.begin_attempt("owner@x.test", "10.1.0.2", kT));
    EXPECT_FALSE(t.begin_attempt("owner@x.test", "10.1.0.3", kT + 890));
    // At kT + 899 the first two still count: three failures, the last 9 s ago -> wait 21.
    EXPECT_EQ(t.begin_attempt("owner@x.test", "10.1.0.4", kT + 899).value_or(-1), 21);
    // At kT + 900 they have left the window: one failure, under the ceiling.
    EXPECT_FALSE(t.begin_attempt("owner@x.test", "10.1.0.4", kT + 900));
}

TEST(ThrottleBoundaries, SignupsPerAddressPerWindow) {
    ThrottleLimits limits;
    limits.signups_per_address = 2;
    limits.signup_window_seconds = 3600;
    LoginThrottle t(limits);
    EXPECT_FALSE(t.begin_signup("10.0.0.9", kT));
    EXPECT_FALSE(t.begin_signup("10.0.0.9", kT + 1));
    EXPECT_EQ(t.begin_signup("10.0.0.9", kT + 2).value_or(-1), 3598);
    EXPECT_FALSE(t.begin_signup("10.0.0.8", kT + 2)) << "per address";
    EXPECT_TRUE(t.begin_signup("10.0.0.9", kT + 3599));
    EXPECT_FALSE(t.begin_signup("10.0.0.9", kT + 3600));
}

TEST(ThrottleBoundaries, FirmRolesAreExactlyTheFive) {
    for (const char* role : {"owner", "admin", "billing", "staff", "contractor"}) EXPECT_TRUE(is_firm_role(role)) << role;
    for (const char* role : {"", "operator", "break_glass", "Owner", "portal_user"}) EXPECT_FALSE(is_firm_role(role)) << role;
}

}  // namespace
}  // namespace cp::server
