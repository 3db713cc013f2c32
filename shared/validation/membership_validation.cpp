#include "shared/validation/membership_validation.hpp"

#include "shared/validation/field_rules.hpp"

namespace cp::validation {

Errors validate_membership(const nlohmann::json& body, Mode mode) {
    Errors errors;
    JsonReader r(body, "", errors);
    r.reject_unknown({"email", "name", "role", "password"});
    if (mode == Mode::update) r.reject_nulls();
    const Presence on_create = required_on_create(mode);
    read_email(r, "email", on_create);
    r.string("name", on_create, kMaxNameLength);
    r.one_of("role", on_create, {"owner", "admin", "billing", "staff", "contractor"});
    if (const std::string* pw = r.string("password", on_create, kMaxPasswordLength, true, Text::secret)) {
        if (utf8_length(*pw) < kMinPasswordLength) {
            r.add("TOO_SHORT", "password",
                  "must be at least " + std::to_string(kMinPasswordLength) + " characters");
        }
    }
    return errors;
}

Errors validate_login(const nlohmann::json& body) {
    Errors errors;
    JsonReader r(body, "", errors);
    r.reject_unknown({"email", "password"});
    r.string("email", Presence::required, kMaxEmailLength);
    r.string("password", Presence::required, kMaxPasswordLength, true, Text::secret);
    return errors;
}

Errors validate_switch_firm(const nlohmann::json& body) {
    Errors errors;
    JsonReader r(body, "", errors);
    r.reject_unknown({"firm"});
    r.string("firm", Presence::required, 100);
    return errors;
}

}  // namespace cp::validation
