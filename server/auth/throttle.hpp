#pragma once
// Login throttling: failures counted per account (the email as typed, whether or not it
// exists, so the answer reveals nothing) and per client address within a sliding window.
// In memory: a restart forgets, which only ever loosens the limit for a few minutes.
#include <cstdint>
#include <deque>
#include <map>
#include <mutex>
#include <optional>
#include <string>

namespace cp::server {

struct ThrottleLimits {
    int per_account = 5;
    int per_address = 20;
    std::int64_t window_seconds = 15 * 60;
};

class LoginThrottle {
public:
    explicit LoginThrottle(ThrottleLimits limits = {}) : limits_(limits) {}

    // Checks and, when allowed, counts the attempt as failed at once, under one lock: parallel
    // attempts cannot all pass the check before any failure is counted. Returns the seconds
    // until another attempt is allowed, or nullopt to go ahead.
    std::optional<std::int64_t> begin_attempt(const std::string& account, const std::string& address,
                                              std::int64_t now);
    // The attempt begun at `now` succeeded: the account's failures are forgotten and this
    // attempt no longer counts against the address.
    void attempt_succeeded(const std::string& account, const std::string& address, std::int64_t now);

private:
    std::optional<std::int64_t> check(std::deque<std::int64_t>& q, int max, std::int64_t now) const;
    // Drops keys with no failure left in the window, so guessed emails cannot grow memory.
    void prune(std::int64_t now);
    ThrottleLimits limits_;
    std::mutex mutex_;
    std::map<std::string, std::deque<std::int64_t>> accounts_;
    std::map<std::string, std::deque<std::int64_t>> addresses_;
};

}  // namespace cp::server
