#pragma once
// Firm status: trial -> active | suspended | canceled; active <-> suspended; canceled is
// terminal. Offboarding (the owner leaving with an export, then retention and purge) may
// start from trial, active or suspended and be cancelled back to active until the purge,
// which ends in canceled. Only trial and active firms are usable; an offboarding firm's
// members may still read (and export), never write.
#include <optional>
#include <string_view>
#include <vector>

#include "shared/core/error.hpp"

namespace cp::state {

enum class FirmStatus { trial, active, suspended, canceled, offboarding };

std::string_view to_string(FirmStatus s);
std::optional<FirmStatus> firm_status_from_string(std::string_view text);
// INVALID_ENUM with the allowed names when `text` is not a state.
Result<FirmStatus> parse_firm_status(std::string_view text);
bool can_transition(FirmStatus from, FirmStatus to);
// `to`, or INVALID_TRANSITION (field "status") naming both states.
Result<FirmStatus> transition(FirmStatus from, FirmStatus to);
std::vector<FirmStatus> next_states(FirmStatus from);

}  // namespace cp::state

namespace cp::state {
// Tenancy rule: only these firms resolve for requests (else FIRM_CONTEXT_REQUIRED).
inline bool firm_is_usable(FirmStatus s) { return s == FirmStatus::trial || s == FirmStatus::active; }
// Members may sign in and read: usable firms and those offboarding (read-only).
inline bool firm_is_readable(FirmStatus s) { return firm_is_usable(s) || s == FirmStatus::offboarding; }
}  // namespace cp::state
