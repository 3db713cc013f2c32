#include "client/platform/page_bridge.hpp"

#include <emscripten.h>
#include <emscripten/html5.h>

#include <cstdlib>

namespace {

EM_JS(void, js_set_text_focus, (int on), {
    if (window.cpBridge) window.cpBridge.setTextFocus(!!on);
});
EM_JS(void, js_set_route, (const char* hash, int replace), {
    if (window.cpBridge) window.cpBridge.setRoute(UTF8ToString(hash), !!replace);
});
EM_JS(char*, js_current_hash, (), {
    var s = location.hash || "";
    var n = lengthBytesUTF8(s) + 1;
    var p = _malloc(n);
    stringToUTF8(s, p, n);
    return p;
});
EM_JS(char*, js_current_path, (), {
    var s = location.pathname || "/";
    var n = lengthBytesUTF8(s) + 1;
    var p = _malloc(n);
    stringToUTF8(s, p, n);
    return p;
});
EM_JS(char*, js_current_origin, (), {
    var s = location.origin || "";
    var n = lengthBytesUTF8(s) + 1;
    var p = _malloc(n);
    stringToUTF8(s, p, n);
    return p;
});
// The result stays in window.cpDownloads[id] (status, bytes, name) for the portal to poll
// and for tests to read; the object URL is released once the click has started the save.
EM_JS(int, js_start_download, (const char* url, const char* token, const char* filename, const char* accept), {
    var u = UTF8ToString(url), t = UTF8ToString(token), name = UTF8ToString(filename), type = UTF8ToString(accept);
    window.cpDownloads = window.cpDownloads || {};
    var id = Object.keys(window.cpDownloads).length + 1;
    var record = { status: 0, bytes: 0, name: name, type: "" };
    window.cpDownloads[id] = record;
    var headers = { 'Accept': type };
    if (t) headers['Authorization'] = 'Bearer ' + t;
    fetch(u, { headers: headers, credentials: 'same-origin' }).then(function (r) {
        if (!r.ok) { record.status = r.status; return; }
        return r.blob().then(function (blob) {
            var href = URL.createObjectURL(blob);
            var a = document.createElement('a');
            a.href = href;
            a.download = name;
            a.style.display = 'none';
            document.body.appendChild(a);
            a.click();
            a.remove();
            setTimeout(function () { URL.revokeObjectURL(href); }, 10000);
            record.bytes = blob.size;
            record.type = blob.type;
            record.status = r.status;
        });
    }).catch(function () { record.status = -1; });
    return id;
});
EM_JS(int, js_download_status, (int id), {
    var r = window.cpDownloads && window.cpDownloads[id];
    return r ? r.status : -1;
});
EM_JS(void, js_sync_mirror, (const char* json), {
    if (window.cpBridge) window.cpBridge.syncMirror(UTF8ToString(json));
});
EM_JS(void, js_copy_text, (const char* text), {
    var value = UTF8ToString(text);
    window.cpLastCopied = value;
    if (navigator.clipboard && navigator.clipboard.writeText) navigator.clipboard.writeText(value).catch(function () {});
});
EM_JS(void, js_set_title, (const char* title), { document.title = UTF8ToString(title); });
EM_JS(void, js_store_session, (const char* json), {
    try { sessionStorage.setItem('cp.session', UTF8ToString(json)); } catch (e) {}
});
EM_JS(char*, js_stored_session, (), {
    var s = "";
    try { s = sessionStorage.getItem('cp.session') || ""; } catch (e) {}
    var n = lengthBytesUTF8(s) + 1;
    var p = _malloc(n);
    stringToUTF8(s, p, n);
    return p;
});
EM_JS(void, js_clear_session, (), {
    try { sessionStorage.removeItem('cp.session'); } catch (e) {}
});
EM_JS(void, js_store_local, (const char* key, const char* value), {
    try { localStorage.setItem(UTF8ToString(key), UTF8ToString(value)); } catch (e) {}
});
EM_JS(char*, js_stored_local, (const char* key), {
    var s = "";
    try { s = localStorage.getItem(UTF8ToString(key)) || ""; } catch (e) {}
    var n = lengthBytesUTF8(s) + 1;
    var p = _malloc(n);
    stringToUTF8(s, p, n);
    return p;
});
EM_JS(void, js_remove_local, (const char* key), {
    try { localStorage.removeItem(UTF8ToString(key)); } catch (e) {}
});

std::string take(char* p) {
    std::string s = p ? p : "";
    std::free(p);
    return s;
}

}  // namespace

namespace cp::portal::page {

void set_text_focus(bool editing) { js_set_text_focus(editing ? 1 : 0); }
void set_route(const std::string& hash, bool replace) { js_set_route(hash.c_str(), replace ? 1 : 0); }
std::string current_hash() { return take(js_current_hash()); }
std::string current_path() { return take(js_current_path()); }
std::string current_origin() { return take(js_current_origin()); }
int start_download(const std::string& url, const std::string& bearer_token, const std::string& filename,
                   const std::string& accept) {
    return js_start_download(url.c_str(), bearer_token.c_str(), filename.c_str(), accept.c_str());
}
int download_status(int id) { return js_download_status(id); }
void sync_mirror(const std::string& json) { js_sync_mirror(json.c_str()); }
void set_title(const std::string& title) { js_set_title(title.c_str()); }
void copy_text(const std::string& text) { js_copy_text(text.c_str()); }
void store_session(const std::string& json) { js_store_session(json.c_str()); }
std::string stored_session() { return take(js_stored_session()); }
void clear_session() { js_clear_session(); }
void store_local(const std::string& key, const std::string& value) { js_store_local(key.c_str(), value.c_str()); }
std::string stored_local(const std::string& key) { return take(js_stored_local(key.c_str())); }
void remove_local(const std::string& key) { js_remove_local(key.c_str()); }
double now_ms() { return emscripten_date_now(); }

}  // namespace cp::portal::page
