#include "shared/crm/follow_ups.hpp"

#include "shared/schedule/proposal_expiry.hpp"

namespace cp::crm {
namespace {

struct Bound {
    const char* key;
    int low, high;
    int FollowUpSettings::*slot;
};

constexpr Bound kBounds[] = {
    {"lead_untouched_days", 1, 365, &FollowUpSettings::lead_untouched_days},
    {"proposal_expiring_days", 0, 30, &FollowUpSettings::proposal_expiring_days},
};

const Bound* bound_of(const std::string& key) {
    for (const auto& b : kBounds) {
        if (key == b.key) return &b;
    }
    return nullptr;
}

bool in_bounds(const nlohmann::json& v, const Bound& b) {
    return v.is_number_integer() && v.get<int64_t>() >= b.low && v.get<int64_t>() <= b.high;
}

}  // namespace

Errors validate_follow_up_settings(const nlohmann::json& value, const std::string& field) {
    if (!value.is_object()) return {{"INVALID_TYPE", field, "must be an object"}};
    Errors errors;
    for (const auto& [key, v] : value.items()) {
        const Bound* b = bound_of(key);
        if (!b) {
            errors.push_back({"UNKNOWN_FIELD", field + "." + key, "is not a CRM setting"});
        } else if (!in_bounds(v, *b)) {
            errors.push_back({"OUT_OF_RANGE", field + "." + key,
                              "must be a whole number of days from " + std::to_string(b->low) + " to " +
                                  std::to_string(b->high)});
        }
    }
    return errors;
}

FollowUpSettings follow_up_settings(const nlohmann::json& firm_settings) {
    FollowUpSettings s;
    if (!firm_settings.is_object() || !firm_settings.contains("crm") || !firm_settings["crm"].is_object())
        return s;
    const auto& crm = firm_settings["crm"];
    for (const auto& b : kBounds) {
        if (crm.contains(b.key) && in_bounds(crm[b.key], b)) s.*b.slot = crm[b.key].get<int>();
    }
    return s;
}

bool lead_is_followed(state::LeadStatus status) { return status != state::LeadStatus::disqualified; }

bool lead_needs_follow_up(const time::Date& last_activity_on, const time::Date& today, int days) {
    return time::days_from_civil(today) - time::days_from_civil(last_activity_on) >= days;
}

bool proposal_needs_follow_up(state::ProposalStatus status, const time::Date& expires_on,
                              const time::Date& today, int days) {
    return status == state::ProposalStatus::sent &&
           schedule::proposal_expiring_within(expires_on, today, days);
}

}  // namespace cp::crm
