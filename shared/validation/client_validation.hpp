#pragma once
// Client bodies: company_name 1..200, billing_email, status active|inactive|terminated,
// portal_enabled, autopay_enabled, payment_method_ref (a processor reference, never card
// data), time_zone (optional, defaults to the firm's), contacts [{name, email, phone}].
// Required on create: company_name, billing_email. Enabling autopay needs a payment
// method reference: in the body, or (update) already stored on the client.
// Errors use JSON paths in `field`; codes are listed in docs/decisions/core-error-codes.md.
#include <nlohmann/json.hpp>

#include "shared/core/error.hpp"
#include "shared/validation/mode.hpp"

namespace cp::validation {

// What the server knows about the stored client when validating an update.
// What an update is checked against: the stored client's autopay state.
struct ClientContext {
    bool has_payment_method_ref = false;
    bool autopay_enabled = false;
};

Errors validate_client(const nlohmann::json& body, Mode mode, const ClientContext& stored);
inline Errors validate_client(const nlohmann::json& body, Mode mode) {
    return validate_client(body, mode, ClientContext{});
}

}  // namespace cp::validation
