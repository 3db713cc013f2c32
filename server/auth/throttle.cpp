#include "server/auth/throttle.hpp"

#include <algorithm>

namespace cp::server {

std::optional<std::int64_t> LoginThrottle::check(std::deque<std::int64_t>& q, int max,
                                                 std::int64_t now) const {
    while (!q.empty() && q.front() + limits_.window_seconds <= now) q.pop_front();
    if (static_cast<int>(q.size()) < max) return std::nullopt;
    // Blocked until the oldest failure that keeps us at the limit leaves the window.
    return std::max<std::int64_t>(1,
                                  q[q.size() - static_cast<std::size_t>(max)] + limits_.window_seconds - now);
}

std::optional<std::int64_t> LoginThrottle::retry_after(const std::string& account, const std::string& address,
                                                       std::int64_t now) {
    std::lock_guard lock(mutex_);
    auto a = check(accounts_[account], limits_.per_account, now);
    auto b = check(addresses_[address], limits_.per_address, now);
    if (a && b) return std::max(*a, *b);
    return a ? a : b;
}

void LoginThrottle::record_failure(const std::string& account, const std::string& address, std::int64_t now) {
    std::lock_guard lock(mutex_);
    accounts_[account].push_back(now);
    addresses_[address].push_back(now);
}

void LoginThrottle::record_success(const std::string& account) {
    std::lock_guard lock(mutex_);
    accounts_.erase(account);
}

}  // namespace cp::server
