#include "client/widgets/widget_rects.hpp"

#include <imgui.h>
#include <nlohmann/json.hpp>

#include <map>

namespace cp::portal {
namespace {

struct Rect {
    float x, y, w, h;
};

std::map<std::string, Rect>& building() {
    static std::map<std::string, Rect> rects;
    return rects;
}
std::map<std::string, Rect>& published() {
    static std::map<std::string, Rect> rects;
    return rects;
}

}  // namespace

void begin_widget_frame() {
    published() = std::move(building());
    building().clear();
}

void track_last_item(const std::string& name) {
    ImVec2 min = ImGui::GetItemRectMin();
    ImVec2 max = ImGui::GetItemRectMax();
    building()[name] = {min.x, min.y, max.x - min.x, max.y - min.y};
}

std::string widget_rects_json(float dpi_scale) {
    nlohmann::json out = nlohmann::json::object();
    for (const auto& [name, r] : published()) {
        // Integer CSS pixels: enough to click a centre, and stable between frames.
        out[name] = {{"x", static_cast<int>(r.x / dpi_scale)},
                     {"y", static_cast<int>(r.y / dpi_scale)},
                     {"w", static_cast<int>(r.w / dpi_scale)},
                     {"h", static_cast<int>(r.h / dpi_scale)}};
    }
    return out.dump();
}

}  // namespace cp::portal
