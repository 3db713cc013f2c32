#pragma once
// What each plan allows. The numbers are product decisions (docs/decisions/plan-quotas.md);
// the server enforces them on create and on a plan change, and the portal can show them.
#include <cstdint>
#include <optional>
#include <string_view>

namespace cp::plans {

struct PlanQuotas {
    std::optional<std::int64_t> active_members;  // nullopt: unlimited
    std::optional<std::int64_t> clients;         // clients not terminated
};

// nullopt for an unknown plan name.
std::optional<PlanQuotas> quotas_of(std::string_view plan);

struct Usage {
    std::int64_t active_members = 0;
    std::int64_t clients = 0;
};

// The first quota `usage` is over, as the field name ("active_members" / "clients"), or
// nullopt when the plan fits.
std::optional<std::string_view> first_quota_exceeded(const PlanQuotas& quotas, const Usage& usage);

}  // namespace cp::plans
