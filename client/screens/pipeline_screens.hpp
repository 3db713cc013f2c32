#pragma once
// The Pipeline section's pieces besides the board (pipeline_screen.cpp draws the board and
// picks an editor by the route): the lead editor, the proposal editor, the report figures.
#include <nlohmann/json.hpp>
#include <string>

#include "client/app/app_state.hpp"

namespace cp::portal {

void draw_lead_editor_screen(AppState& state);      // #/pipeline/new-lead, #/pipeline/lead_…
void draw_proposal_editor_screen(AppState& state);  // #/pipeline/new-proposal, #/pipeline/prop_…
// The report's figures over the board (pipeline_figures.cpp).
void draw_pipeline_figures(AppState& state);
// {"USD": "24000.00", "EUR": "10.00"} as "24000.00 USD, 10.00 EUR" ("" when empty).
std::string pipeline_value_text(const nlohmann::json& value);

}  // namespace cp::portal
