#pragma once
// Plan quotas (shared/plans) against the firm's rows: checked before a member or client is
// added and before the plan changes (settings update or rollback), inside the request's
// transaction.
#include <optional>
#include <string>

#include "server/api/common.hpp"

namespace cp::api {

enum class QuotaResource { member, client };

// 409 QUOTA_EXCEEDED when one more would pass the firm's plan.
std::optional<Response> check_room_for(Ctx& ctx, QuotaResource what);
// 409 QUOTA_BELOW_USAGE when `plan` allows less than the firm uses now.
std::optional<Response> check_plan_fits(Ctx& ctx, const std::string& plan);

}  // namespace cp::api
