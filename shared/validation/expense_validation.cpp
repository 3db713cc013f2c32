#include "shared/validation/expense_validation.hpp"

#include "shared/money/currency.hpp"
#include "shared/money/money.hpp"
#include "shared/validation/field_rules.hpp"

namespace cp::validation {

Errors validate_expense(const nlohmann::json& body, Mode mode, std::optional<time::Date> today) {
    Errors errors;
    JsonReader r(body, "", errors);
    r.reject_unknown({"engagement_id", "date", "description", "amount", "currency", "markup_percent",
                      "category", "billable", "receipt_ref"});
    if (mode == Mode::update) r.reject_nulls({"category", "receipt_ref"});
    const Presence on_create = required_on_create(mode);
    r.identifier("engagement_id", on_create);
    if (auto date = r.date("date", on_create)) {
        if (today && *date > *today) r.add("DATE_IN_FUTURE", "date", "must not be after today");
    }
    r.string("description", on_create, 1000, true, Text::multi_line);
    const std::string* currency = read_currency(r, "currency", Presence::optional);
    const int32_t digits = currency ? money::find_currency(*currency)->minor_digits : 4;
    if (auto amount = r.decimal("amount", on_create, digits)) {
        if (*amount <= 0)
            r.add("OUT_OF_RANGE", "amount", "must be greater than zero");
        else if (!money::within_amount_limit(*amount))
            r.add("OUT_OF_RANGE", "amount", "amount is too large");
    }
    if (auto markup = r.decimal("markup_percent", Presence::optional, 4)) {
        if (*markup < 0 || *markup > 1000'0000)
            r.add("OUT_OF_RANGE", "markup_percent", "must be between 0 and 1000");
    }
    r.string("category", Presence::optional, 100);
    // A reference to a stored receipt (a document id or URL), never the receipt itself.
    r.string("receipt_ref", Presence::optional, 500);
    r.boolean("billable", Presence::optional);
    return errors;
}

}  // namespace cp::validation
