#include "shared/plans/plan_quotas.hpp"

namespace cp::plans {

std::optional<PlanQuotas> quotas_of(std::string_view plan) {
    if (plan == "starter") return PlanQuotas{5, 25};
    if (plan == "professional") return PlanQuotas{25, 250};
    if (plan == "enterprise") return PlanQuotas{std::nullopt, std::nullopt};
    return std::nullopt;
}

std::optional<std::string_view> first_quota_exceeded(const PlanQuotas& quotas, const Usage& usage) {
    if (quotas.active_members && usage.active_members > *quotas.active_members) return "active_members";
    if (quotas.clients && usage.clients > *quotas.clients) return "clients";
    return std::nullopt;
}

}  // namespace cp::plans
