// The proposal editor's actions: the form as the server takes it, the core's validation
// and totals of it (crm::proposal_preview, the call the server stores the totals with),
// saving a draft, and sending, accepting or declining a proposal.
#include <string>

#include "client/api/api_client.hpp"
#include "client/app/crm_actions.hpp"
#include "client/app/crm_fields.hpp"
#include "client/app/routes.hpp"
#include "shared/crm/proposal_totals.hpp"
#include "shared/time/civil.hpp"
#include "shared/validation/crm_validation.hpp"

namespace cp::portal {
namespace {

using namespace crm_fields;

void fill_proposal_form(ProposalForm& f, const nlohmann::json& j) {
    f.stored = j;
    f.prospect_id = text_of(j, "prospect_id");
    f.currency = text_of(j, "currency");
    set_text(f.title, text_of(j, "title"));
    set_text(f.expires_on, text_of(j, "expires_on"));
    set_text(f.billing_email, text_of(j, "billing_email"));
    f.pricing_index = index_of(kProposalPricing, text_of(j, "pricing_mode"));
    f.schedule_index = index_of(kProposalSchedules, text_of(j, "schedule"));
    f.tax_mode_index = index_of(kProposalTaxModes, text_of(j, "tax_mode"));
    set_text(f.package_fee, text_of(j, "package_fee"));
    set_text(f.hourly_rate, text_of(j, "hourly_rate"));
    set_text(f.start_date, text_of(j, "start_date"));
    set_text(f.end_date, text_of(j, "end_date"));
    set_text(f.payment_terms, text_of(j, "payment_terms_days"));
    f.lines.clear();
    if (j.contains("lines") && j["lines"].is_array()) {
        for (const auto& l : j["lines"]) {
            ProposalLine line;
            line.kind_index = index_of(kProposalLineKinds, text_of(l, "kind"));
            set_text(line.description, text_of(l, "description"));
            set_text(line.quantity, text_of(l, "quantity"));
            set_text(line.unit_price, text_of(l, "unit_price"));
            set_text(line.tax_rate, text_of(l, "tax_rate"));
            f.lines.push_back(line);
        }
    }
    f.saved_body = proposal_form_body(f).dump();
}

}  // namespace

void proposal_action(AppState& state, const std::string& id, const std::string& action) {
    auto& f = state.staff.crm.proposal;
    f.acting = true;
    f.server_errors.clear();
    f.notice.clear();
    state.staff.crm.board.moving = id;
    api_request("POST", "/api/v1/proposals/" + id + "/" + action, "{}", state.session.token,
                [id, action](AppState& s, const ApiResult& r) {
                    auto& form = s.staff.crm.proposal;
                    form.acting = false;
                    auto j = parse_answer(r.body);
                    const bool ok = r.status == 200 || r.status == 201;
                    if (!ok) {
                        s.staff.crm.board.moving.clear();
                        if (form.id == id) {
                            form.server_errors = answer_errors(r);
                        } else {
                            s.staff.crm.board.move_errors = answer_errors(r);
                        }
                        return;
                    }
                    // The proposal's own page shows what happened (and, once accepted, what was opened).
                    const bool on_page = s.staff.sub == id;
                    if (!on_page) go_to_route(s, "#/pipeline/" + id);
                    auto& shown = s.staff.crm.proposal;
                    if (action == "accept" && j.is_object()) {
                        shown.acceptance = j;
                        if (j.contains("proposal")) fill_proposal_form(shown, j["proposal"]);
                        shown.notice = "Accepted: " + text_of(j["client"], "company_name") + " is a client with engagement v" +
                                   text_of(j["engagement"], "version") + ".";
                    } else if (j.is_object()) {
                        fill_proposal_form(shown, j);
                        shown.notice = action == "send" ? "Sent." : "Declined.";
                    }
                    shown.loading = false;
                    s.staff.crm.board.moving.clear();
                    load_pipeline(s);  // the board's figures and cards as they now are
                });
}


void open_proposal_page(AppState& state, const std::string& sub) {
    auto& f = state.staff.crm.proposal;
    f = {};
    if (sub == "new-proposal") {
        f.prospect_id = state.staff.crm.board.propose_to;
        f.currency = state.staff.crm.board.firm_currency;
        for (const auto& p : state.staff.lists["prospects"].rows) {
            if (text_of(p, "id") == f.prospect_id) f.currency = text_of(p, "currency");
        }
        if (f.currency.empty()) f.currency = "USD";
        const time::Date today = firm_today(state);
        set_text(f.expires_on, time::format_iso_date(time::add_days(today, 30)));
        set_text(f.start_date, time::format_iso_date(today));
        set_text(f.payment_terms, "30");
        add_proposal_line(f);
        validate_proposal_form(f);
        refresh_proposal_preview(f);
        return;
    }
    f.id = sub;
    f.loading = true;
    api_request("GET", "/api/v1/proposals/" + sub, "", state.session.token, [sub](AppState& s, const ApiResult& r) {
        auto& form = s.staff.crm.proposal;
        if (form.id != sub) return;
        form.loading = false;
        auto j = parse_answer(r.body);
        if (r.status != 200 || !j.is_object()) {
            form.load_error = error_from_api(r);
            return;
        }
        fill_proposal_form(form, j);
        validate_proposal_form(form);
        refresh_proposal_preview(form);
    });
}


// --- proposals --------------------------------------------------------------------------

void add_proposal_line(ProposalForm& f) {
    ProposalLine line;
    line.kind_index = f.lines.empty() ? 0 : 3;  // the first line is the package fee
    set_text(line.quantity, "1");
    set_text(line.tax_rate, "0");
    f.lines.push_back(line);
}

nlohmann::json proposal_form_body(const ProposalForm& f) {
    const bool create = f.id.empty();
    nlohmann::json body = nlohmann::json::object();
    if (create) {
        if (!f.prospect_id.empty()) body["prospect_id"] = f.prospect_id;
        body["currency"] = f.currency;
    }
    body["title"] = str(f.title);
    body["expires_on"] = str(f.expires_on);
    body["tax_mode"] = kProposalTaxModes[f.tax_mode_index];
    const std::string mode = kProposalPricing[f.pricing_index];
    body["pricing_mode"] = mode;
    body["schedule"] = kProposalSchedules[f.schedule_index];
    body["start_date"] = str(f.start_date);
    // An edit merges into the stored proposal: what the form leaves out is removed (null).
    auto optional = [&](const char* key, const std::string& value, bool wanted = true) {
        if (wanted && !value.empty()) {
            body[key] = value;
        } else if (!create) {
            body[key] = nullptr;
        }
    };
    optional("billing_email", str(f.billing_email));
    optional("package_fee", str(f.package_fee), mode != "hourly");
    optional("hourly_rate", str(f.hourly_rate), mode != "package");
    optional("end_date", str(f.end_date));
    const std::string terms = str(f.payment_terms);
    if (!terms.empty()) {
        const bool digits = terms.find_first_not_of("0123456789") == std::string::npos;
        body["payment_terms_days"] = digits ? nlohmann::json(std::stoi(terms)) : nlohmann::json(terms);
    } else if (!create) {
        body["payment_terms_days"] = nullptr;
    }
    nlohmann::json lines = nlohmann::json::array();
    for (const auto& l : f.lines) {
        nlohmann::json line = {{"kind", kProposalLineKinds[l.kind_index]},
                               {"quantity", str(l.quantity)},
                               {"unit_price", str(l.unit_price)},
                               {"tax_rate", str(l.tax_rate)}};
        if (l.description[0] != '\0') line["description"] = str(l.description);
        lines.push_back(line);
    }
    body["lines"] = lines;
    return body;
}

// The proposal as the server will judge it: an edit is merged into the stored one first.
namespace {

nlohmann::json proposal_as_judged(const ProposalForm& f) {
    nlohmann::json body = proposal_form_body(f);
    if (f.id.empty()) return body;
    nlohmann::json merged = nlohmann::json::object();
    for (const char* key : {"prospect_id", "currency", "portal_user"}) {
        if (f.stored.is_object() && f.stored.contains(key)) merged[key] = f.stored[key];
    }
    for (const auto& [key, value] : body.items()) {
        if (!value.is_null()) merged[key] = value;
    }
    return merged;
}

}  // namespace

void validate_proposal_form(ProposalForm& f) { f.core_errors = validation::validate_proposal(proposal_as_judged(f)); }

void refresh_proposal_preview(ProposalForm& f) {
    const auto judged = proposal_as_judged(f);
    std::string input = judged.dump();
    if (input == f.last_input) return;
    f.last_input = std::move(input);
    f.preview = crm::proposal_preview(judged);  // what the server stores as the proposal's totals
}

void save_proposal(AppState& state) {
    auto& f = state.staff.crm.proposal;
    f.touched = true;
    validate_proposal_form(f);
    f.server_errors.clear();
    f.notice.clear();
    if (!f.core_errors.empty() || f.saving) return;
    f.saving = true;
    const bool create = f.id.empty();
    const std::string id = f.id;
    api_request(create ? "POST" : "PATCH", create ? "/api/v1/proposals" : "/api/v1/proposals/" + id,
                proposal_form_body(f).dump(), state.session.token, [create, id](AppState& s, const ApiResult& r) {
                    auto& form = s.staff.crm.proposal;
                    if (form.id != id) return;
                    form.saving = false;
                    if (r.status != 200 && r.status != 201) {
                        form.server_errors = answer_errors(r);
                        return;
                    }
                    auto j = parse_answer(r.body);
                    if (create) go_to_route(s, "#/pipeline/" + text_of(j, "id"));
                    auto& saved = s.staff.crm.proposal;
                    saved.loading = false;
                    fill_proposal_form(saved, j);
                    validate_proposal_form(saved);
                    refresh_proposal_preview(saved);
                    saved.notice = (create ? "Saved draft v" : "Saved v") + text_of(j, "version") + ": total " +
                                   text_of(j, "total") + " " + text_of(j, "currency") + ".";
                });
}

void send_proposal(AppState& state) { proposal_action(state, state.staff.crm.proposal.id, "send"); }
void accept_proposal(AppState& state) { proposal_action(state, state.staff.crm.proposal.id, "accept"); }
void decline_proposal(AppState& state) { proposal_action(state, state.staff.crm.proposal.id, "decline"); }

}  // namespace cp::portal
