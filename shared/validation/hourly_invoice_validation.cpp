#include "shared/validation/hourly_invoice_validation.hpp"

#include "shared/validation/json_reader.hpp"

namespace cp::validation {

Errors validate_hourly_invoice(const nlohmann::json& body) {
    Errors errors;
    JsonReader r(body, "", errors);
    r.reject_unknown({"period_start", "period_end", "tax_rate", "notes"});
    auto start = r.date("period_start", Presence::required);
    auto end = r.date("period_end", Presence::required);
    if (start && end && *end < *start) r.add("END_BEFORE_START", "period_end", "must be on or after period_start");
    auto rate = r.decimal("tax_rate", Presence::optional, 4);
    if (rate && (*rate < 0 || *rate > 100'0000)) r.add("OUT_OF_RANGE", "tax_rate", "must be between 0 and 100 (percent)");
    r.string("notes", Presence::optional, 2000, false);
    return errors;
}

}  // namespace cp::validation
