#pragma once
// The portal's typefaces, subset at build time (tools/web/build-assets) and served from
// web/fonts: Inter for Latin, DejaVu Sans merged in for Greek, Cyrillic and the placeholder
// glyph U+FFFD (what emoji draw as), and a CJK face fetched only when CJK text first
// appears, so nobody downloads it for nothing.
#include <cstdint>
#include <functional>
#include <string_view>

namespace cp::portal {

// Starts fetching the start-up faces; `on_ready` runs once each has arrived (or failed, in
// which case ImGui's built-in font is used and the portal still works).
void fetch_fonts(std::function<void()> on_ready);

// Adds the fetched faces to ImGui's atlas at `pixel_size`.
void install_fonts(float pixel_size);

// Fetches the CJK face if `text` (UTF-8) has a CJK character and it is not loaded yet.
void want_fonts_for(std::string_view text);
// Changes whenever a face arrived after start-up: the atlas must then be rebuilt.
std::uint32_t font_generation();

}  // namespace cp::portal
