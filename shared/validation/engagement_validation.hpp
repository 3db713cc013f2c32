#pragma once
// Engagement bodies: client_id, name 1..200, pricing_mode package|hourly|mixed,
// package_fee (> 0, required for package and mixed), hourly_rate (>= 0, required for
// hourly and mixed), schedule monthly (default)|quarterly|annual|one_time, start_date,
// end_date (>= start_date; required for one_time), currency (optional, defaults to the
// firm's), payment_terms_days 0..365 (default 30).
// Required on create: client_id, name, pricing_mode, start_date. On update the pricing
// rules are checked only when pricing_mode is in the body: to check the merged record,
// validate the merged JSON with Mode::create.
// Decimals: package_fee in the currency's digits when a currency is given, else up to 4;
// hourly_rate up to 4 decimals like every unit price.
#include <nlohmann/json.hpp>

#include "shared/core/error.hpp"
#include "shared/validation/mode.hpp"

namespace cp::validation {

Errors validate_engagement(const nlohmann::json& body, Mode mode);

}  // namespace cp::validation
