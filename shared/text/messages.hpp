#pragma once
// People's words for the stable codes: one table, used by the portal (and available to the
// server), so "VALIDATION_REQUIRED @ email" reaches a person as "Email is required" while
// the code stays available to support.
#include <string>
#include <string_view>

#include "shared/core/error.hpp"

namespace cp::text {

// "email" -> "Email", "lines[1].unit_price" -> "Line 2 unit price", "" -> "".
std::string field_label(std::string_view field);

// A sentence for a person. Codes without an entry fall back to the field's label and the
// error's own message, never to the bare code.
std::string human_message(const Error& error);

// Labels for closed choices and kinds the API spells in snake_case:
// "half_up" -> "Half up", "per_line" -> "Per line", "package_fee" -> "Package fee".
std::string choice_label(std::string_view value);

// "code @ field" for a details tooltip.
std::string support_reference(const Error& error);

}  // namespace cp::text
