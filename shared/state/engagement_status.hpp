#pragma once
// Engagement status: current -> completed -> renewed (renewing a current engagement
// directly is allowed too). Pricing terms freeze once completed or invoiced.
#include <optional>
#include <string_view>
#include <vector>

#include "shared/core/error.hpp"

namespace cp::state {

enum class EngagementStatus { current, completed, renewed };

std::string_view to_string(EngagementStatus s);
std::optional<EngagementStatus> engagement_status_from_string(std::string_view text);
// INVALID_ENUM with the allowed names when `text` is not a state.
Result<EngagementStatus> parse_engagement_status(std::string_view text);
bool can_transition(EngagementStatus from, EngagementStatus to);
// `to`, or INVALID_TRANSITION (field "status") naming both states.
Result<EngagementStatus> transition(EngagementStatus from, EngagementStatus to);
std::vector<EngagementStatus> next_states(EngagementStatus from);

}  // namespace cp::state
