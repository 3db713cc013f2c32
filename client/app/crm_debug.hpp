#pragma once
// The Pipeline section summarised for browser tests (cp_debug_state's "staff.pipeline").
#include <nlohmann/json.hpp>

#include "client/app/app_state.hpp"

namespace cp::portal {

nlohmann::json crm_debug_state(const AppState& state);

}  // namespace cp::portal
