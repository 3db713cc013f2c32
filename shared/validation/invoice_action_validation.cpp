#include "shared/validation/invoice_action_validation.hpp"

#include "shared/validation/json_reader.hpp"

namespace cp::validation {

Errors validate_invoice_action(const nlohmann::json& body, std::initializer_list<std::string_view> allowed,
                               bool needs_reason) {
    Errors errors;
    JsonReader r(body, "", errors);
    r.reject_unknown(allowed);
    if (needs_reason) r.string("reason", Presence::required, kActionReasonMaxChars);
    return errors;
}

}  // namespace cp::validation
