#pragma once
// Records where named widgets were drawn in the last frame, so browser tests (and
// accessibility tooling) can find them on an otherwise opaque canvas.
#include <string>

namespace cp::portal {

void begin_widget_frame();
// Names the item ImGui drew last (button, input, text) for this frame.
void track_last_item(const std::string& name);
// {"name":{"x":…,"y":…,"w":…,"h":…},…} in CSS pixels of the page.
std::string widget_rects_json(float dpi_scale);

}  // namespace cp::portal
