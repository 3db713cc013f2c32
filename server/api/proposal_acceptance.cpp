// Accepting a proposal: one transaction that opens the client (or links the firm's client
// with the same company name), records the contract (the proposal as accepted, by whom,
// when) and opens engagement v1 on the proposal's terms. Idempotent: the proposal row is
// locked first (FOR UPDATE on PostgreSQL; SQLite has one writer), so a second or
// concurrent acceptance finds it accepted and answers with the same contract; the unique
// contract per proposal backs that up should anything slip past.
#include <algorithm>
#include <cctype>
#include <variant>

#include "server/api/client_records.hpp"
#include "server/api/crm_records.hpp"
#include "server/api/engagement_records.hpp"
#include "server/api/handlers.hpp"
#include "server/api/proposal_records.hpp"
#include "server/api/quotas.hpp"
#include "server/api/serializers.hpp"
#include "server/auth/passwords.hpp"
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
    // A proposal that asks for portal access opens a client with the portal on.
    if (terms.contains("portal_user")) body["portal_enabled"] = true;
    if (terms.contains("billing_email")) body["billing_email"] = terms["billing_email"];
    else if (!lead.is_null("contact_email")) body["billing_email"] = lead.str("contact_email");
    else return validation_failed({{"VALIDATION_REQUIRED", "billing_email",
                                    "a new client needs a billing email: set one on the proposal or the lead"}});
    if (auto errors = validation::validate_client(body, validation::Mode::create); !errors.empty())
        return validation_failed(errors);
    if (auto full = check_room_for(ctx, QuotaResource::client)) return *full;
    return insert_client(ctx, body)["id"].get<std::string>();
}

// The lower-cased email of the portal access the proposal asks for ("" for none).
std::string portal_email(const json& terms) {
    if (!terms.contains("portal_user") || !terms["portal_user"].is_object()) return "";
    std::string email = terms["portal_user"].value("email", "");
    std::transform(email.begin(), email.end(), email.begin(),
                   [](unsigned char ch) { return static_cast<char>(std::tolower(ch)); });
    return email;
}

// Portal users are never firm members: one email, one kind of account (as POST portal-users).
bool email_taken(Ctx& ctx, const std::string& email) {
    return ctx.tx().query_one("SELECT id FROM users WHERE email = ?", {email}) ||
           ctx.tx().query_one("SELECT id FROM portal_users WHERE email = ?", {email});
}

constexpr std::int64_t kInvitationSeconds = 14 * 86400;

// Opens the client's portal user as 'invited' (a password nobody knows until the
// invitation is accepted) with its invitation; the invitation as shown once.
json open_portal_access(Ctx& ctx, const json& ask, const std::string& email, const std::string& client_id,
                        std::string& portal_user_id) {
    portal_user_id = server::new_id("pu");
    ctx.tx().exec(
        "INSERT INTO portal_users (id, firm_id, client_id, email, name, password_hash, can_view_billing, "
        "can_view_projects, status, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'invited', ?)",
        {portal_user_id, ctx.principal.firm_id, client_id, email, ask["name"].get<std::string>(),
         server::decoy_hash(ctx.app.config().passwords), std::int64_t{ask.value("can_view_billing", true)},
         std::int64_t{ask.value("can_view_projects", true)}, ctx.now});
    const std::string token = server::random_token();
    const std::string id = server::new_id("inv");
    ctx.tx().exec(
        "INSERT INTO portal_invitations (id, firm_id, portal_user_id, token_hash, expires_at, created_at) "
        "VALUES (?, ?, ?, ?, ?, ?)",
        {id, ctx.principal.firm_id, portal_user_id, server::sha256_hex(token), ctx.now + kInvitationSeconds, ctx.now});
    auto e = audit_event(ctx, "PERMISSIONS", "portal_user.invite");
    e.target_type = "portal_user";
    e.target_id = portal_user_id;
    e.target_label = email;
    e.metadata["client_id"] = client_id;
    e.metadata["invitation_id"] = id;
    record(ctx, e);
    return {{"object", "portal_invitation"},
            {"portal_user_id", portal_user_id},
            {"email", email},
            {"expires_at", iso(ctx.now + kInvitationSeconds)},
            {"url", "/api/v1/public/portal-invitations/" + token}};
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
    // Checked before anything is written: a refusal must leave nothing behind.
    const std::string invite_email = portal_email(terms);
    if (!invite_email.empty() && email_taken(ctx, invite_email))
        return validation_failed({{"EMAIL_IN_USE", "portal_user.email", "this email already has an account"}});
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
    std::string portal_user_id;
    json invitation;
    if (!invite_email.empty())
        invitation = open_portal_access(ctx, terms["portal_user"], invite_email, client_id, portal_user_id);

    const json snapshot = proposal_json(*p);
    const std::string contract_id = server::new_id("ctr");
    ctx.tx().exec(
        "INSERT INTO contracts (id, firm_id, proposal_id, client_id, engagement_id, portal_user_id, snapshot, "
        "accepted_by, accepted_via, accepted_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        {contract_id, ctx.principal.firm_id, p->str("id"), client_id, engagement.str("id"),
         portal_user_id.empty() ? storage::Param(nullptr) : storage::Param(portal_user_id), snapshot.dump(),
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
    json created = acceptance_json(ctx, *find_firm_row(ctx, "contracts", contract_id));
    // The invitation's token exists in clear only in this answer.
    if (!invitation.is_null()) created["portal_invitation"] = invitation;
    return json_response(201, created);
}

}  // namespace cp::api
