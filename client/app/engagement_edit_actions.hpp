#pragma once
// Editing and renewing one engagement. Both forms are judged by the core's rules for
// changing an engagement (shared/validation/engagement_changes.hpp), the functions the
// server runs on the same bodies, so a change the core refuses is never sent.
#include <nlohmann/json.hpp>
#include <string>

#include "client/app/app_state.hpp"

namespace cp::portal {

void load_engagement_edit(AppState& state, const std::string& id);
bool engagement_pricing_frozen(const EngagementEdit& edit);

// The fields whose value differs from the stored engagement (the PATCH body).
nlohmann::json engagement_edit_changes(const EngagementEdit& edit);
void validate_engagement_edit(EngagementEdit& edit);
void save_engagement_edit(AppState& state);

// The overrides typed in the renew form (the POST …/renew body).
nlohmann::json engagement_renew_body(const EngagementEdit& edit);
void validate_engagement_renewal(EngagementEdit& edit);
void renew_open_engagement(AppState& state);

// What cp_debug_state shows of the open engagement.
nlohmann::json engagement_edit_debug(const EngagementEdit& edit);

}  // namespace cp::portal
