#include "client/app/crm_actions.hpp"

#include "client/api/api_client.hpp"
#include "client/app/crm_fields.hpp"
#include "client/app/routes.hpp"
#include "client/app/staff_actions.hpp"
#include "shared/money/currency.hpp"
#include "shared/state/crm_status.hpp"
#include "shared/time/civil.hpp"
#include "shared/validation/crm_validation.hpp"

namespace cp::portal {
namespace {

using namespace crm_fields;

constexpr const char* kLeadsPath = "/api/v1/leads?limit=200";
constexpr const char* kProspectsPath = "/api/v1/prospects?limit=200";
constexpr const char* kProposalsPath = "/api/v1/proposals?limit=200";

int32_t digits_of(const std::string& currency) {
    const auto* cur = money::find_currency(currency);
    return cur ? cur->minor_digits : 2;
}

void load_report(AppState& state) {
    auto& b = state.staff.crm.board;
    b.report_loading = true;
    b.report_error.reset();
    api_request("GET", "/api/v1/reports/pipeline", "", state.session.token, [](AppState& s, const ApiResult& r) {
        auto& board = s.staff.crm.board;
        board.report_loading = false;
        auto j = parse_answer(r.body);
        if (r.status != 200 || !j.is_object()) {
            board.report_error = error_from_api(r);
            return;
        }
        board.report = j;
        if (board.close_by[0] == '\0') set_text(board.close_by, time::format_iso_date(time::add_days(firm_today(s), 30)));
    });
}

void load_firm_currency(AppState& state) {
    if (!state.staff.crm.board.firm_currency.empty()) return;
    api_request("GET", "/api/v1/firm", "", state.session.token, [](AppState& s, const ApiResult& r) {
        auto j = parse_answer(r.body);
        if (r.status == 200 && j.is_object()) s.staff.crm.board.firm_currency = text_of(j, "currency");
    });
}

void open_lead_form(AppState& state, const std::string& sub) {
    auto& f = state.staff.crm.lead;
    f = {};
    if (sub == "new-lead") {
        validate_lead_form(state);
        return;
    }
    f.id = sub;
    f.loading = true;
    api_request("GET", "/api/v1/leads/" + sub, "", state.session.token, [sub](AppState& s, const ApiResult& r) {
        auto& form = s.staff.crm.lead;
        if (form.id != sub) return;
        form.loading = false;
        auto j = parse_answer(r.body);
        if (r.status != 200 || !j.is_object()) {
            form.load_error = error_from_api(r);
            return;
        }
        form.stored = j;
        set_text(form.company, text_of(j, "company"));
        set_text(form.contact_name, text_of(j, "contact_name"));
        set_text(form.contact_email, text_of(j, "contact_email"));
        set_text(form.source, text_of(j, "source"));
        set_text(form.estimated_value, text_of(j, "estimated_value"));
        set_text(form.notes, text_of(j, "notes"));
        validate_lead_form(s);
    });
}

// After a move: the board's figures and cards as the server now has them.
void after_move(AppState& s, const std::string& notice) {
    s.staff.crm.board.moving.clear();
    s.staff.crm.board.notice = notice;
    load_pipeline(s);
}

}  // namespace

PipelinePage pipeline_page(const std::string& sub) {
    if (sub.empty()) return PipelinePage::board;
    if (sub == "new-lead" || sub.rfind("lead_", 0) == 0) return PipelinePage::lead;
    if (sub == "new-proposal" || sub.rfind("prop_", 0) == 0) return PipelinePage::proposal;
    return PipelinePage::unknown;
}

std::string pipeline_crumb(const AppState& state) {
    const auto& sub = state.staff.sub;
    const auto& crm = state.staff.crm;
    switch (pipeline_page(sub)) {
        case PipelinePage::board: return {};
        case PipelinePage::lead:
            if (sub == "new-lead") return "New lead";
            return crm.lead.stored.is_object() ? text_of(crm.lead.stored, "company") : sub;
        case PipelinePage::proposal:
            if (sub == "new-proposal") return "New proposal";
            return crm.proposal.stored.is_object()
                       ? text_of(crm.proposal.stored, "title") + " (v" + text_of(crm.proposal.stored, "version") + ")"
                       : sub;
        case PipelinePage::unknown: return sub;
    }
    return sub;
}

void load_pipeline(AppState& state) {
    load_report(state);
    load_firm_currency(state);
    load_list(state, "leads", kLeadsPath);
    load_list(state, "prospects", kProspectsPath);
    load_list(state, "proposals", kProposalsPath);
}

void load_pipeline_section(AppState& state) {
    const std::string sub = state.staff.sub;
    auto& board = state.staff.crm.board;
    board.move_errors.clear();
    switch (pipeline_page(sub)) {
        case PipelinePage::board:
            board.notice.clear();  // a save that brought us here sets its own after this
            load_pipeline(state);
            return;
        case PipelinePage::lead: open_lead_form(state, sub); return;
        case PipelinePage::proposal:
            // The prospects name whom a proposal is for; the report gives the firm's today.
            if (!state.staff.lists["prospects"].loaded) load_list(state, "prospects", kProspectsPath);
            if (!board.report.is_object()) load_report(state);
            load_firm_currency(state);
            open_proposal_page(state, sub);
            return;
        case PipelinePage::unknown: return;
    }
}

// --- the board's moves ------------------------------------------------------------------

std::vector<CardMove> card_moves(const std::string& kind, const nlohmann::json& card) {
    std::vector<CardMove> out;
    const std::string id = text_of(card, "id");
    if (kind == "lead") {
        auto status = state::parse_lead_status(text_of(card, "status"));
        if (!status) return out;
        if (*status == state::LeadStatus::qualified) out.push_back({kind, id, "prospect"});
        for (auto next : state::next_states(*status)) out.push_back({kind, id, std::string(state::to_string(next))});
    } else if (kind == "prospect") {
        auto stage = state::parse_prospect_stage(text_of(card, "stage"));
        if (!stage) return out;
        for (auto next : state::next_states(*stage)) out.push_back({kind, id, std::string(state::to_string(next))});
    } else if (kind == "proposal") {
        auto status = state::parse_proposal_status(text_of(card, "status"));
        if (!status) return out;
        // Expiry is the calendar's doing, never a button.
        for (auto next : state::next_states(*status)) {
            if (next != state::ProposalStatus::expired) out.push_back({kind, id, std::string(state::to_string(next))});
        }
    }
    return out;
}

void move_card(AppState& state, const CardMove& move) {
    auto& board = state.staff.crm.board;
    if (!board.moving.empty()) return;  // one move at a time
    board.move_errors.clear();
    board.notice.clear();
    if (move.kind == "proposal") {
        const char* action = move.to == "sent" ? "send" : move.to == "accepted" ? "accept" : "decline";
        proposal_action(state, move.id, action);
        return;
    }
    std::string method = "PATCH", path, label;
    nlohmann::json body;
    if (move.kind == "lead" && move.to == "prospect") {
        body = {{"expected_close_date", str(board.close_by)}};
        // The core's rules for a new prospect first: a bad date is shown, nothing is sent.
        board.move_errors = validation::validate_prospect(body, validation::Mode::create);
        if (!board.move_errors.empty()) return;
        method = "POST";
        path = "/api/v1/leads/" + move.id + "/convert";
        label = "Converted to a prospect.";
    } else if (move.kind == "lead") {
        body = {{"status", move.to}};
        path = "/api/v1/leads/" + move.id;
        label = "Moved to " + move.to + ".";
    } else {
        body = {{"stage", move.to}};
        path = "/api/v1/prospects/" + move.id;
        label = "Moved to " + move.to + ".";
    }
    board.moving = move.id;
    api_request(method, path, body.dump(), state.session.token, [label](AppState& s, const ApiResult& r) {
        if (r.status != 200 && r.status != 201) {
            s.staff.crm.board.moving.clear();
            s.staff.crm.board.move_errors = answer_errors(r);
            return;
        }
        auto j = parse_answer(r.body);
        after_move(s, text_of(j, "company") + ": " + label);
    });
}

// --- leads ------------------------------------------------------------------------------

nlohmann::json lead_form_body(const LeadForm& f) {
    nlohmann::json body = {{"company", str(f.company)}};
    auto optional = [&](const char* key, const std::string& value) {
        if (!value.empty()) body[key] = value;
    };
    optional("contact_name", str(f.contact_name));
    optional("contact_email", str(f.contact_email));
    optional("source", str(f.source));
    optional("estimated_value", str(f.estimated_value));
    optional("notes", str(f.notes));
    return body;
}

void validate_lead_form(AppState& state) {
    auto& f = state.staff.crm.lead;
    const std::string currency =
        f.stored.is_object() ? text_of(f.stored, "currency") : state.staff.crm.board.firm_currency;
    f.core_errors = validation::validate_lead(lead_form_body(f), f.id.empty() ? validation::Mode::create
                                                                             : validation::Mode::update,
                                              digits_of(currency));
}

void save_lead(AppState& state) {
    auto& f = state.staff.crm.lead;
    f.touched = true;
    validate_lead_form(state);
    f.server_errors.clear();
    if (!f.core_errors.empty() || f.saving) return;  // the core said no: nothing is sent
    f.saving = true;
    const bool create = f.id.empty();
    const std::string id = f.id;
    api_request(create ? "POST" : "PATCH", create ? "/api/v1/leads" : "/api/v1/leads/" + id, lead_form_body(f).dump(),
                state.session.token, [create, id](AppState& s, const ApiResult& r) {
                    auto& form = s.staff.crm.lead;
                    if (form.id != id) return;
                    form.saving = false;
                    if (r.status != 200 && r.status != 201) {
                        form.server_errors = answer_errors(r);
                        return;
                    }
                    auto j = parse_answer(r.body);
                    go_to_route(s, "#/pipeline");
                    s.staff.crm.board.notice = (create ? "Created lead " : "Saved lead ") + text_of(j, "company") + ".";
                });
}

std::string prospect_company(const AppState& state, const std::string& prospect_id) {
    if (auto it = state.staff.lists.find("prospects"); it != state.staff.lists.end()) {
        for (const auto& p : it->second.rows) {
            if (text_of(p, "id") == prospect_id) return text_of(p, "company");
        }
    }
    return prospect_id;
}

}  // namespace cp::portal
