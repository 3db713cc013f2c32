#include "client/platform/input_events.hpp"

#include "client/platform/fonts.hpp"

#include <emscripten.h>
#include <imgui.h>
#include <imgui_internal.h>

#include <deque>
#include <string>

namespace cp::portal {
namespace {

struct PageInput {
    std::deque<std::string> text;
    float wheel_x = 0, wheel_y = 0;  // CSS pixels, browser convention (positive = down/right)
    bool route_changed = false;
    std::string route;
};

PageInput& input() {
    static PageInput queued;  // filled by browser events between frames
    return queued;
}

// Single-line fields take pasted line breaks and tabs as spaces instead of dropping them.
std::string flatten_controls(const std::string& s) {
    std::string out;
    out.reserve(s.size());
    for (std::size_t i = 0; i < s.size(); ++i) {
        const unsigned char c = static_cast<unsigned char>(s[i]);
        if (c == '\r' && i + 1 < s.size() && s[i + 1] == '\n') continue;
        if (c < 0x20 || c == 0x7F) {
            out.push_back(' ');
            continue;
        }
        out.push_back(static_cast<char>(c));
    }
    return out;
}

// The active field's text and selection, as ImGui holds it while editing.
std::string active_selection() {
    ImGuiContext& g = *ImGui::GetCurrentContext();
    ImGuiInputTextState* state = ImGui::GetInputTextState(g.ActiveId);
    if (!state || state->ID == 0 || (state->Flags & ImGuiInputTextFlags_Password)) return {};
    int begin = 0, end = state->CurLenW;
    if (state->HasSelection()) {
        begin = ImMin(state->Stb.select_start, state->Stb.select_end);
        end = ImMax(state->Stb.select_start, state->Stb.select_end);
    }
    std::string out;
    out.resize(static_cast<std::size_t>((end - begin) * 4 + 1));
    int n = ImTextStrToUtf8(out.data(), static_cast<int>(out.size()), state->TextW.Data + begin,
                            state->TextW.Data + end);
    out.resize(static_cast<std::size_t>(n));
    return out;
}

std::string& copy_answer() {
    static std::string answer;  // must outlive the ccall that returns it
    return answer;
}

}  // namespace

// Text outside a field (a table's focused cell) is published by the screens each frame.
std::string& table_copy_text() {
    static std::string text;
    return text;
}

void apply_page_input(float dpi_scale) {
    ImGuiIO& io = ImGui::GetIO();
    auto& in = input();
    // ImGui ignores characters while Ctrl is down (they are shortcuts), and a paste arrives
    // during Ctrl+V: it waits for the key's release.
    while (!in.text.empty() && !io.KeyCtrl) {
        want_fonts_for(in.text.front());
        io.AddInputCharactersUTF8(in.text.front().c_str());
        in.text.pop_front();
    }
    // ImGui scrolls 5 font heights per wheel unit; convert pixels so content follows the
    // finger or wheel by the distance the browser reports, in the browser's direction.
    const float pixels_per_unit = 5.0f * ImGui::GetFontSize() / (dpi_scale > 0 ? dpi_scale : 1.0f);
    if (in.wheel_y != 0) io.MouseWheel -= in.wheel_y / pixels_per_unit;
    if (in.wheel_x != 0) io.MouseWheelH -= in.wheel_x / pixels_per_unit;
    in.wheel_x = in.wheel_y = 0;
}

bool take_route_change(std::string& hash) {
    auto& in = input();
    if (!in.route_changed) return false;
    in.route_changed = false;
    hash = in.route;
    return true;
}

}  // namespace cp::portal

extern "C" {

EMSCRIPTEN_KEEPALIVE void cp_text_input(const char* utf8) {
    if (utf8 && *utf8) cp::portal::input().text.emplace_back(cp::portal::flatten_controls(utf8));
}

EMSCRIPTEN_KEEPALIVE void cp_paste(const char* utf8) {
    if (utf8 && *utf8) cp::portal::input().text.emplace_back(cp::portal::flatten_controls(utf8));
}

// The text a copy or cut should put on the clipboard: the active field's selection (its
// whole text when nothing is selected, as ImGui does), else the focused table cell.
EMSCRIPTEN_KEEPALIVE const char* cp_copy_selection(int cut) {
    auto& answer = cp::portal::copy_answer();
    // A cut only needs the text here: ImGui removes it itself when it sees Ctrl+X next frame.
    (void)cut;
    answer = cp::portal::active_selection();
    if (answer.empty() && ImGui::GetCurrentContext()->ActiveId == 0) answer = cp::portal::table_copy_text();
    return answer.c_str();
}

EMSCRIPTEN_KEEPALIVE void cp_wheel(double dx, double dy) {
    auto& in = cp::portal::input();
    in.wheel_x += static_cast<float>(dx);
    in.wheel_y += static_cast<float>(dy);
}

EMSCRIPTEN_KEEPALIVE void cp_route_changed(const char* hash) {
    auto& in = cp::portal::input();
    in.route_changed = true;
    in.route = hash ? hash : "";
}

}  // extern "C"
