#pragma once
// Firm membership (a firm user) bodies: email, name 1..200, role
// owner|admin|billing|staff|contractor, password 12..256 characters.
// Required on create: email, name, role, password. On update a password, when present,
// follows the same length rule.
// Errors use JSON paths in `field`; codes are listed in docs/decisions/core-error-codes.md.
#include <nlohmann/json.hpp>

#include "shared/core/error.hpp"
#include "shared/validation/mode.hpp"

namespace cp::validation {

inline constexpr size_t kMinPasswordLength = 12;
inline constexpr size_t kMaxPasswordLength = 256;

Errors validate_membership(const nlohmann::json& body, Mode mode);

// Login bodies {email, password}: both required, password at most 256 characters (no
// minimum here: a wrong password is an authentication failure, not a validation error).
Errors validate_login(const nlohmann::json& body);

// Switch-firm bodies {firm}: the firm's slug or id, required, 1..100 characters.
Errors validate_switch_firm(const nlohmann::json& body);

}  // namespace cp::validation
