#pragma once
// Billing an hourly or mixed engagement's approved hours from the Engagements section: the
// form is judged by the core's validate_hourly_invoice (as the server reads it), and the
// draft the server makes opens on its own page, where it is issued.
#include <nlohmann/json.hpp>

#include "client/app/app_state.hpp"

namespace cp::portal {

// Opens the form for `engagement` (a row of GET /engagements), the period preset to this
// month so far on the browser's calendar.
void open_hourly_invoice_form(AppState& state, const nlohmann::json& engagement);
void judge_hourly_invoice(AppState& state);
void create_hourly_invoice(AppState& state);

}  // namespace cp::portal
