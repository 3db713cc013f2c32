#pragma once
// Firm (workspace) bodies: name 1..200, slug [a-z0-9-]{3,63}, status trial|active|suspended|canceled,
// plan starter|professional|enterprise, time_zone (IANA name), currency (ISO 4217).
// Required on create: name, slug. Defaults (applied by the server): trial, starter,
// America/New_York, USD.
// Errors use JSON paths in `field`; codes are listed in docs/decisions/core-error-codes.md.
#include <nlohmann/json.hpp>

#include "shared/core/error.hpp"
#include "shared/validation/mode.hpp"

namespace cp::validation {

Errors validate_firm(const nlohmann::json& body, Mode mode);

}  // namespace cp::validation
