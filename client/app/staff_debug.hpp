#pragma once
// What the firm workspace shows, summarised for browser tests (cp_debug_state's "staff").
#include <nlohmann/json.hpp>

#include "client/app/app_state.hpp"

namespace cp::portal {

nlohmann::json staff_debug_state(const AppState& state);

}  // namespace cp::portal
