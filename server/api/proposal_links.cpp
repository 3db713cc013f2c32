// Signed proposal links (issue 14), like signed invoice links: a random token (256 bits,
// shown once, stored as its SHA-256) opens one proposal read-only without an account, and
// the client accepts or declines it there. Accepting is the same one atomic, idempotent
// acceptance staff use (client, contract, engagement v1), recorded as accepted via the
// link. Expired link: 410 LINK_EXPIRED; revoked or unknown: the one 404. Lookups are
// throttled per address like password attempts, and every use is audited.
#include <cctype>

#include "server/api/crm_records.hpp"
#include "server/api/handlers.hpp"
#include "server/api/link_tokens.hpp"
#include "server/api/proposal_records.hpp"
#include "server/util/crypto.hpp"
#include "shared/validation/crm_validation.hpp"
#include "shared/validation/invoice_link_validation.hpp"

namespace cp::api {

namespace {

json link_json(const storage::Row& l) { return link_row_json(l, "proposal_link", "proposal_id"); }

// What the client sees: the offer, never the firm's internal ids or notes.
json client_view(const storage::Row& proposal) {
    const json full = proposal_json(proposal);
    json out = json::object();
    for (const char* key :
         {"id",          "title",       "version",  "status",     "currency",   "tax_mode",
          "lines",       "subtotal",    "tax",      "total",      "expires_on", "pricing_mode",
          "package_fee", "hourly_rate", "schedule", "start_date", "end_date",   "payment_terms_days",
          "sent_at",     "decided_at"}) {
        if (full.contains(key)) out[key] = full[key];
    }
    return out;
}

struct Opened {
    std::optional<storage::Row> link, proposal;
    Response refusal;
};

// The link named by the path's token and its proposal, or the answer to give instead. On
// success the request acts inside the link's firm (ctx.principal.firm_id), still anonymous.
// `answering` (accept, decline) locks the proposal row first, before this request writes
// anything else (the view count, the audit chain head): the lock order of staff acceptance,
// so a client and staff answering at once on PostgreSQL queue instead of deadlocking.
Opened open_link(Ctx& ctx, const char* what, bool answering = false) {
    Opened o;
    const std::string address = ctx.req.remote_address;
    const std::string account = "link:" + address;
    if (auto wait = ctx.app.throttle().begin_attempt(account, address, ctx.now)) {
        ctx.app.metrics().throttled();
        o.refusal = too_many_attempts(*wait);
        return o;
    }
    const std::string token = ctx.param("token");
    if (is_link_token(token)) {
        o.link = ctx.tx().query_one("SELECT * FROM proposal_links WHERE token_hash = ?",
                                    {server::sha256_hex(token)});
    }
    // A revoked link, or one of a firm that is not active (suspended, offboarding), opens nothing.
    if (o.link && !ctx.tx().query_one("SELECT id FROM firms WHERE id = ? AND status IN ('trial', 'active')",
                                      {o.link->str("firm_id")}))
        o.link.reset();
    if (!o.link || !o.link->is_null("revoked_at")) {
        o.link.reset();
        o.refusal = not_found();
        return o;
    }
    ctx.app.throttle().attempt_succeeded(account, address, ctx.now);
    if (o.link->i64("expires_at") <= ctx.now) {
        o.link.reset();
        o.refusal = error_response(410, "LINK_EXPIRED",
                                   "This proposal link has expired; ask the sender for a new one.");
        return o;
    }
    ctx.principal.firm_id = o.link->str("firm_id");
    if (answering && ctx.tx().backend() == "postgresql") {
        ctx.tx().query_one("SELECT id FROM proposals WHERE id = ? AND firm_id = ? FOR UPDATE",
                           {o.link->str("proposal_id"), o.link->str("firm_id")});
    }
    o.proposal = find_firm_row(ctx, "proposals", o.link->str("proposal_id"));
    ctx.tx().exec("UPDATE proposal_links SET views = views + 1, last_viewed_at = ? WHERE id = ?",
                  {ctx.now, o.link->str("id")});
    auto e = audit_event(ctx, "DATA_ACCESS", "proposal_link.view");
    e.actor_id = "link:" + o.link->str("id");
    e.target_type = "proposal";
    e.target_id = o.proposal->str("id");
    e.target_label = o.proposal->str("title");
    e.metadata = {{"link_id", o.link->str("id")}, {"what", what}};
    record(ctx, e);
    return o;
}

json public_body(Ctx& ctx, const Opened& o) {
    auto firm = ctx.tx().query_one("SELECT name FROM firms WHERE id = ?", {o.link->str("firm_id")});
    auto prospect = find_firm_row(ctx, "prospects", o.proposal->str("prospect_id"));
    return {{"object", "public_proposal"},
            {"proposal", client_view(*o.proposal)},
            {"firm", {{"name", firm->str("name")}}},
            {"prospect", {{"company", prospect->str("company")}}},
            {"can_answer", o.proposal->str("status") == "sent"},
            {"expires_at", iso(o.link->i64("expires_at"))}};
}

std::optional<json> optional_body(Ctx& ctx, Response& err) {
    if (ctx.req.body.empty()) return json::object();
    return parse_object(ctx, err);
}

}  // namespace

Response create_proposal_link(Ctx& ctx) {
    Response err;
    auto body = optional_body(ctx, err);
    if (!body) return err;
    if (auto errors = validation::validate_invoice_link(*body); !errors.empty())
        return validation_failed(errors);
    auto p = find_firm_row(ctx, "proposals", ctx.param("id"));
    if (!p) return not_found();
    lapse_if_due(ctx, *p);
    if (p->str("status") != "sent")
        return error_response(409, "NOT_SENT",
                              "Only a sent proposal can be shared (this one is '" + p->str("status") + "').",
                              "status");
    const std::int64_t days = body->value("expires_in_days", validation::kInvoiceLinkDefaultDays);
    const std::string id = server::new_id("plk");
    const std::string token = server::random_token();
    ctx.tx().exec(
        "INSERT INTO proposal_links (id, firm_id, proposal_id, token_hash, expires_at, created_by, "
        "created_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?)",
        {id, ctx.principal.firm_id, p->str("id"), server::sha256_hex(token), ctx.now + days * 86400,
         ctx.principal.membership_id, ctx.now});
    auto prospect = find_firm_row(ctx, "prospects", p->str("prospect_id"));
    audit_crm(ctx, "proposal_link.create", "proposal", p->str("id"), p->str("title"),
              prospect->str("lead_id"), nullptr, {{"link_id", id}, {"expires_in_days", days}});
    json out = link_json(*ctx.tx().query_one("SELECT * FROM proposal_links WHERE id = ?", {id}));
    // The token exists in clear only in this answer.
    out["token"] = token;
    out["url"] = "/api/v1/public/proposals/" + token;
    return json_response(201, out);
}

Response list_proposal_links(Ctx& ctx) {
    auto p = find_firm_row(ctx, "proposals", ctx.param("id"));
    if (!p) return not_found();
    // A proposal has a handful of links: one page, oldest first, at most 200.
    json items = json::array();
    for (const auto& r : ctx.tx().query(
             "SELECT * FROM proposal_links WHERE firm_id = ? AND proposal_id = ? ORDER BY id LIMIT 200",
             {ctx.principal.firm_id, p->str("id")})) {
        items.push_back(link_json(r));
    }
    return json_response(
        200, {{"object", "list"}, {"data", items}, {"has_more", false}, {"next_cursor", nullptr}});
}

Response revoke_proposal_link(Ctx& ctx) {
    auto link = find_firm_row(ctx, "proposal_links", ctx.param("id"));
    if (!link) return not_found();
    if (!link->is_null("revoked_at"))
        return error_response(409, "ALREADY_REVOKED", "This link is already revoked.", "id");
    ctx.tx().exec("UPDATE proposal_links SET revoked_at = ?, revoked_by = ? WHERE id = ?",
                  {ctx.now, ctx.principal.membership_id, link->str("id")});
    auto p = find_firm_row(ctx, "proposals", link->str("proposal_id"));
    auto prospect = find_firm_row(ctx, "prospects", p->str("prospect_id"));
    audit_crm(ctx, "proposal_link.revoke", "proposal", p->str("id"), p->str("title"),
              prospect->str("lead_id"), nullptr, {{"link_id", link->str("id")}});
    return json_response(200, link_json(*find_firm_row(ctx, "proposal_links", link->str("id"))));
}

Response public_get_proposal(Ctx& ctx) {
    auto o = open_link(ctx, "proposal");
    if (!o.link) return o.refusal;
    // A proposal past its last local day reads as expired (recorded, like the staff view).
    lapse_if_due(ctx, *o.proposal);
    return json_response(200, public_body(ctx, o));
}

Response public_accept_proposal(Ctx& ctx) {
    Response err;
    auto body = optional_body(ctx, err);
    if (!body) return err;
    if (auto errors = validation::validate_link_acceptance(*body); !errors.empty())
        return validation_failed(errors);
    auto o = open_link(ctx, "accept", true);
    if (!o.link) return o.refusal;
    Acceptor client;
    client.via = "link";
    client.link_id = o.link->str("id");
    client.accepted_by = str_or(*body, "email", str_or(*body, "name"));
    if (client.accepted_by.empty()) {
        auto prospect = find_firm_row(ctx, "prospects", o.proposal->str("prospect_id"));
        auto lead = find_firm_row(ctx, "leads", prospect->str("lead_id"));
        client.accepted_by =
            lead->is_null("contact_email") ? "link:" + client.link_id : lead->str("contact_email");
    }
    Response accepted = accept_proposal_as(ctx, o.proposal->str("id"), client);
    if (accepted.status != 200 && accepted.status != 201) return accepted;
    // The client sees the proposal as accepted and when; the firm's records stay the firm's.
    const json full = json::parse(accepted.body);
    json out = public_body(ctx, {o.link, find_firm_row(ctx, "proposals", o.proposal->str("id")), {}});
    out["object"] = "public_acceptance";
    out["accepted_at"] = full["contract"]["accepted_at"];
    out["accepted_by"] = full["contract"]["accepted_by"];
    out["accepted_via"] = full["contract"]["accepted_via"];
    // Portal access the proposal asked for: the client chooses a password through this.
    if (full.contains("portal_invitation")) {
        const json& inv = full["portal_invitation"];
        out["portal_invitation"] = {{"email", inv["email"]}, {"expires_at", inv["expires_at"]}, {"url", inv["url"]}};
    }
    return json_response(accepted.status, out);
}

Response public_decline_proposal(Ctx& ctx) {
    Response err;
    auto body = optional_body(ctx, err);
    if (!body) return err;
    if (auto errors = validation::validate_link_decline(*body); !errors.empty())
        return validation_failed(errors);
    auto o = open_link(ctx, "decline", true);
    if (!o.link) return o.refusal;
    json detail{{"declined_via", "link"}, {"link_id", o.link->str("id")}};
    if (body->contains("reason")) detail["reason"] = (*body)["reason"];
    Response declined = decline_proposal_as(ctx, o.proposal->str("id"), detail);
    if (declined.status != 200) return declined;
    return json_response(
        200, public_body(ctx, {o.link, find_firm_row(ctx, "proposals", o.proposal->str("id")), {}}));
}

}  // namespace cp::api
