#pragma once
// Form pieces for the workspace's editors: a labelled text field, a closed choice, a
// checkbox, and the core's or server's errors drawn under the field they name.
#include <string>
#include <vector>

#include "client/widgets/controls.hpp"
#include "shared/core/error.hpp"

namespace cp::portal {

// Label above, field below; returns whether the text changed.
bool labelled_field(const char* id, const char* label, char* buffer, std::size_t size, int max_chars, bool invalid,
                    const char* hint = nullptr);
// A combo over `values` (snake_case, shown through text::choice_label).
bool choice(const char* id, const char* label, int& index, const char* const* values, int count, float width = -1.0f);
bool checkbox(const char* id, const char* label, bool& value);

// Draws every error in `a` and `b` whose field is `field` and records "code@field" in `shown`.
void field_errors(const std::vector<Error>& a, const std::vector<Error>& b, const std::string& field,
                  std::vector<std::string>& shown);
// Draws the errors whose field is none of `drawn` (with their field named).
void other_errors(const std::vector<Error>& a, const std::vector<Error>& b, const std::vector<std::string>& drawn,
                  std::vector<std::string>& shown);
bool has_error(const std::vector<Error>& a, const std::vector<Error>& b, const std::string& field);

}  // namespace cp::portal
