#pragma once
// Splitting and percent-decoding of a request target ("/a%20b?x=1&y=2").
#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace cp::http {

// Decodes %XX escapes (and '+' as space when `plus_is_space`); nullopt on a malformed
// escape or an encoded NUL, which no legitimate path or parameter contains.
std::optional<std::string> percent_decode(std::string_view text, bool plus_is_space);

struct ParsedTarget {
    std::string path;
    std::map<std::string, std::string> query;
};

std::optional<ParsedTarget> parse_target(std::string_view target);

}  // namespace cp::http
