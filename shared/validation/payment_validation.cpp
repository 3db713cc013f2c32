#include "shared/validation/payment_validation.hpp"

#include "shared/money/currency.hpp"
#include "shared/money/money.hpp"
#include "shared/validation/field_rules.hpp"

namespace cp::validation {

Errors validate_payment(const nlohmann::json& body, Mode mode) {
    Errors errors;
    JsonReader r(body, "", errors);
    r.reject_unknown({"invoice_id", "amount", "currency", "method", "reference", "payment_method_ref",
                      "idempotency_key", "received_on"});
    const Presence on_create = required_on_create(mode);
    r.identifier("invoice_id", on_create);
    const std::string* currency = read_currency(r, "currency", on_create);
    // Without a known currency the amount's format is still checked, at the widest scale.
    const int32_t digits = currency ? money::find_currency(*currency)->minor_digits : 4;
    if (auto amount = r.decimal("amount", on_create, digits)) {
        if (*amount <= 0)
            r.add("OUT_OF_RANGE", "amount", "must be greater than zero");
        else if (!money::within_amount_limit(*amount))
            r.add("OUT_OF_RANGE", "amount", "amount is too large");
    }
    r.one_of("method", on_create, {"card", "ach", "bank_transfer", "check", "cash", "other"});
    r.string("reference", Presence::optional, 255);
    read_payment_method_ref(r, "payment_method_ref", Presence::optional);
    r.string("idempotency_key", Presence::optional, 255);
    r.date("received_on", Presence::optional);
    return errors;
}

}  // namespace cp::validation
