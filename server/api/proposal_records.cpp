#include "server/api/proposal_records.hpp"

#include "server/api/crm_records.hpp"
#include "shared/schedule/proposal_expiry.hpp"
#include "shared/time/civil.hpp"

namespace cp::api {

bool lapse_if_due(Ctx& ctx, storage::Row& proposal) {
    if (proposal.str("status") != "sent") return false;
    auto firm = ctx.tx().query_one("SELECT time_zone FROM firms WHERE id = ?", {ctx.principal.firm_id});
    const auto today = ctx.app.zones().local_date(firm->str("time_zone"), ctx.now);
    if (!schedule::proposal_lapsed(time::parse_iso_date(proposal.str("expires_on")).value(), today)) return false;
    json before = proposal_json(proposal);
    ctx.tx().exec("UPDATE proposals SET status = 'expired', decided_at = ?, updated_at = ? WHERE id = ? AND firm_id = ?",
                  {ctx.now, ctx.now, proposal.str("id"), ctx.principal.firm_id});
    proposal = *find_firm_row(ctx, "proposals", proposal.str("id"));
    auto prospect = find_firm_row(ctx, "prospects", proposal.str("prospect_id"));
    audit_crm(ctx, "proposal.expire", "proposal", proposal.str("id"), proposal.str("title"), prospect->str("lead_id"),
              before, proposal_json(proposal));
    return true;
}

}  // namespace cp::api
