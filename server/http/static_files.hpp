#pragma once
// Serves the portal's files (index.html, portal.js, portal.wasm, fonts) from one folder.
#include <optional>
#include <string>
#include <string_view>

#include "server/http/message.hpp"

namespace cp::http {

std::string mime_type_for(std::string_view path);

// nullopt when the request is not a GET/HEAD for an existing file under web_root; never
// serves anything outside web_root ("..", symlinks out, absolute paths, NUL bytes).
// "/" serves index.html.
std::optional<Response> serve_static(const Request& request, const std::string& web_root);

}  // namespace cp::http
