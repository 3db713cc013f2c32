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
        c.reject_unknown({"name", "email", "phone", "role", "reminders_opt_out"});
        c.string("name", Presence::required, kMaxNameLength);
        read_email(c, "email", Presence::optional);
        c.string("phone", Presence::optional, 50);
        c.string("role", Presence::optional, 100);
        // Payment reminders skip this contact (other client emails still reach them).
        c.boolean("reminders_opt_out", Presence::optional);
    }
}

}  // namespace

Errors validate_client(const nlohmann::json& body, Mode mode, const ClientContext& stored) {
    Errors errors;
    JsonReader r(body, "", errors);
    r.reject_unknown({"company_name", "billing_email", "status", "portal_enabled", "autopay_enabled",
                      "payment_method_ref", "time_zone", "contacts"});
    if (mode == Mode::update) r.reject_nulls({"payment_method_ref"});  // null detaches the method
    r.string("company_name", required_on_create(mode), kMaxNameLength);
    read_email(r, "billing_email", required_on_create(mode));
    r.one_of("status", Presence::optional, {"active", "inactive", "terminated"});
    r.boolean("portal_enabled", Presence::optional);
    const std::optional<bool> autopay = r.boolean("autopay_enabled", Presence::optional);
    // Autopay after this change needs a payment method after it: one in the body, or the
    // stored one unless the body detaches it with null.
    const bool ref_in_body = r.has("payment_method_ref");
    const bool ref_detached = body.is_object() && body.contains("payment_method_ref") && !ref_in_body;
    read_payment_method_ref(r, "payment_method_ref", Presence::optional);
    const bool autopay_after = autopay.value_or(mode == Mode::update && stored.autopay_enabled);
    const bool ref_after = ref_in_body || (!ref_detached && stored.has_payment_method_ref);
    if (autopay_after && !ref_after) {
        r.add("VALIDATION_REQUIRED", "payment_method_ref",
              "is required to enable autopay (a stored processor payment method)");
    }
    read_time_zone(r, "time_zone", Presence::optional);
    validate_contacts(r, errors);
    return errors;
}

}  // namespace cp::validation
