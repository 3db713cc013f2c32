#include "server/api/quotas.hpp"

#include "shared/plans/plan_quotas.hpp"

namespace cp::api {

namespace {

plans::Usage usage_of(Ctx& ctx) {
    const auto& firm = ctx.principal.firm_id;
    auto members = ctx.tx().query_one(
        "SELECT COUNT(*) AS n FROM memberships WHERE firm_id = ? AND status = 'active'", {firm});
    auto clients = ctx.tx().query_one(
        "SELECT COUNT(*) AS n FROM clients WHERE firm_id = ? AND status <> 'terminated'", {firm});
    return {members ? members->i64("n") : 0, clients ? clients->i64("n") : 0};
}

std::string firm_plan(Ctx& ctx) {
    auto f = ctx.tx().query_one("SELECT plan FROM firms WHERE id = ?", {ctx.principal.firm_id});
    return f ? f->str("plan") : "";
}

}  // namespace

std::optional<Response> check_room_for(Ctx& ctx, QuotaResource what) {
    auto quotas = plans::quotas_of(firm_plan(ctx));
    if (!quotas) return std::nullopt;
    plans::Usage usage = usage_of(ctx);
    (what == QuotaResource::member ? usage.active_members : usage.clients) += 1;
    if (auto over = plans::first_quota_exceeded(*quotas, usage)) {
        return error_response(
            409, "QUOTA_EXCEEDED",
            "The firm's plan allows no more " + std::string(*over) + ": change the plan or free one first.",
            "plan");
    }
    return std::nullopt;
}

std::optional<Response> check_plan_fits(Ctx& ctx, const std::string& plan) {
    auto quotas = plans::quotas_of(plan);
    if (!quotas) return std::nullopt;
    if (auto over = plans::first_quota_exceeded(*quotas, usage_of(ctx))) {
        return error_response(409, "QUOTA_BELOW_USAGE",
                              "That plan allows fewer " + std::string(*over) + " than the firm has now.",
                              "plan");
    }
    return std::nullopt;
}

}  // namespace cp::api
