#pragma once
// The demo firm seeded into an empty database so `scripts/run` shows something real:
// two staff users, a client with a portal user, an engagement, invoices in several states
// whose lines and totals come from the core's invoice arithmetic, and a platform operator.
#include <string>
#include <vector>

#include "server/auth/passwords.hpp"
#include "server/storage/database.hpp"

namespace cp::server {

struct DemoLogin {
    std::string kind;  // staff, portal, operator
    std::string email;
    std::string password;
    std::string what;
};

inline constexpr const char* kDemoPassword = "demo-password-123";

// The day (UTC, YYYY-MM-DD) the demo's two autopay invoices fall due: 14 days after `now`.
std::string demo_autopay_due_date(std::int64_t now);

// Seeds when no firm exists; returns the logins (empty when the database had data).
std::vector<DemoLogin> seed_demo_if_empty(storage::Database& db, std::int64_t now,
                                          const PasswordParams& params);

}  // namespace cp::server
