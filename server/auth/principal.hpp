#pragma once
// Who is calling, resolved from the bearer token on every request. A token is bound to
// exactly one of: a firm membership, a portal user, a platform operator, or a break-glass
// session (an operator inside one firm). The firm always comes from here, never a body.
#include <cstdint>
#include <string>

#include "server/auth/capabilities.hpp"

namespace cp::server {

enum class PrincipalKind { anonymous, member, portal_user, operator_, break_glass };

struct Principal {
    PrincipalKind kind = PrincipalKind::anonymous;
    std::string session_id;

    std::string firm_id;  // member, portal user, break-glass
    std::string firm_status;

    // Member, or the impersonated member of a break-glass session (role "break_glass"
    // when it impersonates nobody).
    std::string user_id, membership_id, email, role;

    // Portal user.
    std::string portal_user_id, client_id;
    bool can_view_billing = false, can_view_projects = false, portal_enabled = false;

    // Operator, also the operator behind a break-glass session.
    std::string operator_id, operator_email;
    bool can_break_glass = false;

    std::string break_glass_id, break_glass_reason;
    std::int64_t break_glass_expires_at = 0;

    bool in_firm() const { return kind == PrincipalKind::member || kind == PrincipalKind::break_glass; }
    bool can(Capability c) const { return in_firm() && role_has(role, c); }
};

}  // namespace cp::server
