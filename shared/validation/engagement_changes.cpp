#include "shared/validation/engagement_changes.hpp"

#include <optional>

#include "shared/schedule/renewal.hpp"
#include "shared/time/civil.hpp"
#include "shared/validation/engagement_validation.hpp"

namespace cp::validation {
namespace {

// A mode that does not use a price must not keep the old one (it would fail the core's
// "package_fee only with package or mixed" rule, and would be wrong to store).
void drop_unused_price(nlohmann::json& merged, const nlohmann::json& changes) {
    if (!changes.contains("pricing_mode")) return;
    if (changes["pricing_mode"] == "package" && !changes.contains("hourly_rate")) merged.erase("hourly_rate");
    if (changes["pricing_mode"] == "hourly" && !changes.contains("package_fee")) merged.erase("package_fee");
}

nlohmann::json merge(const nlohmann::json& stored, const nlohmann::json& changes) {
    nlohmann::json merged = stored;
    for (const auto& [key, value] : changes.items()) merged[key] = value;
    drop_unused_price(merged, changes);
    return merged;
}

}  // namespace

EngagementChange check_engagement_update(const nlohmann::json& stored, const nlohmann::json& changes,
                                         bool pricing_frozen) {
    EngagementChange out;
    out.errors = validate_engagement(changes, Mode::update);
    if (!out.errors.empty()) return out;
    if (changes.contains("client_id") && changes["client_id"] != stored.value("client_id", nlohmann::json())) {
        out.errors.push_back({"NOT_UPDATABLE", "client_id", "an engagement cannot move to another client"});
        return out;
    }
    if (pricing_frozen) {
        for (const char* f : kFrozenPricingFields) {
            if (changes.contains(f)) {
                out.errors.push_back({"PRICING_FROZEN", f, "pricing terms are frozen once invoiced or completed: renew to change them"});
                return out;
            }
        }
    }
    out.merged = merge(stored, changes);
    out.errors = validate_engagement(out.merged, Mode::create);
    return out;
}

EngagementChange check_engagement_renewal(const nlohmann::json& stored, const nlohmann::json& overrides) {
    EngagementChange out;
    for (const char* f : {"client_id", "start_date", "currency"}) {
        if (overrides.contains(f)) {
            out.errors.push_back({"NOT_UPDATABLE", f, "is inherited on renewal"});
            return out;
        }
    }
    out.errors = validate_engagement(overrides, Mode::update);
    if (!out.errors.empty()) return out;
    std::optional<time::Date> old_end;
    if (stored.contains("end_date") && stored["end_date"].is_string()) {
        if (auto d = time::parse_iso_date(stored["end_date"].get<std::string>())) old_end = *d;
    }
    if (!old_end) {
        out.errors.push_back({"END_DATE_REQUIRED", "end_date", "an engagement without an end date cannot be renewed"});
        return out;
    }
    std::optional<time::Date> given_end;
    if (overrides.contains("end_date")) {
        // validate_engagement above has proven it a date.
        if (auto d = time::parse_iso_date(overrides["end_date"].get<std::string>())) given_end = *d;
    }
    auto period = schedule::renewal_period(*old_end, given_end);
    if (!period) {
        out.errors.push_back(period.error());
        return out;
    }
    out.merged = merge(stored, overrides);
    out.merged["start_date"] = time::format_iso_date(period->start);
    out.merged["end_date"] = time::format_iso_date(period->end);
    out.errors = validate_engagement(out.merged, Mode::create);
    return out;
}

}  // namespace cp::validation
