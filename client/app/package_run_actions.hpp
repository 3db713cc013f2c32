#pragma once
// The package fee run on demand (POST /billing/package-run): the form is judged by the
// core's validate_package_run (as the server reads it); a dry run comes first.
#include "client/app/app_state.hpp"

namespace cp::portal {

void judge_package_run(AppState& state);
void preview_package_run(AppState& state);
void start_package_run(AppState& state);

}  // namespace cp::portal
