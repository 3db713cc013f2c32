#pragma once
// #/engagements/<id>: edit one engagement and renew it (engagement_edit_actions.hpp).
#include "client/app/app_state.hpp"

namespace cp::portal {

void draw_engagement_edit(AppState& state);

}  // namespace cp::portal
