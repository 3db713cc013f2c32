#pragma once
// Payment status: recorded as pending before the processor is called, then succeeded or
// failed, or requires_action (the card needs the customer, e.g. 3-D Secure: the client
// completes it, then it succeeds or fails); a succeeded payment can be fully refunded
// (partial refunds are amounts, not states).
#include <optional>
#include <string_view>
#include <vector>

#include "shared/core/error.hpp"

namespace cp::state {

enum class PaymentStatus { pending, succeeded, failed, refunded, requires_action };

std::string_view to_string(PaymentStatus s);
std::optional<PaymentStatus> payment_status_from_string(std::string_view text);
// INVALID_ENUM with the allowed names when `text` is not a state.
Result<PaymentStatus> parse_payment_status(std::string_view text);
bool can_transition(PaymentStatus from, PaymentStatus to);
// `to`, or INVALID_TRANSITION (field "status") naming both states.
Result<PaymentStatus> transition(PaymentStatus from, PaymentStatus to);
std::vector<PaymentStatus> next_states(PaymentStatus from);

}  // namespace cp::state
