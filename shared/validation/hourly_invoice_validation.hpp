#pragma once
// POST /engagements/{id}/hourly-invoice: period_start and period_end (YYYY-MM-DD, required,
// end on or after start: END_BEFORE_START at period_end), tax_rate (a percent 0..100 with
// at most 4 decimals, optional), notes (<= 2000, optional). The server reads the body with
// this; the portal's "Bill hours" form is judged with it.
#include <nlohmann/json.hpp>

#include "shared/core/error.hpp"

namespace cp::validation {

Errors validate_hourly_invoice(const nlohmann::json& body);

}  // namespace cp::validation
