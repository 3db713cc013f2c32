#include "client/platform/browser.hpp"

#include <emscripten.h>

namespace {

EM_JS(int, js_css_width, (), { return Math.max(1, Math.floor(window.innerWidth)); });
EM_JS(int, js_css_height, (), { return Math.max(1, Math.floor(window.innerHeight)); });
// Thousandths, to pass a fractional ratio (1.25, 1.5) through an int.
EM_JS(int, js_dpr_milli, (), { return Math.round((window.devicePixelRatio || 1) * 1000); });
EM_JS(void, js_publish_frame, (int frame), { window.cpFrame = frame; });

}  // namespace

namespace cp::portal {

CanvasSize page_canvas_size() {
    CanvasSize size;
    size.css_width = js_css_width();
    size.css_height = js_css_height();
    size.device_pixel_ratio = static_cast<float>(js_dpr_milli()) / 1000.0f;
    if (size.device_pixel_ratio < 0.5f) size.device_pixel_ratio = 1.0f;
    return size;
}

void publish_frame_number(std::uint32_t frame) { js_publish_frame(static_cast<int>(frame)); }

}  // namespace cp::portal
