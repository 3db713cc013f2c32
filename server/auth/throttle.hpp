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

    // Seconds until another attempt is allowed, or nullopt when allowed now.
    std::optional<std::int64_t> retry_after(const std::string& account, const std::string& address,
                                            std::int64_t now);
    void record_failure(const std::string& account, const std::string& address, std::int64_t now);
    void record_success(const std::string& account);

private:
    std::optional<std::int64_t> check(std::deque<std::int64_t>& q, int max, std::int64_t now) const;
    ThrottleLimits limits_;
    std::mutex mutex_;
    std::map<std::string, std::deque<std::int64_t>> accounts_;
    std::map<std::string, std::deque<std::int64_t>> addresses_;
};

}  // namespace cp::server
