#pragma once
// The Pipeline section's pages besides the board (pipeline_screen.cpp draws the board and
// picks one of these by the route): the lead editor and the proposal editor.
#include "client/app/app_state.hpp"

namespace cp::portal {

void draw_lead_editor_screen(AppState& state);      // #/pipeline/new-lead, #/pipeline/lead_…
void draw_proposal_editor_screen(AppState& state);  // #/pipeline/new-proposal, #/pipeline/prop_…

}  // namespace cp::portal
