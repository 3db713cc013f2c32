#pragma once
// UTF-8 to Windows-1252, the single-byte encoding the PDF's embedded font is used with:
// Latin-1 plus €, typographic quotes and dashes. Anything else (CJK, emoji, invalid bytes)
// becomes '?', so a name in another script can never break the file.
#include <string>
#include <string_view>

namespace cp::server::pdf {

std::string to_cp1252(std::string_view utf8);

}  // namespace cp::server::pdf
