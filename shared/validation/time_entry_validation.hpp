#pragma once
// Time entry bodies: engagement_id, date (YYYY-MM-DD, not after today), hours
// (0 < h <= 24, at most 2 decimals), rate (>= 0, up to 4 decimals; defaults to the
// engagement's hourly rate), description (<= 1000), billable (default true).
// Required on create: engagement_id, date, hours. `today` is the firm's local date,
// passed in because the core has no clock; without it only the date's format is checked.
// Errors use JSON paths in `field`; codes are listed in docs/decisions/core-error-codes.md.
#include <nlohmann/json.hpp>
#include <optional>

#include "shared/core/error.hpp"
#include "shared/time/civil.hpp"
#include "shared/validation/mode.hpp"

namespace cp::validation {

inline constexpr int32_t kHoursScale = 2;  // hundredths of an hour

Errors validate_time_entry(const nlohmann::json& body, Mode mode,
                           std::optional<time::Date> today = std::nullopt);

}  // namespace cp::validation
