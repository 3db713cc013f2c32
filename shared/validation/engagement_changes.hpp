#pragma once
// Changing an existing engagement (PATCH) and renewing it (POST …/renew): the rules beyond
// the body's own shape, in one place so the server and the portal's edit and renew panels
// judge a change identically (same codes, same fields, same order).
//
// `stored` is the engagement in request form: client_id, name, pricing_mode, schedule,
// start_date, currency, payment_terms_days, and end_date / package_fee / hourly_rate when
// set. `status` changes are the server's (a state machine), not part of these checks.
#include <nlohmann/json.hpp>

#include "shared/core/error.hpp"

namespace cp::validation {

// The fields that freeze once an engagement is invoiced or completed: its price and when
// and how it bills. A frozen engagement changes them only by renewing.
inline constexpr const char* kFrozenPricingFields[] = {"pricing_mode", "package_fee",        "hourly_rate", "currency",
                                                      "schedule",     "payment_terms_days", "start_date"};

struct EngagementChange {
    Errors errors;  // empty: `merged` is the record to store
    nlohmann::json merged;
};

// PATCH: the body's shape (validate_engagement, update), NOT_UPDATABLE@client_id for a
// move to another client, PRICING_FROZEN@<field> for a frozen field (the server answers
// 409 for it, 422 otherwise), then the merged record as a whole. Switching the pricing mode
// drops the price the new mode does not use.
EngagementChange check_engagement_update(const nlohmann::json& stored, const nlohmann::json& changes,
                                         bool pricing_frozen);

// Renewal: client_id, start_date and currency are inherited (NOT_UPDATABLE), overrides
// have the body's shape, an engagement without an end date cannot be renewed
// (END_DATE_REQUIRED@end_date), and the new version's dates are schedule::renewal_period's
// (the day after the old end; a given end_date must not precede that). `merged` is the new
// version (pricing inherited unless overridden).
EngagementChange check_engagement_renewal(const nlohmann::json& stored, const nlohmann::json& overrides);

}  // namespace cp::validation
