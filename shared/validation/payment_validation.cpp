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

namespace {
void positive_amount(JsonReader& r, int32_t digits) {
    if (auto amount = r.decimal("amount", Presence::required, digits)) {
        if (*amount <= 0)
            r.add("OUT_OF_RANGE", "amount", "must be greater than zero");
        else if (!money::within_amount_limit(*amount))
            r.add("OUT_OF_RANGE", "amount", "amount is too large");
    }
}
}  // namespace

Errors validate_invoice_payment(const nlohmann::json& body, int32_t minor_digits) {
    Errors errors;
    JsonReader r(body, "", errors);
    r.reject_unknown({"amount", "method", "payment_method", "reference", "received_on"});
    positive_amount(r, minor_digits);
    const std::string* method = r.one_of("method", Presence::required, {"card", "bank_transfer", "check", "cash"});
    read_payment_method_ref(r, "payment_method", Presence::optional);
    r.string("reference", Presence::optional, 255);
    r.date("received_on", Presence::optional);
    if (method && *method == "card" && r.has("received_on"))
        r.add("UNKNOWN_FIELD", "received_on", "a card payment is received when the processor takes it");
    if (method && *method != "card" && r.has("payment_method"))
        r.add("UNKNOWN_FIELD", "payment_method", "only card payments go through the processor");
    return errors;
}

Errors validate_refund(const nlohmann::json& body, int32_t minor_digits) {
    Errors errors;
    JsonReader r(body, "", errors);
    r.reject_unknown({"amount", "reason"});
    positive_amount(r, minor_digits);
    r.string("reason", Presence::required, 500);
    return errors;
}

Errors validate_credit_application(const nlohmann::json& body, int32_t minor_digits) {
    Errors errors;
    JsonReader r(body, "", errors);
    r.reject_unknown({"amount"});
    positive_amount(r, minor_digits);
    return errors;
}

Errors validate_client_payment(const nlohmann::json& body, int32_t minor_digits, int64_t balance_due) {
    Errors errors;
    JsonReader r(body, "", errors);
    r.reject_unknown({"amount", "payment_method"});
    read_payment_method_ref(r, "payment_method", Presence::required);
    if (r.has("amount")) {
        if (auto amount = r.decimal("amount", Presence::required, minor_digits)) {
            if (*amount <= 0)
                r.add("OUT_OF_RANGE", "amount", "must be greater than zero");
            else if (*amount > balance_due)
                r.add("EXCEEDS_BALANCE_DUE", "amount", "is more than the invoice's balance due");
        }
    }
    return errors;
}

Errors validate_credit_grant(const nlohmann::json& body) {
    Errors errors;
    JsonReader r(body, "", errors);
    r.reject_unknown({"kind", "amount", "currency", "reason", "approved_by"});
    r.one_of("kind", Presence::required, {"goodwill", "correction"});
    const std::string* currency = read_currency(r, "currency", Presence::required);
    const int32_t digits = currency ? money::find_currency(*currency)->minor_digits : 4;
    positive_amount(r, digits);
    r.string("reason", Presence::required, 500);
    r.identifier("approved_by", Presence::required);
    return errors;
}

}  // namespace cp::validation
