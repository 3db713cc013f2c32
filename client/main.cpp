// The client portal's entry point: wires the browser, GLFW, ImGui and the screens together.
// All state lives in AppState; this file owns only the frame loop.
#include <GLFW/glfw3.h>
#include <emscripten.h>
#include <imgui.h>
#include <imgui_impl_glfw.h>
#include <imgui_impl_opengl3.h>

#include <string>

#include "client/api/api_client.hpp"
#include "client/app/app_state.hpp"
#include "client/platform/browser.hpp"
#include "client/platform/fonts.hpp"
#include "client/screens/screens.hpp"
#include "client/widgets/widget_rects.hpp"

namespace {

using cp::portal::AppState;

struct Portal {
    GLFWwindow* window = nullptr;
    AppState state;
    bool fonts_ready = false;
    bool ui_ready = false;
    float pixel_ratio = 1.0f;
};

Portal& portal() {
    static Portal p;  // the one instance; main() owns its lifetime through the frame loop
    return p;
}

void apply_style(float scale) {
    ImGuiStyle& style = ImGui::GetStyle();
    style = ImGuiStyle();
    ImGui::StyleColorsLight(&style);
    style.WindowRounding = 6.0f;
    style.FrameRounding = 4.0f;
    style.FramePadding = ImVec2(8, 5);
    style.ItemSpacing = ImVec2(10, 7);
    style.CellPadding = ImVec2(8, 5);
    style.Colors[ImGuiCol_WindowBg] = ImVec4(0.97f, 0.97f, 0.98f, 1.0f);
    style.ScaleAllSizes(scale);
}

// Keeps the canvas's backing store at CSS size × devicePixelRatio, so text stays sharp on
// HiDPI screens and the canvas follows the window.
void sync_canvas_size(Portal& p) {
    auto size = cp::portal::page_canvas_size();
    int want_w = static_cast<int>(static_cast<float>(size.css_width) * size.device_pixel_ratio);
    int want_h = static_cast<int>(static_cast<float>(size.css_height) * size.device_pixel_ratio);
    int w = 0, h = 0;
    glfwGetWindowSize(p.window, &w, &h);
    if (w != want_w || h != want_h) glfwSetWindowSize(p.window, want_w, want_h);
    if (!p.ui_ready || size.device_pixel_ratio != p.pixel_ratio) {
        p.pixel_ratio = size.device_pixel_ratio;
        p.state.dpi_scale = p.pixel_ratio;
        if (p.fonts_ready) {
            cp::portal::install_fonts(16.0f * p.pixel_ratio);
            ImGui_ImplOpenGL3_DestroyFontsTexture();
            apply_style(p.pixel_ratio);
            p.ui_ready = true;
        }
    }
}

void draw_ui(AppState& state) {
    using cp::portal::Screen;
    const ImGuiViewport* viewport = ImGui::GetMainViewport();
    if (state.screen == Screen::login) {
        cp::portal::draw_login_screen(state);
        return;
    }
    ImGui::SetNextWindowPos(viewport->WorkPos);
    ImGui::SetNextWindowSize(viewport->WorkSize);
    ImGui::Begin(
        "ConsultantPro", nullptr,
        ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoBringToFrontOnFocus);
    cp::portal::draw_header_bar(state);
    if (state.screen == Screen::invoices) cp::portal::draw_invoices_screen(state);
    if (state.screen == Screen::invoice_editor) cp::portal::draw_invoice_editor_screen(state);
    if (state.screen == Screen::invoice_detail) cp::portal::draw_invoice_detail_screen(state);
    ImGui::End();
}

void frame() {
    Portal& p = portal();
    sync_canvas_size(p);
    if (!p.ui_ready) return;  // fonts still loading: nothing worth drawing yet

    cp::portal::apply_api_results(p.state);
    ImGui_ImplOpenGL3_NewFrame();
    ImGui_ImplGlfw_NewFrame();
    ImGui::NewFrame();
    cp::portal::begin_widget_frame();
    draw_ui(p.state);
    ImGui::Render();

    int fb_w = 0, fb_h = 0;
    glfwGetFramebufferSize(p.window, &fb_w, &fb_h);
    glViewport(0, 0, fb_w, fb_h);
    glClearColor(0.93f, 0.94f, 0.96f, 1.0f);
    glClear(GL_COLOR_BUFFER_BIT);
    ImGui_ImplOpenGL3_RenderDrawData(ImGui::GetDrawData());
    cp::portal::publish_frame_number(++p.state.frame);
}

}  // namespace

extern "C" {

// Last frame's named widget rectangles (CSS pixels), for browser tests.
EMSCRIPTEN_KEEPALIVE const char* cp_widget_rects() {
    static std::string json;
    json = cp::portal::widget_rects_json(portal().state.dpi_scale);
    return json.c_str();
}

// A content-light summary of what the portal shows: screen, invoice rows, the editor's
// last preview. Lets a test compare the portal's figures with the server's.
EMSCRIPTEN_KEEPALIVE const char* cp_debug_state() {
    static std::string json;
    const auto& s = portal().state;
    nlohmann::json out = {
        {"screen", static_cast<int>(s.screen)},
        {"frame", s.frame},
        {"signed_in", !s.session.token.empty()},
        {"invoice_count", s.invoices.rows.size()},
        {"invoices_loaded", s.invoices.loaded},
        {"break_glass_banner", s.break_glass_banner},
        {"editor_preview", s.editor.preview},
        {"editor_input", s.editor.last_input},
        {"editor_shown_errors", s.editor.shown_errors},
        {"detail_loaded", !s.detail.loading && s.detail.invoice.is_object()},
        {"detail_number", s.detail.invoice.is_object() ? s.detail.invoice.value("number", "") : ""},
        {"detail_totals_match", s.detail.totals_match},
        {"firm_name", s.session.firm_name}};
    out["editor_draft_id"] = s.editor.draft_id;
    out["editor_issued_number"] = s.editor.issued_number;
    out["editor_server_errors"] = s.editor.server_errors;
    out["editor_client_id"] = s.editor.client_id;
    if (s.login.error) out["login_error"] = {{"code", s.login.error->code}, {"message", s.login.error->message}};
    json = out.dump();
    return json.c_str();
}

}  // extern "C"

int main() {
    if (!glfwInit()) return 1;
    glfwWindowHint(GLFW_CLIENT_API, GLFW_OPENGL_ES_API);
    glfwWindowHint(GLFW_CONTEXT_VERSION_MAJOR, 3);
    glfwWindowHint(GLFW_CONTEXT_VERSION_MINOR, 0);
    Portal& p = portal();
    auto size = cp::portal::page_canvas_size();
    p.window =
        glfwCreateWindow(static_cast<int>(static_cast<float>(size.css_width) * size.device_pixel_ratio),
                         static_cast<int>(static_cast<float>(size.css_height) * size.device_pixel_ratio),
                         "ConsultantPro", nullptr, nullptr);
    if (!p.window) return 1;
    glfwMakeContextCurrent(p.window);

    IMGUI_CHECKVERSION();
    ImGui::CreateContext();
    ImGui::GetIO().IniFilename = nullptr;  // no layout persistence in the browser
    ImGui_ImplGlfw_InitForOpenGL(p.window, true);
    ImGui_ImplOpenGL3_Init("#version 300 es");

    cp::portal::fetch_fonts([] { portal().fonts_ready = true; });
    emscripten_set_main_loop(frame, 0, true);
    return 0;
}
