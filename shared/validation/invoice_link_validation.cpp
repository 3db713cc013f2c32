#include "shared/validation/invoice_link_validation.hpp"

#include "shared/validation/json_reader.hpp"

namespace cp::validation {

Errors validate_invoice_link(const nlohmann::json& body) {
    Errors errors;
    JsonReader r(body, "", errors);
    r.reject_unknown({"expires_in_days"});
    r.integer("expires_in_days", Presence::optional, 1, kInvoiceLinkMaxDays);
    return errors;
}

}  // namespace cp::validation
