#pragma once
// Opaque bearer tokens: 32 random bytes, shown once, stored only as SHA-256.
#include <cstdint>
#include <optional>
#include <string>

#include "server/auth/principal.hpp"
#include "server/storage/database.hpp"

namespace cp::server {

struct SessionBinding {
    std::string kind;  // member, portal_user, operator, break_glass
    std::string firm_id, membership_id, portal_user_id, operator_id, break_glass_id;
};

struct IssuedToken {
    std::string token;
    std::string session_id;
    std::int64_t expires_at;
};

IssuedToken issue_token(storage::Transaction& tx, const SessionBinding& binding, std::int64_t now,
                        std::int64_t ttl_seconds);

void revoke_session(storage::Transaction& tx, const std::string& session_id, std::int64_t now);

// Why a token did not resolve; each maps to a 401 code.
enum class AuthFailure { missing, invalid, break_glass_closed };

struct Resolved {
    std::optional<Principal> principal;
    AuthFailure failure = AuthFailure::missing;
    bool break_glass_just_expired = false;  // the caller audits the transition
};

// The token of an "Authorization: Bearer <token>" header (scheme in any letter case), or
// nullopt when the header is absent or of another scheme.
std::optional<std::string> bearer_token(const std::optional<std::string>& authorization);

// Resolves "Authorization: Bearer <token>". Checks expiry and revocation, and for
// break-glass tokens that the session is active and not past expires_at (marking it
// expired when it just ran out: the rule is enforced per request, not by a cron).
Resolved resolve_principal(storage::Transaction& tx, const std::optional<std::string>& authorization,
                           std::int64_t now);

}  // namespace cp::server
