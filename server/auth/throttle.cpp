#include "server/auth/throttle.hpp"

#include <algorithm>

namespace cp::server {

namespace {
constexpr std::size_t kPruneAbove = 10'000;
}

std::optional<std::int64_t> LoginThrottle::check(std::deque<std::int64_t>& q, int max,
                                                 std::int64_t now) const {
    while (!q.empty() && q.front() + limits_.window_seconds <= now) q.pop_front();
    if (static_cast<int>(q.size()) < max) return std::nullopt;
    // Blocked until the oldest failure that keeps us at the limit leaves the window.
    return std::max<std::int64_t>(1,
                                  q[q.size() - static_cast<std::size_t>(max)] + limits_.window_seconds - now);
}

std::optional<std::int64_t> LoginThrottle::begin_attempt(const std::string& account,
                                                         const std::string& address, std::int64_t now) {
    std::lock_guard lock(mutex_);
    if (accounts_.size() + addresses_.size() > kPruneAbove) prune(now);
    auto& account_failures = accounts_[account];
    auto& address_failures = addresses_[address];
    auto a = check(account_failures, limits_.per_account, now);
    auto b = check(address_failures, limits_.per_address, now);
    if (a || b) return std::max(a.value_or(0), b.value_or(0));
    account_failures.push_back(now);
    address_failures.push_back(now);
    return std::nullopt;
}

void LoginThrottle::attempt_succeeded(const std::string& account, const std::string& address,
                                      std::int64_t now) {
    std::lock_guard lock(mutex_);
    accounts_.erase(account);
    auto it = addresses_.find(address);
    if (it == addresses_.end()) return;
    auto& q = it->second;
    if (auto mine = std::find(q.rbegin(), q.rend(), now); mine != q.rend()) q.erase(std::next(mine).base());
    if (q.empty()) addresses_.erase(it);
}

void LoginThrottle::prune(std::int64_t now) {
    for (auto* map : {&accounts_, &addresses_}) {
        for (auto it = map->begin(); it != map->end();) {
            auto& q = it->second;
            while (!q.empty() && q.front() + limits_.window_seconds <= now) q.pop_front();
            it = q.empty() ? map->erase(it) : std::next(it);
        }
    }
}

}  // namespace cp::server
