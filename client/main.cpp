// The client portal's entry point: wires the browser, GLFW, ImGui and the screens together.
// All state lives in AppState; this file owns only the frame loop.
#include <GLFW/glfw3.h>
#include <emscripten.h>
#include <emscripten/html5.h>
#include <imgui.h>
#include <imgui_impl_glfw.h>
#include <imgui_impl_opengl3.h>

#include <string>

#include <imgui_internal.h>

#include "client/api/api_client.hpp"
#include "client/app/actions.hpp"
#include "client/app/app_state.hpp"
#include "client/app/bench_rows.hpp"
#include "client/app/frame_work.hpp"
#include "client/app/routes.hpp"
#include "client/app/signed_link_actions.hpp"
#include "client/app/staff_debug.hpp"
#include "client/app/workspace.hpp"
#include "client/platform/browser.hpp"
#include "client/platform/fonts.hpp"
#include "client/platform/input_events.hpp"
#include "client/platform/page_bridge.hpp"
#include "client/screens/screens.hpp"
#include "client/widgets/a11y_tree.hpp"
#include "client/widgets/focus_order.hpp"
#include "client/widgets/widget_rects.hpp"

namespace {

using cp::portal::AppState;

struct Portal {
    GLFWwindow* window = nullptr;
    AppState state;
    bool fonts_ready = false;
    bool ui_ready = false;
    float pixel_ratio = 1.0f;
    std::uint32_t font_generation = 0;
    int backing_w = 1, backing_h = 1;  // the canvas's pixels, which ImGui lays out in
    float main_scroll_y = 0.0f;
    float main_scroll_max_y = 0.0f;
    cp::portal::FrameWork work;
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
// HiDPI screens and the canvas follows the window. The canvas is sized directly, not through
// glfwSetWindowSize: Emscripten's GLFW turns a size equal to the screen's into a fullscreen
// request, which fails without a gesture (an error every frame, a stretched canvas).
void sync_canvas_size(Portal& p) {
    auto size = cp::portal::page_canvas_size();
    const int want_w = static_cast<int>(static_cast<float>(size.css_width) * size.device_pixel_ratio);
    const int want_h = static_cast<int>(static_cast<float>(size.css_height) * size.device_pixel_ratio);
    int w = 0, h = 0;
    emscripten_get_canvas_element_size("#canvas", &w, &h);
    if (w != want_w || h != want_h) emscripten_set_canvas_element_size("#canvas", want_w, want_h);
    p.backing_w = want_w;
    p.backing_h = want_h;
    const bool new_face = cp::portal::font_generation() != p.font_generation;
    if (!p.ui_ready || size.device_pixel_ratio != p.pixel_ratio || new_face) {
        p.font_generation = cp::portal::font_generation();
        p.pixel_ratio = size.device_pixel_ratio;
        p.state.dpi_scale = p.pixel_ratio;
        if (p.fonts_ready) {
            cp::portal::install_fonts(16.0f * p.pixel_ratio);
            // NewFrame recreates device objects only when the shader is gone, fonts included.
            ImGui_ImplOpenGL3_DestroyDeviceObjects();
            apply_style(p.pixel_ratio);
            p.ui_ready = true;
        }
    }
}

// Escape leaves a field (keeping what was typed), then a dialog, then the screen; an editor
// with unsaved changes asks first.
void handle_escape(AppState& state) {
    using cp::portal::Screen;
    ImGuiContext& g = *ImGui::GetCurrentContext();
    if (g.ActiveId != 0) {
        ImGui::ClearActiveID();
        return;
    }
    if (!state.editor.leave_to_route.empty()) {
        state.editor.leave_to_route.clear();
        return;
    }
    if (g.OpenPopupStack.Size > 0) {  // an open combo or menu closes first
        ImGui::ClosePopupToLevel(0, true);
        return;
    }
    if (state.screen == Screen::invoice_editor || state.screen == Screen::invoice_detail) {
        cp::portal::go_to_route(state, "#/invoices");
    }
    if (state.screen == Screen::staff && !state.staff.sub.empty()) {  // a form: back to its list
        cp::portal::go_to_route(state, std::string("#/") + cp::portal::section_info(state.staff.section).slug);
    }
}

void handle_keys(AppState& state) {
    if (ImGui::IsKeyPressed(GLFW_KEY_TAB)) cp::portal::focus_step(ImGui::GetIO().KeyShift);
    if (ImGui::IsKeyPressed(GLFW_KEY_ESCAPE, false)) handle_escape(state);
}

void draw_ui(Portal& p) {
    using cp::portal::Screen;
    AppState& state = p.state;
    const ImGuiViewport* viewport = ImGui::GetMainViewport();
    state.narrow = viewport->WorkSize.x / state.dpi_scale < 640.0f;
    if (state.screen == Screen::login) {
        cp::portal::draw_login_screen(state);
        return;
    }
    if (state.screen == Screen::session_expired) {
        cp::portal::draw_session_expired_screen(state);
        return;
    }
    if (state.screen == Screen::not_found) {
        cp::portal::draw_not_found_screen(state);
        return;
    }
    if (state.screen == Screen::signed_link) {
        cp::portal::draw_signed_link_screen(state);
        return;
    }
    ImGui::SetNextWindowPos(viewport->WorkPos);
    ImGui::SetNextWindowSize(viewport->WorkSize);
    ImGui::Begin(
        "ConsultantPro", nullptr,
        ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoBringToFrontOnFocus);
    cp::portal::draw_header_bar(state);
    // Firm staff work inside the workspace: sections on the left (a menu on a phone),
    // breadcrumbs and the screen on the right, scrolling on its own.
    const bool workspace = cp::portal::is_workspace_screen(state);
    if (workspace) {
        if (state.narrow) {
            cp::portal::draw_narrow_menu(state);
        } else {
            cp::portal::draw_sidebar(state, 190.0f * state.dpi_scale);
            ImGui::SameLine();
        }
        ImGui::BeginChild("content", ImVec2(0, 0), false);
        cp::portal::draw_breadcrumbs(state);
    }
    if (state.screen == Screen::invoices) cp::portal::draw_invoices_screen(state);
    if (state.screen == Screen::invoice_editor) cp::portal::draw_invoice_editor_screen(state);
    if (state.screen == Screen::invoice_detail) cp::portal::draw_invoice_detail_screen(state);
    if (state.screen == Screen::staff) cp::portal::draw_staff_screen(state);
    p.main_scroll_y = ImGui::GetScrollY();
    p.main_scroll_max_y = ImGui::GetScrollMaxY();
    if (workspace) ImGui::EndChild();
    ImGui::End();
}

void frame() {
    Portal& p = portal();
    sync_canvas_size(p);
    if (!p.ui_ready) return;  // fonts still loading: nothing worth drawing yet

    cp::portal::apply_api_results(p.state);
    std::string route;
    if (cp::portal::take_route_change(route)) cp::portal::go_to_route(p.state, route);
    ImGui_ImplOpenGL3_NewFrame();
    ImGui_ImplGlfw_NewFrame();
    ImGuiIO& io = ImGui::GetIO();
    io.DisplaySize = ImVec2(static_cast<float>(p.backing_w), static_cast<float>(p.backing_h));
    io.DisplayFramebufferScale = ImVec2(1.0f, 1.0f);
    cp::portal::apply_page_input(p.pixel_ratio);
    // Enter activates the focused button as Space does (ImGui maps only Space).
    if (!io.WantTextInput && (io.KeysDown[GLFW_KEY_ENTER] || io.KeysDown[GLFW_KEY_KP_ENTER])) {
        io.NavInputs[ImGuiNavInput_Activate] = 1.0f;
    }
    const double work_started = emscripten_get_now();
    ImGui::NewFrame();
    cp::portal::begin_widget_frame();
    cp::portal::a11y_begin_frame();
    cp::portal::focus_begin_frame();
    handle_keys(p.state);
    cp::portal::table_copy_text().clear();  // the screen drawn now says what Ctrl+C copies
    draw_ui(p);
    ImGui::Render();
    p.work.record(emscripten_get_now() - work_started);
    cp::portal::page::set_text_focus(io.WantTextInput);
    cp::portal::publish_route(p.state);

    glViewport(0, 0, p.backing_w, p.backing_h);
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
        {"invoice_statuses", [&] {
             nlohmann::json st = nlohmann::json::array();
             // The first 1,000: enough for any test's list, and a 100,000-row bench table
             // does not turn every call into a megabyte of JSON.
             for (std::size_t k = 0; k < s.invoices.rows.size() && k < 1000; ++k) st.push_back(s.invoices.rows[k].status);
             return st;
         }()},
        {"invoices_loaded", s.invoices.loaded},
        {"invoice_sort_key", s.invoice_server_sort},
        {"invoice_ids", [&] {
             nlohmann::json ids = nlohmann::json::array();
             for (std::size_t k = 0; k < s.invoices.rows.size() && k < 1000; ++k) ids.push_back(s.invoices.rows[k].id);
             return ids;
         }()},
        {"invoice_date_errors", [&] {
             nlohmann::json e = nlohmann::json::array();
             for (const auto& err : s.invoices.date_errors) e.push_back(err.code + "@" + err.field);
             return e;
         }()},
        {"route", s.published_route},
        {"return_route", s.return_route},
        {"break_glass_banner", s.break_glass.active() ? s.break_glass.operator_email + " | " + s.break_glass.reason : ""},
        {"main_scroll_y", portal().main_scroll_y},
        {"main_scroll_max_y", portal().main_scroll_max_y},
        {"narrow", s.narrow},
        {"display_size", {ImGui::GetIO().DisplaySize.x, ImGui::GetIO().DisplaySize.y}},
        {"is_portal_user", s.session.is_portal_user},
        {"editor_unsaved", s.screen == cp::portal::Screen::invoice_editor && cp::portal::editor_has_unsaved_changes(s.editor)},
        {"editor_leave_prompt", s.editor.leave_to_route},
        {"focused", cp::portal::focused_control()},
        {"popup_open", ImGui::GetCurrentContext()->OpenPopupStack.Size > 0},
        {"editor_lines", s.editor.lines.size()},
        {"login_email", std::string(s.login.email.data())},
        {"login_password_chars", std::string(s.login.password.data()).size()},  // never the password itself
        {"editor_descriptions", [&] {
             nlohmann::json d = nlohmann::json::array();
             for (const auto& line : s.editor.lines) d.push_back(std::string(line.description.data()));
             return d;
         }()},
        {"fallback_glyph", ImGui::GetIO().Fonts->Fonts.Size > 0 ? static_cast<unsigned>(ImGui::GetIO().Fonts->Fonts[0]->FallbackChar) : 0u},
        {"has_glyph", [] {
             nlohmann::json g = nlohmann::json::object();
             ImFont* font = ImGui::GetIO().Fonts->Fonts.Size > 0 ? ImGui::GetIO().Fonts->Fonts[0] : nullptr;
             for (unsigned cp : {0x0041u, 0x03A9u, 0x0416u, 0x5C71u, 0x3042u, 0xFFFDu}) {
                 g[std::to_string(cp)] = font && font->FindGlyphNoFallback(static_cast<ImWchar>(cp)) != nullptr;
             }
             return g;
         }()},
        {"editor_preview", s.editor.preview},
        {"editor_input", s.editor.last_input},
        {"editor_shown_errors", s.editor.shown_errors},
        {"detail_loaded", !s.detail.loading && s.detail.invoice.is_object()},
        // number is null on a draft: read it without assuming a string
        {"detail_number", s.detail.invoice.is_object() && s.detail.invoice.contains("number") &&
                                  s.detail.invoice["number"].is_string()
                              ? s.detail.invoice["number"].get<std::string>()
                              : std::string{}},
        {"detail_totals_match", s.detail.totals_match},
        {"firm_name", s.session.firm_name}};
    // Client billing: what the list's summary, the invoice's pay form and the history show.
    out["summary"] = s.invoices.summary;
    out["history_count"] = s.payment_history.rows.size();
    out["detail_balance_due"] = s.detail.invoice.is_object() ? s.detail.invoice.value("balance_due", "") : "";
    out["detail_pay"] = {{"outcome", s.detail.pay.outcome},
                         {"paying", s.detail.pay.in_flight},
                         {"download_note", s.detail.download_note},
                         {"errors", [&] {
                              nlohmann::json e = nlohmann::json::array();
                              for (const auto& err : s.detail.pay.errors) e.push_back(err.code + "@" + err.field);
                              return e;
                          }()}};
    // Staff actions on the open invoice: what the panel shows and which errors it drew.
    out["manage"] = {{"notice", s.manage.notice},
                     {"payments", s.manage.payments.size()},
                     {"links", s.manage.links},
                     {"new_link_url", s.manage.new_link_url},
                     {"detail_status", s.detail.invoice.is_object() ? s.detail.invoice.value("status", "") : ""},
                     {"shown_errors", [&] {
                          nlohmann::json e = nlohmann::json::array();
                          for (const auto* f : std::initializer_list<const cp::portal::ManageForm*>{
                                   &s.manage.payment, &s.manage.credit, &s.manage.void_form, &s.manage.refund}) {
                              for (const auto& code : f->shown_errors) e.push_back(code);
                          }
                          return e;
                      }()}};
    out["hourly"] = {{"engagement_id", s.hourly.engagement_id}, {"shown_errors", s.hourly.shown_errors}};
    out["package_run"] = {{"open", s.package_run.open},
                          {"in_flight", s.package_run.in_flight},
                          {"shown_errors", s.package_run.shown_errors},
                          {"preview", s.package_run.preview},
                          {"previewed_date", s.package_run.previewed_date},
                          {"result", s.package_run.result}};
    out["portal_users"] = {{"client_id", s.portal_users.client_id},
                           {"count", s.portal_users.rows.size()},
                           {"loading", s.portal_users.loading},
                           {"saving", s.portal_users.saving},
                           {"notice", s.portal_users.notice},
                           {"shown_errors", s.portal_users.shown_errors}};
    if (s.screen == cp::portal::Screen::signed_link) {
        const auto& inv = s.link.view.is_object() ? s.link.view["invoice"] : nlohmann::json::object();
        out["link"] = {{"loading", s.link.loading},
                       {"problem", static_cast<int>(s.link.problem)},
                       {"balance_due", inv.value("balance_due", "")},
                       {"amount_paid", inv.value("amount_paid", "")},
                       {"status", inv.value("status", "")},
                       {"payable", s.link.view.is_object() && s.link.view.value("payable", false)},
                       {"payments", s.link.payments.size()},
                       {"paying", s.link.pay.in_flight},
                       {"outcome", s.link.pay.outcome},
                       {"errors", [&] {
                            nlohmann::json e = nlohmann::json::array();
                            for (const auto& err : s.link.pay.errors) e.push_back(err.code + "@" + err.field);
                            return e;
                        }()},
                       {"download_note", s.link.download_note}};
    }
    out["editor_draft_id"] = s.editor.draft_id;
    out["editor_issued_number"] = s.editor.issued_number;
    out["editor_server_errors"] = s.editor.server_errors;
    out["editor_client_id"] = s.editor.client_id;
    out["frame_work"] = portal().work.to_json();
    out["invoice_sort"] = {{"column", s.invoice_sort.column}, {"descending", s.invoice_sort.descending}};
    if (!s.session.is_portal_user && !s.session.token.empty()) out["staff"] = cp::portal::staff_debug_state(s);
    if (s.login.error) out["login_error"] = {{"code", s.login.error->code}, {"message", s.login.error->message}};
    out["login_firms"] = s.login.firm_choices.size();
    json = out.dump();
    return json.c_str();
}

// bench/portal-frame-time: repeats the loaded invoice rows up to `count` in this tab only
// (client/app/bench_rows.hpp). Answers the rows now listed.
EMSCRIPTEN_KEEPALIVE int cp_bench_fill_invoices(int count) {
    return cp::portal::fill_invoice_rows_for_bench(portal().state, count);
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
    ImGuiIO& io = ImGui::GetIO();
    io.IniFilename = nullptr;  // no layout persistence in the browser
    io.ConfigFlags |= ImGuiConfigFlags_NavEnableKeyboard;
    ImGui_ImplGlfw_InitForOpenGL(p.window, true);
    ImGui_ImplOpenGL3_Init("#version 300 es");
    // The page delivers text (IME, emoji, paste) and wheel deltas itself (portal-bridge.js):
    // GLFW's versions drop composed text and flip and quantise the wheel.
    glfwSetCharCallback(p.window, nullptr);
    glfwSetScrollCallback(p.window, nullptr);
    // Tab order and Escape are the portal's (every control, and no silent undo of an edit).
    io.KeyMap[ImGuiKey_Tab] = -1;
    io.KeyMap[ImGuiKey_Escape] = -1;
    // The clipboard is the browser's, reached through copy/paste events; ImGui's own
    // shortcuts would only see Emscripten's private string.
    io.SetClipboardTextFn = [](void*, const char*) {};
    io.GetClipboardTextFn = [](void*) -> const char* { return ""; };

    // A signed invoice link (/i/<token>) opens that invoice without an account; the tab's
    // session, if any, is left alone and unused.
    if (auto token = cp::portal::signed_link_token(cp::portal::page::current_path())) {
        cp::portal::open_signed_link(p.state, *token);
    } else {
        if (cp::portal::restore_session(p.state)) p.state.screen = cp::portal::Screen::invoices;
        cp::portal::go_to_route(p.state, cp::portal::page::current_hash());
    }

    cp::portal::fetch_fonts([] { portal().fonts_ready = true; });
    emscripten_set_main_loop(frame, 0, true);
    return 0;
}
