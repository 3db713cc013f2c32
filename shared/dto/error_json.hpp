#pragma once
// cp::Error <-> JSON, the one error shape on the wire: {"code","field","message"}.
// The server writes it, the portal reads it back; reading never throws.
#include <nlohmann/json.hpp>
#include <optional>

#include "shared/core/error.hpp"

namespace cp::dto {

nlohmann::json to_json(const Error& e);
nlohmann::json to_json(const Errors& errors);  // an array

// nullopt unless `j` is an object with string "code" (field and message default to "").
std::optional<Error> error_from_json(const nlohmann::json& j);
// Every well-formed error in an array (others skipped).
Errors errors_from_json(const nlohmann::json& j);

}  // namespace cp::dto
