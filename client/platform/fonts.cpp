#include "client/platform/fonts.hpp"

#include <emscripten.h>
#include <emscripten/fetch.h>
#include <imgui.h>

#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

namespace cp::portal {
namespace {

// The content-hashed name of a build asset (tools/web/build-assets writes the map).
EM_JS(char*, js_asset_url, (const char* name), {
    var n = UTF8ToString(name);
    var url = (window.cpAssets && window.cpAssets[n]) || n;
    var size = lengthBytesUTF8(url) + 1;
    var p = _malloc(size);
    stringToUTF8(url, p, size);
    return p;
});

constexpr ImWchar kLatin[] = {0x0020, 0x024F, 0x2000, 0x206F, 0x20A0, 0x20CF, 0x2100, 0x215F,
                              0x2190, 0x21FF, 0x2212, 0x2212, 0};
constexpr ImWchar kWide[] = {0x0370, 0x03FF, 0x0400, 0x052F, 0x2190, 0x22FF, 0x25A0, 0x25FF, 0xFFFD, 0xFFFD, 0};
constexpr ImWchar kCjk[] = {0x3000, 0x30FF, 0x4E00, 0x9FFF, 0xFF00, 0xFFEF, 0};

struct Face {
    const char* name;
    const ImWchar* ranges;
    bool at_start;
    std::vector<unsigned char> bytes;
    bool requested = false;
};

struct FontState {
    std::vector<Face> faces{{"fonts/latin.otf", kLatin, true, {}},
                            {"fonts/wide.ttf", kWide, true, {}},
                            {"fonts/cjk.ttf", kCjk, false, {}}};
    int outstanding = 0;
    std::function<void()> on_ready;
    std::uint32_t generation = 0;
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
    if (!face->at_start) {
        ++fonts().generation;
        return;
    }
    if (--fonts().outstanding == 0 && fonts().on_ready) fonts().on_ready();
}

void request(Face& face) {
    face.requested = true;
    char* url = js_asset_url(face.name);
    emscripten_fetch_attr_t attr;
    emscripten_fetch_attr_init(&attr);
    std::strcpy(attr.requestMethod, "GET");
    attr.attributes = EMSCRIPTEN_FETCH_LOAD_TO_MEMORY;
    attr.onsuccess = on_fetched;
    attr.onerror = on_fetched;
    attr.userData = &face;
    emscripten_fetch(&attr, url);
    std::free(url);
}

bool has_cjk(std::string_view text) {
    // U+3000..U+9FFF and U+FF00..U+FFEF are three-byte sequences led by E3..E9 and EF BC..BF.
    for (std::size_t i = 0; i + 2 < text.size(); ++i) {
        const auto c = static_cast<unsigned char>(text[i]);
        const auto n = static_cast<unsigned char>(text[i + 1]);
        if (c >= 0xE3 && c <= 0xE9 && (n & 0xC0) == 0x80) return true;
        if (c == 0xEF && n >= 0xBC && n <= 0xBF) return true;
    }
    // The server may send them as JSON escapes.
    for (std::size_t i = 0; i + 5 < text.size(); ++i) {
        if (text[i] == '\\' && text[i + 1] == 'u' && text[i + 2] >= '3' && text[i + 2] <= '9') return true;
    }
    return false;
}

}  // namespace

void fetch_fonts(std::function<void()> on_ready) {
    fonts().on_ready = std::move(on_ready);
    for (auto& face : fonts().faces) {
        if (face.at_start) ++fonts().outstanding;
    }
    for (auto& face : fonts().faces) {
        if (face.at_start) request(face);
    }
}

void want_fonts_for(std::string_view text) {
    auto& cjk = fonts().faces[2];
    if (!cjk.requested && has_cjk(text)) request(cjk);
}

std::uint32_t font_generation() { return fonts().generation; }

void install_fonts(float pixel_size) {
    ImGuiIO& io = ImGui::GetIO();
    io.Fonts->Clear();
    bool any = false;
    for (auto& face : fonts().faces) {
        if (face.bytes.empty()) continue;
        ImFontConfig config;
        config.FontDataOwnedByAtlas = false;  // the bytes stay owned by FontState
        config.MergeMode = any;               // later faces fill the first one's gaps
        std::strncpy(config.Name, face.name, sizeof(config.Name) - 1);
        io.Fonts->AddFontFromMemoryTTF(face.bytes.data(), static_cast<int>(face.bytes.size()), pixel_size, &config,
                                       face.ranges);
        any = true;
    }
    if (!any) {
        ImFontConfig config;
        config.SizePixels = pixel_size;
        io.Fonts->AddFontDefault(&config);
    }
}

}  // namespace cp::portal
