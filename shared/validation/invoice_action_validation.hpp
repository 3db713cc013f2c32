#pragma once
// Bodies of the actions on an issued invoice that need a reason: voiding it and crediting
// it. reason: required, not blank, at most kActionReasonMaxChars code points, one line.
// The server reads them with this and the portal judges its forms with it, so both refuse
// the same bodies with the same codes at the same fields.
#include <initializer_list>
#include <nlohmann/json.hpp>
#include <string_view>

#include "shared/core/error.hpp"

namespace cp::validation {

inline constexpr size_t kActionReasonMaxChars = 500;

// Only `allowed` keys, and a `reason` when `needs_reason`.
Errors validate_invoice_action(const nlohmann::json& body, std::initializer_list<std::string_view> allowed,
                               bool needs_reason);

}  // namespace cp::validation
