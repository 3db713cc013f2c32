// Proposals to a prospect: engagement terms plus priced lines (totals by the core's
// invoice arithmetic), draft -> sent -> accepted | declined | expired. Each new proposal
// for a prospect is its next version. Only drafts are edited.
#include "server/api/crm_records.hpp"
#include "server/api/handlers.hpp"
#include "server/api/proposal_records.hpp"
#include "server/util/crypto.hpp"
#include "shared/crm/proposal_totals.hpp"
#include "shared/money/currency.hpp"
#include "shared/money/decimal.hpp"
#include "shared/state/crm_status.hpp"
#include "shared/validation/crm_validation.hpp"

namespace cp::api {
namespace {

struct Totals {
    std::int64_t subtotal = 0, tax = 0, total = 0;
};

// The body passed validate_proposal, so the arithmetic succeeds.
Totals totals_of(const json& m) {
    json preview = crm::proposal_preview(m);  // the portal's editor shows the same call live
    const int32_t digits = money::find_currency(m["currency"].get<std::string>())->minor_digits;
    auto amount = [&](const char* key) { return money::parse_fixed(preview[key].get<std::string>(), digits).value(); };
    return {amount("subtotal"), amount("tax"), amount("total")};
}

Response not_a_draft(const storage::Row& p) {
    return error_response(409, "INVALID_TRANSITION",
                          "proposal is '" + p.str("status") + "': only a draft can be edited", "status");
}

Response move(Ctx& ctx, const std::string& id, state::ProposalStatus to, const char* action,
              const json& detail = json::object()) {
    auto p = find_firm_row(ctx, "proposals", id);
    if (!p) return not_found();
    json before = proposal_json(*p);
    if (lapse_if_due(ctx, *p)) before = proposal_json(*p);
    auto moved = state::transition(state::parse_proposal_status(p->str("status")).value(), to);
    if (!moved) return error_response(409, {moved.error()});
    const bool sending = to == state::ProposalStatus::sent;
    ctx.tx().exec(sending ? "UPDATE proposals SET status = ?, sent_at = ?, updated_at = ? WHERE id = ? AND firm_id = ?"
                          : "UPDATE proposals SET status = ?, decided_at = ?, updated_at = ? WHERE id = ? AND firm_id = ?",
                  {std::string(state::to_string(to)), ctx.now, ctx.now, p->str("id"), ctx.principal.firm_id});
    auto prospect = find_firm_row(ctx, "prospects", p->str("prospect_id"));
    json after = proposal_json(*find_firm_row(ctx, "proposals", p->str("id")));
    json audited = after;
    for (const auto& [key, value] : detail.items()) audited[key] = value;
    audit_crm(ctx, action, "proposal", p->str("id"), p->str("title"), prospect->str("lead_id"), before, audited);
    // Sending the first proposal moves a prospect still in discovery on to "proposal".
    if (sending && prospect->str("stage") == "discovery") {
        json pb = prospect_json(*prospect);
        ctx.tx().exec("UPDATE prospects SET stage = 'proposal', updated_at = ? WHERE id = ? AND firm_id = ?",
                      {ctx.now, prospect->str("id"), ctx.principal.firm_id});
        audit_crm(ctx, "prospect.transition", "prospect", prospect->str("id"), prospect->str("company"),
                  prospect->str("lead_id"), pb, prospect_json(*find_firm_row(ctx, "prospects", prospect->str("id"))));
    }
    return json_response(200, after);
}

}  // namespace

Response list_proposals(Ctx& ctx) {
    Response err;
    auto page = parse_page(ctx, err);
    if (!page) return err;
    std::string sql = "SELECT * FROM proposals WHERE firm_id = ? AND id > ?";
    storage::Params params{ctx.principal.firm_id, page->cursor};
    if (!check_filter_choice(ctx, "status", [](const std::string& v) { return state::parse_proposal_status(v); },
                             err)) {
        return err;
    }
    if (!add_exact_filters(ctx, {"status", "prospect_id"}, sql, params, err)) return err;
    sql += " ORDER BY id LIMIT ?";
    params.push_back(page->limit + 1);
    json items = json::array();
    for (const auto& r : ctx.tx().query(sql, params)) items.push_back(proposal_json(r));
    return json_response(200, list_body(items, *page));
}

Response create_proposal(Ctx& ctx) {
    Response err;
    auto body = parse_object(ctx, err);
    if (!body) return err;
    json m = *body;
    std::optional<storage::Row> prospect;
    if (m.contains("prospect_id") && m["prospect_id"].is_string()) {
        prospect = find_firm_row(ctx, "prospects", m["prospect_id"].get<std::string>());
        if (!prospect) return not_found();
        if (!m.contains("currency")) m["currency"] = prospect->str("currency");
    }
    if (auto errors = validation::validate_proposal(m); !errors.empty()) return validation_failed(errors);
    if (!prospect) return not_found();  // a numeric prospect_id names no prospect
    if (prospect->str("stage") == "won" || prospect->str("stage") == "lost") {
        return error_response(409, "INVALID_TRANSITION",
                              "prospect is '" + prospect->str("stage") + "': no new proposals", "prospect_id");
    }
    // The newest earlier proposal is this one's parent; versions count from 1 per prospect.
    auto latest = ctx.tx().query_one(
        "SELECT id, version FROM proposals WHERE firm_id = ? AND prospect_id = ? ORDER BY version DESC LIMIT 1",
        {ctx.principal.firm_id, prospect->str("id")});
    const Totals t = totals_of(m);
    const std::string id = server::new_id("prop");
    ctx.tx().exec(
        "INSERT INTO proposals (id, firm_id, prospect_id, version, parent_id, title, status, currency, terms, "
        "subtotal, tax, total, expires_on, created_at, updated_at) "
        "VALUES (?, ?, ?, ?, ?, ?, 'draft', ?, ?, ?, ?, ?, ?, ?, ?)",
        {id, ctx.principal.firm_id, prospect->str("id"), latest ? latest->i64("version") + 1 : std::int64_t{1},
         latest ? storage::Param(latest->str("id")) : storage::Param(nullptr), m["title"].get<std::string>(),
         m["currency"].get<std::string>(), m.dump(), t.subtotal, t.tax, t.total, m["expires_on"].get<std::string>(),
         ctx.now, ctx.now});
    json created = proposal_json(*find_firm_row(ctx, "proposals", id));
    audit_crm(ctx, "proposal.create", "proposal", id, created["title"], prospect->str("lead_id"), nullptr, created);
    return json_response(201, created);
}

Response get_proposal(Ctx& ctx) {
    auto p = find_firm_row(ctx, "proposals", ctx.param("id"));
    if (!p) return not_found();
    // A proposal past its day reads as expired (the GET reruns as a writer to record it).
    lapse_if_due(ctx, *p);
    return json_response(200, proposal_json(*p));
}

Response update_proposal(Ctx& ctx) {
    Response err;
    auto body = parse_object(ctx, err);
    if (!body) return err;
    auto p = find_firm_row(ctx, "proposals", ctx.param("id"));
    if (!p) return not_found();
    if (p->str("status") != "draft") return not_a_draft(*p);
    for (const char* f : {"prospect_id", "currency"}) {
        if (body->contains(f)) return validation_failed({{"NOT_UPDATABLE", f, "is fixed when the proposal is made"}});
    }
    json m = json::parse(p->str("terms"));
    for (const auto& [key, value] : body->items()) {
        if (value.is_null()) m.erase(key); else m[key] = value;
    }
    if (auto errors = validation::validate_proposal(m); !errors.empty()) return validation_failed(errors);
    json before = proposal_json(*p);
    const Totals t = totals_of(m);
    ctx.tx().exec(
        "UPDATE proposals SET title = ?, terms = ?, subtotal = ?, tax = ?, total = ?, expires_on = ?, updated_at = ? "
        "WHERE id = ? AND firm_id = ?",
        {m["title"].get<std::string>(), m.dump(), t.subtotal, t.tax, t.total, m["expires_on"].get<std::string>(),
         ctx.now, p->str("id"), ctx.principal.firm_id});
    json after = proposal_json(*find_firm_row(ctx, "proposals", p->str("id")));
    auto prospect = find_firm_row(ctx, "prospects", p->str("prospect_id"));
    audit_crm(ctx, "proposal.update", "proposal", p->str("id"), after["title"], prospect->str("lead_id"), before, after);
    return json_response(200, after);
}

Response send_proposal(Ctx& ctx) { return move(ctx, ctx.param("id"), state::ProposalStatus::sent, "proposal.send"); }
Response decline_proposal(Ctx& ctx) {
    return decline_proposal_as(ctx, ctx.param("id"), {{"declined_via", "staff"}});
}

Response decline_proposal_as(Ctx& ctx, const std::string& proposal_id, const json& detail) {
    return move(ctx, proposal_id, state::ProposalStatus::declined, "proposal.decline", detail);
}

}  // namespace cp::api
