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
// "/" serves index.html, and so does a page request (Accept: text/html) for a path without
// a file extension, so a deep link like /invoices opens the portal, which routes it.
// A pre-compressed sibling (file.br, file.gz, made at build time) is sent when the request's
// Accept-Encoding allows it, with Vary: Accept-Encoding. Every answer has an ETag (304 on
// If-None-Match); content-hashed names (portal.3f9c0a1b2c.wasm) may be cached for a year.
std::optional<Response> serve_static(const Request& request, const std::string& web_root);

// Whether `accept_encoding` accepts `coding` ("br", "gzip"): listed, or "*", without q=0.
bool accepts_encoding(std::string_view accept_encoding, std::string_view coding);

}  // namespace cp::http
