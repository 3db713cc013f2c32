#pragma once
// Writing engagement rows, shared by the engagement endpoints and proposal acceptance so
// an engagement opened from a proposal is stored and audited exactly like one typed in.
#include "server/api/common.hpp"

namespace cp::api {

// The pricing columns (pricing_mode, package_fee, hourly_rate, currency, schedule,
// payment_terms_days) of a validated engagement body: only what the mode uses is kept.
storage::Params engagement_pricing_params(const json& m);

// Records `action` for the engagement row (metadata before/after).
void audit_engagement(Ctx& ctx, const char* action, const storage::Row& e, json before);

// Inserts a `current` engagement from a body that passed validate_engagement (Mode::create,
// currency set), audited as engagement.create (version 1) or engagement.renew; the new row.
storage::Row insert_engagement(Ctx& ctx, const json& m, std::int64_t version, const storage::Param& parent);

}  // namespace cp::api
