#pragma once
// The security headers every response carries, whatever produced it (the app, the portal's
// files, or the transport's own errors): see docs/decisions/server-security-headers.md.
#include "server/http/message.hpp"

namespace cp::http {

// The portal's policy: its own scripts only, Wasm compilation allowed, no inline script or
// style, no framing. Exposed for the test that loads the portal under it.
extern const char* const kPortalContentSecurityPolicy;

// Adds nosniff, no-referrer, frame denial and a Content-Security-Policy: the portal's for
// HTML documents, "default-src 'none'" for everything else (JSON, scripts, Wasm, fonts).
void add_security_headers(Response& response);

}  // namespace cp::http
