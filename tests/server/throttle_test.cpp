// Login throttling: the check and the count are one step, so parallel attempts cannot all
// slip under the limit; a success withdraws its own count.
#include "server/auth/throttle.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>
#include <vector>

namespace cp::server {
namespace {

TEST(LoginThrottle, CountsEachAttemptWhenItBegins) {
    LoginThrottle t({3, 100, 900});
    for (int i = 0; i < 3; ++i) EXPECT_FALSE(t.begin_attempt("a@x.test", "10.0.0.1", 1000)) << i;
    auto wait = t.begin_attempt("a@x.test", "10.0.0.1", 1000);
    ASSERT_TRUE(wait);
    EXPECT_EQ(*wait, 900);
    EXPECT_FALSE(t.begin_attempt("b@x.test", "10.0.0.1", 1000)) << "other accounts are not affected";
    EXPECT_FALSE(t.begin_attempt("a@x.test", "10.0.0.1", 1900)) << "the window slides";
}

TEST(LoginThrottle, ASuccessForgetsTheAccountAndWithdrawsItsAddressCount) {
    LoginThrottle t({3, 2, 900});
    EXPECT_FALSE(t.begin_attempt("a@x.test", "10.0.0.1", 1000));
    t.attempt_succeeded("a@x.test", "10.0.0.1", 1000);
    EXPECT_FALSE(t.begin_attempt("b@x.test", "10.0.0.1", 1001));
    EXPECT_FALSE(t.begin_attempt("c@x.test", "10.0.0.1", 1002));
    EXPECT_TRUE(t.begin_attempt("d@x.test", "10.0.0.1", 1003)) << "two failures fill the address limit";
}

TEST(LoginThrottle, ParallelAttemptsNeverExceedTheLimit) {
    LoginThrottle t({5, 1000, 900});
    std::atomic<int> allowed{0};
    std::vector<std::thread> threads;
    for (int i = 0; i < 8; ++i) {
        threads.emplace_back([&] {
            for (int k = 0; k < 50; ++k) {
                if (!t.begin_attempt("a@x.test", "10.0.0.1", 1000)) ++allowed;
            }
        });
    }
    for (auto& th : threads) th.join();
    EXPECT_EQ(allowed.load(), 5);
}

}  // namespace
}  // namespace cp::server
