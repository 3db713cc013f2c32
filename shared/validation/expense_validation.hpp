#pragma once
// Expense bodies: engagement_id, date (not after today when given), description 1..1000,
// amount (> 0, in the currency's digits when a currency is given, else up to 4),
// currency (optional, defaults to the engagement's), markup_percent (0..1000, up to 4
// decimals, default 0: billed = amount x (1 + markup)), category (<= 100), receipt_ref (<= 500),
// billable. On update, null clears only category and receipt_ref.
// Required on create: engagement_id, date, description, amount.
// Errors use JSON paths in `field`; codes are listed in docs/decisions/core-error-codes.md.
#include <nlohmann/json.hpp>
#include <optional>

#include "shared/core/error.hpp"
#include "shared/time/civil.hpp"
#include "shared/validation/mode.hpp"

namespace cp::validation {

Errors validate_expense(const nlohmann::json& body, Mode mode,
                        std::optional<time::Date> today = std::nullopt);

}  // namespace cp::validation
