#pragma once
// The role → capability table lives in the core (shared/auth/capabilities.hpp) so the
// portal shows exactly what the server allows; the server names it as before.
#include "shared/auth/capabilities.hpp"

namespace cp::server {

using auth::Capability;
using auth::is_firm_role;
using auth::kAllCapabilities;
using auth::role_has;
using auth::to_string;

}  // namespace cp::server
