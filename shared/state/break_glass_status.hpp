#pragma once
// Break-glass session status: active -> expired (at expires_at, checked on every request)
// or revoked (with a reason). Both end states are terminal; a closed session can be
// reviewed, which is a record (reviewer + time), not a state: see can_review.
#include <optional>
#include <string_view>
#include <vector>

#include "shared/core/error.hpp"

namespace cp::state {

enum class BreakGlassStatus { active, expired, revoked };

std::string_view to_string(BreakGlassStatus s);
std::optional<BreakGlassStatus> break_glass_status_from_string(std::string_view text);
// INVALID_ENUM with the allowed names when `text` is not a state.
Result<BreakGlassStatus> parse_break_glass_status(std::string_view text);
bool can_transition(BreakGlassStatus from, BreakGlassStatus to);
// `to`, or INVALID_TRANSITION (field "status") naming both states.
Result<BreakGlassStatus> transition(BreakGlassStatus from, BreakGlassStatus to);
std::vector<BreakGlassStatus> next_states(BreakGlassStatus from);

}  // namespace cp::state

namespace cp::state {
// Only closed sessions are reviewed: reviewing a live one would bless what is still happening.
inline bool can_review(BreakGlassStatus s) { return s != BreakGlassStatus::active; }
}  // namespace cp::state
