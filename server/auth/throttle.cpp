#include "server/auth/throttle.hpp"

#include <algorithm>

namespace cp::server {

namespace {
constexpr std::size_t kPruneAbove = 10'000;

std::string pair_key(const std::string& account, const std::string& address) {
    return account + '\n' + address;
}

void drop_before(std::deque<std::int64_t>& q, std::int64_t window, std::int64_t now) {
    while (!q.empty() && q.front() + window <= now) q.pop_front();
}
}  // namespace

std::optional<std::int64_t> LoginThrottle::check(Failures& q, int max, std::int64_t window,
                                                 std::int64_t now) const {
    drop_before(q, window, now);
    if (static_cast<int>(q.size()) < max) return std::nullopt;
    // Blocked until the oldest failure that keeps us at the limit leaves the window.
    return std::max<std::int64_t>(1, q[q.size() - static_cast<std::size_t>(max)] + window - now);
}

std::optional<std::int64_t> LoginThrottle::check_account(Failures& q, std::int64_t now) const {
    drop_before(q, limits_.window_seconds, now);
    if (static_cast<int>(q.size()) < limits_.account_ceiling) return std::nullopt;
    // Past the ceiling: one attempt per account_slow_seconds, whoever makes it.
    const std::int64_t wait = q.back() + limits_.account_slow_seconds - now;
    if (wait <= 0) return std::nullopt;
    return wait;
}

std::optional<std::int64_t> LoginThrottle::begin_attempt(const std::string& account,
                                                         const std::string& address, std::int64_t now) {
    std::lock_guard lock(mutex_);
    if (pairs_.size() + addresses_.size() + accounts_.size() + signups_.size() > kPruneAbove) prune(now);
    auto& pair_failures = pairs_[pair_key(account, address)];
    auto& address_failures = addresses_[address];
    auto& account_failures = accounts_[account];
    auto a = check(pair_failures, limits_.per_account_address, limits_.window_seconds, now);
    auto b = check(address_failures, limits_.per_address, limits_.window_seconds, now);
    auto c = check_account(account_failures, now);
    if (a || b || c) return std::max({a.value_or(0), b.value_or(0), c.value_or(0)});
    pair_failures.push_back(now);
    address_failures.push_back(now);
    account_failures.push_back(now);
    return std::nullopt;
}

void LoginThrottle::attempt_succeeded(const std::string& account, const std::string& address,
                                      std::int64_t now) {
    std::lock_guard lock(mutex_);
    pairs_.erase(pair_key(account, address));
    accounts_.erase(account);
    auto it = addresses_.find(address);
    if (it == addresses_.end()) return;
    auto& q = it->second;
    if (auto mine = std::find(q.rbegin(), q.rend(), now); mine != q.rend()) q.erase(std::next(mine).base());
    if (q.empty()) addresses_.erase(it);
}

std::optional<std::int64_t> LoginThrottle::begin_signup(const std::string& address, std::int64_t now) {
    std::lock_guard lock(mutex_);
    if (pairs_.size() + addresses_.size() + accounts_.size() + signups_.size() > kPruneAbove) prune(now);
    auto& q = signups_[address];
    if (auto wait = check(q, limits_.signups_per_address, limits_.signup_window_seconds, now)) return wait;
    q.push_back(now);
    return std::nullopt;
}

void LoginThrottle::prune(std::int64_t now) {
    for (auto* map : {&pairs_, &addresses_, &accounts_}) {
        for (auto it = map->begin(); it != map->end();) {
            drop_before(it->second, limits_.window_seconds, now);
            it = it->second.empty() ? map->erase(it) : std::next(it);
        }
    }
    for (auto it = signups_.begin(); it != signups_.end();) {
        drop_before(it->second, limits_.signup_window_seconds, now);
        it = it->second.empty() ? signups_.erase(it) : std::next(it);
    }
}

}  // namespace cp::server
