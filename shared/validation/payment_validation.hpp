#pragma once
// Payment bodies (recording a payment against an invoice): invoice_id, amount (> 0, in
// the currency's minor digits), currency, method card|ach|bank_transfer|check|cash|other,
// reference (<= 255, e.g. a cheque number), payment_method_ref (processor reference for
// card payments, never card data), idempotency_key (<= 255), received_on (YYYY-MM-DD).
// Required on create: invoice_id, amount, currency, method.
// Errors use JSON paths in `field`; codes are listed in docs/decisions/core-error-codes.md.
#include <nlohmann/json.hpp>

#include "shared/core/error.hpp"
#include "shared/validation/mode.hpp"

namespace cp::validation {

Errors validate_payment(const nlohmann::json& body, Mode mode);

}  // namespace cp::validation
