#include "shared/validation/package_run_validation.hpp"

#include "shared/validation/json_reader.hpp"

namespace cp::validation {

Errors validate_package_run(const nlohmann::json& body) {
    Errors errors;
    JsonReader r(body, "", errors);
    r.reject_unknown({"date", "dry_run"});
    r.date("date", Presence::optional);
    r.boolean("dry_run", Presence::optional);
    return errors;
}

}  // namespace cp::validation
