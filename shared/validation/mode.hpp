#pragma once
// How a request body is validated: `create` needs every required field; `update` is a
// partial update where only the fields present are checked. Unknown fields are rejected
// in both, so a typo never silently does nothing.
#include "shared/validation/json_reader.hpp"

namespace cp::validation {

enum class Mode { create, update };

// Required on create, optional on update.
inline Presence required_on_create(Mode mode) {
    return mode == Mode::create ? Presence::required : Presence::optional;
}

}  // namespace cp::validation
