#include "shared/validation/time_entry_validation.hpp"

#include "shared/billing/line_item.hpp"
#include "shared/validation/field_rules.hpp"

namespace cp::validation {

Errors validate_time_entry(const nlohmann::json& body, Mode mode, std::optional<time::Date> today) {
    Errors errors;
    JsonReader r(body, "", errors);
    r.reject_unknown({"engagement_id", "date", "hours", "rate", "description", "billable"});
    if (mode == Mode::update) r.reject_nulls();
    const Presence on_create = required_on_create(mode);
    r.identifier("engagement_id", on_create);
    if (auto date = r.date("date", on_create)) {
        if (today && *date > *today) r.add("DATE_IN_FUTURE", "date", "must not be after today");
    }
    if (auto hours = r.decimal("hours", on_create, kHoursScale)) {
        if (*hours <= 0 || *hours > 2400)
            r.add("OUT_OF_RANGE", "hours", "must be more than 0 and at most 24");
    }
    if (auto rate = r.decimal("rate", Presence::optional, billing::kUnitPriceScale)) {
        if (*rate < 0) r.add("OUT_OF_RANGE", "rate", "must not be negative");
    }
    r.string("description", Presence::optional, 1000, false, Text::multi_line);
    r.boolean("billable", Presence::optional);
    return errors;
}

}  // namespace cp::validation
