#pragma once
// The few facts the portal needs from the page it runs in.
#include <cstdint>

namespace cp::portal {

struct CanvasSize {
    int css_width = 0;
    int css_height = 0;
    float device_pixel_ratio = 1.0f;
};

CanvasSize page_canvas_size();
// Lets tests and monitoring see that frames are being produced.
void publish_frame_number(std::uint32_t frame);

}  // namespace cp::portal
