#include "shared/validation/firm_validation.hpp"

#include "shared/validation/field_rules.hpp"

namespace cp::validation {

Errors validate_firm(const nlohmann::json& body, Mode mode) {
    Errors errors;
    JsonReader r(body, "", errors);
    r.reject_unknown({"name", "slug", "status", "plan", "time_zone", "currency"});
    if (mode == Mode::update) r.reject_nulls();
    r.string("name", required_on_create(mode), kMaxNameLength);
    read_slug(r, "slug", required_on_create(mode));
    r.one_of("status", Presence::optional, {"trial", "active", "suspended", "canceled"});
    r.one_of("plan", Presence::optional, {"starter", "professional", "enterprise"});
    read_time_zone(r, "time_zone", Presence::optional);
    read_currency(r, "currency", Presence::optional);
    return errors;
}

}  // namespace cp::validation
