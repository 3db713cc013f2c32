#pragma once
// Tab and Shift+Tab through every control, in the order the screen draws them (ImGui 1.86
// only tabs between text fields). Widgets register themselves each frame and ask whether
// they should take focus.
#include <string>

namespace cp::portal {

void focus_begin_frame();
void focus_register(const std::string& id, bool focused_now);
// Moves focus to the next (or previous) control of the last frame.
void focus_step(bool backwards);
// Asks for `id` to take focus in the next frame (initial focus, Tab).
void focus_request(const std::string& id);
bool focus_take_request(const std::string& id);
// The control that had focus in the last frame, or "".
const std::string& focused_control();

}  // namespace cp::portal
