#pragma once
// Calls from the portal to the page half of the browser integration (web/portal-bridge.js)
// and to the page's storage. Thin: each function is one browser call.
#include <cstdint>
#include <string>

namespace cp::portal::page {

// Text typing goes to the page's hidden textarea while an ImGui field is being edited.
void set_text_focus(bool editing);
// Shows `hash` in the address bar; a push adds a history entry Back can return to.
void set_route(const std::string& hash, bool replace);
std::string current_hash();
// The address's path ("/i/<token>" for a signed invoice link, "/" otherwise).
std::string current_path();
// "http://host:port": what a link the page hands out (a signed invoice link) starts with.
std::string current_origin();
// Downloads `url` (same origin, with the bearer token if any) as a file named `filename`:
// fetched into a Blob and saved through an <a download>, so the person stays on the page.
// Returns an id for download_status.
int start_download(const std::string& url, const std::string& bearer_token, const std::string& filename,
                   const std::string& accept = "application/pdf");
// 0 while the download runs; then the HTTP status (200 when the file was saved), -1 when
// the network failed.
int download_status(int id);
// The accessibility mirror's items as JSON (see client/widgets/a11y_tree.hpp).
void sync_mirror(const std::string& json);
void set_title(const std::string& title);
// Puts `text` on the system clipboard (a menu's "Copy"; the click's user activation allows it).
void copy_text(const std::string& text);

// The signed-in session survives reloads of this tab only (sessionStorage), never others.
void store_session(const std::string& json);
std::string stored_session();
void clear_session();

// What outlives the tab on this browser (localStorage): a running timer. "" when absent.
void store_local(const std::string& key, const std::string& value);
std::string stored_local(const std::string& key);
void remove_local(const std::string& key);

// Milliseconds since the Unix epoch, from the browser's clock.
double now_ms();

}  // namespace cp::portal::page
