#include "server/auth/throttle.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "server/storage/coordination.hpp"

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
    if (shared_) return shared_attempt(account, address, now);
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
    if (shared_) return shared_succeeded(account, address, now);
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
    if (shared_) return shared_signup(address, now);
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

// --- shared (PostgreSQL) -------------------------------------------------------------------
// The same checks over rows of `login_throttle` (kind, bucket_key, at): one row per counted
// failure per count. Every operation takes one transaction-scoped advisory lock first, so the
// check and the count are one step across processes, as the mutex makes them in one.

namespace {
void lock_and_prune(storage::Connection& c, const ThrottleLimits& limits, std::int64_t now) {
    c.query(fmt::format("SELECT pg_advisory_xact_lock({}) AS locked", storage::kLockKeySql), {"login-throttle"});
    // Failures past their window count for nothing: forget them (and with them the emails).
    c.query("DELETE FROM login_throttle WHERE kind <> 'signup' AND at <= ?", {now - limits.window_seconds});
    c.query("DELETE FROM login_throttle WHERE kind = 'signup' AND at <= ?", {now - limits.signup_window_seconds});
}

std::deque<std::int64_t> failures_of(storage::Connection& c, const char* kind, const std::string& key) {
    std::deque<std::int64_t> q;
    for (const auto& r :
         c.query("SELECT at FROM login_throttle WHERE kind = ? AND bucket_key = ? ORDER BY at", {kind, key}))
        q.push_back(r.i64("at"));
    return q;
}

void count(storage::Connection& c, const char* kind, const std::string& key, std::int64_t now) {
    c.query("INSERT INTO login_throttle (kind, bucket_key, at) VALUES (?, ?, ?)", {kind, key, now});
}
}  // namespace

std::optional<std::int64_t> LoginThrottle::shared_attempt(const std::string& account, const std::string& address,
                                                          std::int64_t now) {
    std::optional<std::int64_t> wait;
    const std::string pair = pair_key(account, address);
    shared_->with_transaction([&](storage::Connection& c) {
        wait.reset();
        lock_and_prune(c, limits_, now);
        auto pair_failures = failures_of(c, "pair", pair);
        auto address_failures = failures_of(c, "address", address);
        auto account_failures = failures_of(c, "account", account);
        auto a = check(pair_failures, limits_.per_account_address, limits_.window_seconds, now);
        auto b = check(address_failures, limits_.per_address, limits_.window_seconds, now);
        auto d = check_account(account_failures, now);
        if (a || b || d) {
            wait = std::max({a.value_or(0), b.value_or(0), d.value_or(0)});
            return;
        }
        count(c, "pair", pair, now);
        count(c, "address", address, now);
        count(c, "account", account, now);
    });
    return wait;
}

void LoginThrottle::shared_succeeded(const std::string& account, const std::string& address, std::int64_t now) {
    const std::string pair = pair_key(account, address);
    shared_->with_transaction([&](storage::Connection& c) {
        c.query(fmt::format("SELECT pg_advisory_xact_lock({}) AS locked", storage::kLockKeySql), {"login-throttle"});
        c.query("DELETE FROM login_throttle WHERE kind = 'pair' AND bucket_key = ?", {pair});
        c.query("DELETE FROM login_throttle WHERE kind = 'account' AND bucket_key = ?", {account});
        // This attempt's own count against the address, and only that one.
        c.query("DELETE FROM login_throttle WHERE ctid IN (SELECT ctid FROM login_throttle WHERE kind = 'address' "
                "AND bucket_key = ? AND at = ? LIMIT 1)",
                {address, now});
    });
}

std::optional<std::int64_t> LoginThrottle::shared_signup(const std::string& address, std::int64_t now) {
    std::optional<std::int64_t> wait;
    shared_->with_transaction([&](storage::Connection& c) {
        wait.reset();
        lock_and_prune(c, limits_, now);
        auto q = failures_of(c, "signup", address);
        wait = check(q, limits_.signups_per_address, limits_.signup_window_seconds, now);
        if (!wait) count(c, "signup", address, now);
    });
    return wait;
}

}  // namespace cp::server
