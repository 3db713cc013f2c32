// Accepting a proposal: one transaction that opens the client (or links the firm's client
// with the same company name), records the contract (the proposal as accepted, by whom,
// when) and opens engagement v1 on the proposal's terms. Idempotent: the proposal row is
// locked first (FOR UPDATE on PostgreSQL; SQLite has one writer), so a second or
// concurrent acceptance finds it accepted and answers with the same contract; the unique
// contract per proposal backs that up should anything slip past.
#include <variant>

#include "server/api/client_records.hpp"
#include "server/api/crm_records.hpp"
#include "server/api/engagement_records.hpp"
#include "server/api/handlers.hpp"
#include "server/api/proposal_records.hpp"
#include "server/api/quotas.hpp"
#include "server/api/serializers.hpp"
#include "server/util/crypto.hpp"
#include "shared/state/crm_status.hpp"
#include "shared/validation/client_validation.hpp"

namespace cp::api {
namespace {

json acceptance_json(Ctx& ctx, const storage::Row& contract) {
    return {{"object", "acceptance"},
            {"contract", contract_json(contract)},
            {"proposal", proposal_json(*find_firm_row(ctx, "proposals", contract.str("proposal_id")))},
            {"client", client_json(*find_firm_row(ctx, "clients", contract.str("client_id")))},
            {"engagement", engagement_json(*find_firm_row(ctx, "engagements", contract.str("engagement_id")))}};
}

// The client the proposal is for: the firm's client of that company name, else a new one.
std::variant<std::string, Response> client_for(Ctx& ctx, const json& terms, const storage::Row& lead) {
    const std::string company = lead.str("company");
    if (auto existing = find_client_by_name(ctx, company)) return existing->str("id");
    json body{{"company_name", company}};
    if (terms.contains("billing_email")) body["billing_email"] = terms["billing_email"];
    else if (!lead.is_null("contact_email")) body["billing_email"] = lead.str("contact_email");
    else return validation_failed({{"VALIDATION_REQUIRED", "billing_email",
                                    "a new client needs a billing email: set one on the proposal or the lead"}});
    if (auto errors = validation::validate_client(body, validation::Mode::create); !errors.empty())
        return validation_failed(errors);
    if (auto full = check_room_for(ctx, QuotaResource::client)) return *full;
    return insert_client(ctx, body)["id"].get<std::string>();
}

}  // namespace

Response accept_proposal(Ctx& ctx) {
    Acceptor staff;
    staff.via = "staff";
    staff.accepted_by = !ctx.principal.email.empty() ? ctx.principal.email : ctx.principal.membership_id;
    return accept_proposal_as(ctx, ctx.param("id"), staff);
}

Response accept_proposal_as(Ctx& ctx, const std::string& proposal_id, const Acceptor& who) {
    auto p = ctx.tx().query_one(ctx.tx().backend() == "postgresql"
                                    ? "SELECT * FROM proposals WHERE id = ? AND firm_id = ? FOR UPDATE"
                                    : "SELECT * FROM proposals WHERE id = ? AND firm_id = ?",
                                {proposal_id, ctx.principal.firm_id});
    if (!p) return not_found();
    if (p->str("status") == "accepted") {
        auto contract = ctx.tx().query_one("SELECT * FROM contracts WHERE firm_id = ? AND proposal_id = ?",
                                           {ctx.principal.firm_id, p->str("id")});
        return json_response(200, acceptance_json(ctx, *contract));
    }
    lapse_if_due(ctx, *p);
    auto moved = state::transition(state::parse_proposal_status(p->str("status")).value(),
                                   state::ProposalStatus::accepted);
    if (!moved) return error_response(409, {moved.error()});

    const json terms = json::parse(p->str("terms"));
    auto prospect = find_firm_row(ctx, "prospects", p->str("prospect_id"));
    auto lead = find_firm_row(ctx, "leads", prospect->str("lead_id"));
    auto client = client_for(ctx, terms, *lead);
    if (auto* refused = std::get_if<Response>(&client)) return *refused;
    const std::string client_id = std::get<std::string>(client);

    json eng{{"client_id", client_id}, {"name", terms["title"]}};
    for (const char* key : {"pricing_mode", "package_fee", "hourly_rate", "schedule", "start_date", "end_date",
                            "payment_terms_days", "currency"}) {
        if (terms.contains(key)) eng[key] = terms[key];
    }
    auto engagement = insert_engagement(ctx, eng, 1, nullptr);

    const json snapshot = proposal_json(*p);
    const std::string contract_id = server::new_id("ctr");
    ctx.tx().exec(
        "INSERT INTO contracts (id, firm_id, proposal_id, client_id, engagement_id, portal_user_id, snapshot, "
        "accepted_by, accepted_via, accepted_at) VALUES (?, ?, ?, ?, ?, NULL, ?, ?, ?, ?)",
        {contract_id, ctx.principal.firm_id, p->str("id"), client_id, engagement.str("id"), snapshot.dump(),
         who.accepted_by, who.via, ctx.now});
    ctx.tx().exec("UPDATE proposals SET status = 'accepted', decided_at = ?, updated_at = ? WHERE id = ? AND firm_id = ?",
                  {ctx.now, ctx.now, p->str("id"), ctx.principal.firm_id});
    json after = proposal_json(*find_firm_row(ctx, "proposals", p->str("id")));
    after["contract_id"] = contract_id;
    after["accepted_via"] = who.via;
    if (!who.link_id.empty()) after["link_id"] = who.link_id;
    audit_crm(ctx, "proposal.accept", "proposal", p->str("id"), p->str("title"), lead->str("id"), snapshot, after);
    if (state::is_open(state::parse_prospect_stage(prospect->str("stage")).value())) {
        json before = prospect_json(*prospect);
        ctx.tx().exec("UPDATE prospects SET stage = 'won', closed_at = ?, updated_at = ? WHERE id = ? AND firm_id = ?",
                      {ctx.now, ctx.now, prospect->str("id"), ctx.principal.firm_id});
        audit_crm(ctx, "prospect.transition", "prospect", prospect->str("id"), prospect->str("company"),
                  lead->str("id"), before, prospect_json(*find_firm_row(ctx, "prospects", prospect->str("id"))));
    }
    return json_response(201, acceptance_json(ctx, *find_firm_row(ctx, "contracts", contract_id)));
}

}  // namespace cp::api
