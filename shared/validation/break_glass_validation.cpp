#include "shared/validation/break_glass_validation.hpp"

namespace cp::validation {

Errors validate_break_glass_open(const nlohmann::json& body) {
    Errors errors;
    JsonReader r(body, "", errors);
    r.reject_unknown({"firm_id", "reason", "duration_minutes", "impersonate_user_id"});
    r.identifier("firm_id", Presence::required);
    r.string("reason", Presence::required, 1000, true, Text::multi_line);
    r.integer("duration_minutes", Presence::optional, 1, kMaxBreakGlassMinutes);
    r.identifier("impersonate_user_id", Presence::optional);
    return errors;
}

Errors validate_break_glass_revoke(const nlohmann::json& body) {
    Errors errors;
    JsonReader r(body, "", errors);
    r.reject_unknown({"reason"});
    r.string("reason", Presence::required, 1000, true, Text::multi_line);
    return errors;
}

}  // namespace cp::validation
