#include "client/platform/fonts.hpp"

#include <emscripten/fetch.h>
#include <imgui.h>

#include <cstring>
#include <string>
#include <vector>

namespace cp::portal {
namespace {

struct Face {
    const char* url;
    std::vector<unsigned char> bytes;
    bool merge;  // glyphs merged into the previous face as a fallback
};

struct FontState {
    std::vector<Face> faces{{"fonts/Inter-Regular.otf", {}, false},
                            {"fonts/DejaVuSans.ttf", {}, true},
                            {"fonts/Inter-SemiBold.otf", {}, false}};
    int outstanding = 0;
    std::function<void()> on_ready;
};

FontState& fonts() {
    static FontState state;
    return state;
}

void on_fetched(emscripten_fetch_t* fetch) {
    auto* face = static_cast<Face*>(fetch->userData);
    if (fetch->status == 200 && fetch->numBytes > 0) {
        face->bytes.assign(fetch->data, fetch->data + fetch->numBytes);
    }
    emscripten_fetch_close(fetch);
    if (--fonts().outstanding == 0 && fonts().on_ready) fonts().on_ready();
}

}  // namespace

void fetch_fonts(std::function<void()> on_ready) {
    fonts().on_ready = std::move(on_ready);
    fonts().outstanding = static_cast<int>(fonts().faces.size());
    for (auto& face : fonts().faces) {
        emscripten_fetch_attr_t attr;
        emscripten_fetch_attr_init(&attr);
        std::strcpy(attr.requestMethod, "GET");
        attr.attributes = EMSCRIPTEN_FETCH_LOAD_TO_MEMORY;
        attr.onsuccess = on_fetched;
        attr.onerror = on_fetched;
        attr.userData = &face;
        emscripten_fetch(&attr, face.url);
    }
}

void install_fonts(float pixel_size) {
    ImGuiIO& io = ImGui::GetIO();
    io.Fonts->Clear();
    static const ImWchar fallback_ranges[] = {0x0020, 0x00FF, 0x0100, 0x024F, 0x20A0, 0x20CF,
                                              0x2190, 0x21FF, 0x2200, 0x22FF, 0};
    bool any = false;
    for (auto& face : fonts().faces) {
        if (face.bytes.empty()) continue;
        if (face.merge && !any) continue;
        ImFontConfig config;
        config.FontDataOwnedByAtlas = false;  // the bytes stay owned by FontState
        config.MergeMode = face.merge;
        std::strncpy(config.Name, face.url, sizeof(config.Name) - 1);
        io.Fonts->AddFontFromMemoryTTF(face.bytes.data(), static_cast<int>(face.bytes.size()),
                                       pixel_size, &config, face.merge ? fallback_ranges : nullptr);
        any = true;
    }
    if (!any) {
        ImFontConfig config;
        config.SizePixels = pixel_size;
        io.Fonts->AddFontDefault(&config);
    }
}

}  // namespace cp::portal
