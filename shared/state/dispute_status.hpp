#pragma once
// Dispute status, following the processor's (Stripe's) lifecycle: inquiries
// (warning_*) either close or escalate to a dispute; a dispute ends won or lost.
#include <optional>
#include <string_view>
#include <vector>

#include "shared/core/error.hpp"

namespace cp::state {

enum class DisputeStatus {
    warning_needs_response,
    warning_under_review,
    warning_closed,
    needs_response,
    under_review,
    won,
    lost
};

std::string_view to_string(DisputeStatus s);
std::optional<DisputeStatus> dispute_status_from_string(std::string_view text);
// INVALID_ENUM with the allowed names when `text` is not a state.
Result<DisputeStatus> parse_dispute_status(std::string_view text);
bool can_transition(DisputeStatus from, DisputeStatus to);
// `to`, or INVALID_TRANSITION (field "status") naming both states.
Result<DisputeStatus> transition(DisputeStatus from, DisputeStatus to);
std::vector<DisputeStatus> next_states(DisputeStatus from);

// Whether a report of `reported` moves a dispute now in `current` forward (reachable
// through the table): processors deliver events out of order, and an older report of an
// earlier state must never undo a later one.
bool moves_forward(DisputeStatus current, DisputeStatus reported);
// Still to be decided: the invoice is `disputed` while one is open.
bool is_open(DisputeStatus s);

}  // namespace cp::state
