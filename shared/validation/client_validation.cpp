#include "shared/validation/client_validation.hpp"

#include "shared/validation/field_rules.hpp"

namespace cp::validation {

namespace {

void validate_contacts(JsonReader& r, Errors& errors) {
    const nlohmann::json* contacts = r.array("contacts", Presence::optional);
    if (!contacts) return;
    if (contacts->size() > 50) {
        r.add("TOO_MANY_ITEMS", "contacts", "at most 50 contacts");
        return;
    }
    for (size_t i = 0; i < contacts->size(); ++i) {
        JsonReader c((*contacts)[i], index_path(r.path("contacts"), i), errors);
        c.reject_unknown({"name", "email", "phone", "role"});
        c.string("name", Presence::required, kMaxNameLength);
        read_email(c, "email", Presence::optional);
        c.string("phone", Presence::optional, 50);
        c.string("role", Presence::optional, 100);
    }
}

}  // namespace

Errors validate_client(const nlohmann::json& body, Mode mode, const ClientContext& stored) {
    Errors errors;
    JsonReader r(body, "", errors);
    r.reject_unknown({"company_name", "billing_email", "status", "portal_enabled", "autopay_enabled",
                      "payment_method_ref", "time_zone", "contacts"});
    r.string("company_name", required_on_create(mode), kMaxNameLength);
    read_email(r, "billing_email", required_on_create(mode));
    r.one_of("status", Presence::optional, {"active", "inactive", "terminated"});
    r.boolean("portal_enabled", Presence::optional);
    const std::optional<bool> autopay = r.boolean("autopay_enabled", Presence::optional);
    const bool ref_in_body = r.has("payment_method_ref");
    read_payment_method_ref(r, "payment_method_ref", Presence::optional);
    if (autopay.value_or(false) && !ref_in_body && !stored.has_payment_method_ref) {
        r.add("VALIDATION_REQUIRED", "payment_method_ref",
              "is required to enable autopay (a stored processor payment method)");
    }
    read_time_zone(r, "time_zone", Presence::optional);
    validate_contacts(r, errors);
    return errors;
}

}  // namespace cp::validation
