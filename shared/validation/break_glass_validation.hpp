#pragma once
// Break-glass requests. Opening: firm_id, reason (1..1000, required), duration_minutes
// (1..240, default 30: the session expires at most 4 h after it opens),
// impersonate_user_id (optional). Revoking: reason (1..1000, required).
// Errors use JSON paths in `field`; codes are listed in docs/decisions/core-error-codes.md.
#include <nlohmann/json.hpp>

#include "shared/core/error.hpp"
#include "shared/validation/mode.hpp"

namespace cp::validation {

inline constexpr int64_t kDefaultBreakGlassMinutes = 30;
inline constexpr int64_t kMaxBreakGlassMinutes = 240;

Errors validate_break_glass_open(const nlohmann::json& body);
Errors validate_break_glass_revoke(const nlohmann::json& body);

}  // namespace cp::validation
