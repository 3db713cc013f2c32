#pragma once
// POST /billing/package-run: date (YYYY-MM-DD, optional: the firm's today) and dry_run
// (boolean, optional), nothing else. The server reads the body with this; the portal's
// "Run package billing" form is judged with it before anything is sent. Whether the date
// lies in the future depends on the firm's zone and clock: the server's check alone.
#include <nlohmann/json.hpp>

#include "shared/core/error.hpp"

namespace cp::validation {

Errors validate_package_run(const nlohmann::json& body);

}  // namespace cp::validation
