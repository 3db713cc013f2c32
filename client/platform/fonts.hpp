#pragma once
// The portal's typefaces (Debian's fonts-inter, DejaVu as a wide-coverage fallback) are
// served from web/fonts and fetched at start-up, not embedded in the .wasm.
#include <functional>

namespace cp::portal {

// Starts fetching; `on_ready` runs once every face has arrived (or failed, in which case
// ImGui's built-in font is used and the portal still works).
void fetch_fonts(std::function<void()> on_ready);

// Adds the fetched faces to ImGui's atlas at `pixel_size`.
void install_fonts(float pixel_size);

}  // namespace cp::portal
