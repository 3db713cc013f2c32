#pragma once
// The one way untrusted JSON text becomes a value, for the server's request bodies, the
// core CLI (native and Wasm) and the portal's reading of API answers. Beyond nlohmann's own
// checks (syntax, UTF-8) it refuses, before building anything deeper:
//   - nesting deeper than kMaxJsonDepth (a 100,000-deep array would overflow the stack of
//     any recursive code that later walks or dumps the value);
//   - a key repeated within one object (which copy wins differs between parsers, so a
//     proxy and this server could read two different requests);
//   - a NUL byte anywhere (nlohmann would stop reading there: "{}\0junk" would pass).
// Never throws, whatever the input: Wasm builds cannot catch exceptions.
#include <nlohmann/json.hpp>
#include <string_view>

#include "shared/core/error.hpp"

namespace cp::protocol {

inline constexpr int kMaxJsonDepth = 64;

// The parsed value, or an INVALID_JSON error whose `field` is the JSON path of the problem
// when there is one (a duplicate key, the container that was too deep) and whose message
// is a predicate ("is nested more than 64 levels deep"), so each caller names what it read
// ("The request body …", "the line …").
Result<nlohmann::json> parse_json_input(std::string_view text, int max_depth = kMaxJsonDepth);

}  // namespace cp::protocol
