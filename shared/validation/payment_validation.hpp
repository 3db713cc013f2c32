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

// POST /invoices/{id}/payments: amount (> 0 at the invoice currency's `minor_digits`),
// method card|bank_transfer|check|cash, payment_method (a processor reference, card only),
// reference (<= 255), received_on (YYYY-MM-DD, not for card).
Errors validate_invoice_payment(const nlohmann::json& body, int32_t minor_digits);
// POST /payments/{id}/refunds: amount (> 0), reason (required, <= 500).
Errors validate_refund(const nlohmann::json& body, int32_t minor_digits);
// POST /invoices/{id}/apply-credit: amount (> 0).
Errors validate_credit_application(const nlohmann::json& body, int32_t minor_digits);
// A client paying an invoice (portal, signed link): payment_method (a processor reference,
// required), amount (optional: the whole balance; > 0 and at most `balance_due`, else
// EXCEEDS_BALANCE_DUE).
Errors validate_client_payment(const nlohmann::json& body, int32_t minor_digits, int64_t balance_due);
// POST /clients/{id}/credits: kind goodwill|correction, amount (> 0), currency, reason
// (required, <= 500), approved_by (the approving member's id, required).
Errors validate_credit_grant(const nlohmann::json& body);

}  // namespace cp::validation
