#pragma once
// Input the page delivers outside GLFW (web/portal-bridge.js): typed and composed text,
// pasted text, wheel deltas in CSS pixels, copy/cut requests, route changes. Queued by the
// exported functions and applied to ImGui at the start of the next frame.
#include <string>

namespace cp::portal {

// Feeds queued text and wheel motion to ImGui's IO; call before ImGui::NewFrame().
void apply_page_input(float dpi_scale);

// Route changes (Back/Forward, a typed URL) not yet applied to the app state.
bool take_route_change(std::string& hash);

// What Ctrl+C copies when no field is being edited (the focused table cell); screens set it.
std::string& table_copy_text();

}  // namespace cp::portal
