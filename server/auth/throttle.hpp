#pragma once
// Password-attempt throttling. On SQLite (one process per database file) the counts live in
// memory (a restart forgets, which only ever loosens the limits for a few minutes); on
// PostgreSQL, once share_through() is called, in the `login_throttle` table, so every
// server process behind a load balancer counts against the same limits (issue 19).
// Three counts of failures within a sliding window:
//   - per account and address pair: the brute-force limit (5 in 15 min by default);
//   - per address: one address guessing many accounts (20 in 15 min);
//   - per account over all addresses: past a ceiling (20 in 15 min) attempts are slowed to
//     one per `account_slow_seconds`, never refused for the whole window, so a stranger who
//     knows the owner's email cannot lock the owner out (docs/decisions/server-auth.md).
// Accounts are the email as typed, whether or not it exists, so the answers reveal nothing.
// Sign-ups are also limited per address (each one costs an Argon2id hash).
#include <cstdint>
#include <deque>
#include <map>
#include <mutex>
#include <optional>
#include <string>

namespace cp::storage {
class Coordinator;
}

namespace cp::server {

struct ThrottleLimits {
    int per_account_address = 5;
    int per_address = 20;
    std::int64_t window_seconds = 15 * 60;
    int account_ceiling = 20;
    std::int64_t account_slow_seconds = 30;
    int signups_per_address = 10;
    std::int64_t signup_window_seconds = 3600;
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

    // Counts a sign-up from `address`; the seconds to wait when over the limit.
    std::optional<std::int64_t> begin_signup(const std::string& address, std::int64_t now);

    // From now on the counts live in the database behind `shared` (PostgreSQL): each check
    // and count is one transaction on its dedicated connection under one advisory lock, so
    // parallel attempts in any process cannot all pass before a failure is counted.
    void share_through(storage::Coordinator* shared) { shared_ = shared; }
    bool shared() const { return shared_ != nullptr; }

private:
    std::optional<std::int64_t> shared_attempt(const std::string& account, const std::string& address,
                                               std::int64_t now);
    void shared_succeeded(const std::string& account, const std::string& address, std::int64_t now);
    std::optional<std::int64_t> shared_signup(const std::string& address, std::int64_t now);
    storage::Coordinator* shared_ = nullptr;
    using Failures = std::deque<std::int64_t>;
    std::optional<std::int64_t> check(Failures& q, int max, std::int64_t window, std::int64_t now) const;
    std::optional<std::int64_t> check_account(Failures& q, std::int64_t now) const;
    // Drops keys with no failure left in the window, so guessed emails cannot grow memory.
    void prune(std::int64_t now);
    ThrottleLimits limits_;
    std::mutex mutex_;
    std::map<std::string, Failures> pairs_;
    std::map<std::string, Failures> addresses_;
    std::map<std::string, Failures> accounts_;
    std::map<std::string, Failures> signups_;
};

}  // namespace cp::server
