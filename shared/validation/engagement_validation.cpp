#include "shared/validation/engagement_validation.hpp"

#include "shared/billing/line_item.hpp"
#include "shared/money/currency.hpp"
#include "shared/money/money.hpp"
#include "shared/validation/field_rules.hpp"

namespace cp::validation {

Errors validate_engagement(const nlohmann::json& body, Mode mode) {
    Errors errors;
    JsonReader r(body, "", errors);
    r.reject_unknown({"client_id", "name", "pricing_mode", "package_fee", "hourly_rate", "schedule",
                      "start_date", "end_date", "currency", "payment_terms_days"});
    if (mode == Mode::update) r.reject_nulls();
    const Presence on_create = required_on_create(mode);
    r.identifier("client_id", on_create);
    r.string("name", on_create, kMaxNameLength);
    const std::string* pricing = r.one_of("pricing_mode", on_create, {"package", "hourly", "mixed"});
    const std::string* schedule =
        r.one_of("schedule", Presence::optional, {"monthly", "quarterly", "annual", "one_time"});
    const std::string* currency = read_currency(r, "currency", Presence::optional);
    const int32_t fee_digits = currency ? money::find_currency(*currency)->minor_digits : 4;

    const bool needs_fee = pricing && *pricing != "hourly";
    const bool needs_rate = pricing && *pricing != "package";
    if (auto fee =
            r.decimal("package_fee", needs_fee ? Presence::required : Presence::optional, fee_digits)) {
        if (*fee <= 0)
            r.add("OUT_OF_RANGE", "package_fee", "must be greater than zero");
        else if (!money::within_amount_limit(*fee))
            r.add("OUT_OF_RANGE", "package_fee", "amount is too large");
    }
    if (auto rate = r.decimal("hourly_rate", needs_rate ? Presence::required : Presence::optional,
                              billing::kUnitPriceScale)) {
        if (*rate < 0) r.add("OUT_OF_RANGE", "hourly_rate", "must not be negative");
    }

    const auto start = r.date("start_date", on_create);
    const auto end =
        r.date("end_date", schedule && *schedule == "one_time" && mode == Mode::create ? Presence::required
                                                                                       : Presence::optional);
    if (start && end && *end < *start) {
        r.add("END_BEFORE_START", "end_date", "must be on or after start_date");
    }
    r.integer("payment_terms_days", Presence::optional, 0, 365);
    return errors;
}

}  // namespace cp::validation
