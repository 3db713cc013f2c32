#include "client/app/crm_actions.hpp"

#include <cstring>

#include "client/api/api_client.hpp"
#include "client/app/routes.hpp"
#include "client/app/staff_actions.hpp"
#include "client/platform/page_bridge.hpp"
#include "shared/crm/proposal_totals.hpp"
#include "shared/money/currency.hpp"
#include "shared/state/crm_status.hpp"
#include "shared/time/civil.hpp"
#include "shared/validation/crm_validation.hpp"

namespace cp::portal {
namespace {

constexpr const char* kLeadsPath = "/api/v1/leads?limit=200";
constexpr const char* kProspectsPath = "/api/v1/prospects?limit=200";
constexpr const char* kProposalsPath = "/api/v1/proposals?limit=200";

std::string text_of(const nlohmann::json& object, const char* key) {
    if (!object.is_object() || !object.contains(key)) return {};
    const auto& v = object[key];
    if (v.is_string()) return v.get<std::string>();
    if (v.is_number_integer()) return std::to_string(v.get<long long>());
    return {};
}

template <std::size_t N>
void set_text(std::array<char, N>& buffer, const std::string& text) {
    std::strncpy(buffer.data(), text.c_str(), N - 1);
    buffer[N - 1] = '\0';
}

template <std::size_t N>
std::string str(const std::array<char, N>& buffer) {
    return std::string(buffer.data());
}

template <std::size_t Count>
int index_of(const char* const (&values)[Count], const std::string& value) {
    for (std::size_t k = 0; k < Count; ++k) {
        if (value == values[k]) return static_cast<int>(k);
    }
    return 0;
}

// A 422's errors[] (code, field, message), or the one error of any other answer.
std::vector<Error> answer_errors(const ApiResult& r) {
    std::vector<Error> out;
    auto j = parse_answer(r.body);
    if (j.is_object() && j.contains("errors") && j["errors"].is_array()) {
        for (const auto& e : j["errors"]) out.push_back({text_of(e, "code"), text_of(e, "field"), text_of(e, "message")});
    }
    if (out.empty()) out.push_back(error_from_api(r));
    return out;
}

// The firm's today as the report gives it, else the browser's.
time::Date firm_today(const AppState& state) {
    if (auto d = time::parse_iso_date(text_of(state.staff.crm.board.report, "as_of"))) return *d;
    return time::civil_from_days(static_cast<std::int64_t>(page::now_ms() / 86400000.0));
}

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

void open_proposal_form(AppState& state, const std::string& sub) {
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

// After a move: the board's figures and cards as the server now has them.
void after_move(AppState& s, const std::string& notice) {
    s.staff.crm.board.moving.clear();
    s.staff.crm.board.notice = notice;
    load_pipeline(s);
}

void post_proposal_action(AppState& state, const std::string& id, const std::string& action) {
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
                    load_report(s);
                    load_list(s, "proposals", kProposalsPath);
                    load_list(s, "prospects", kProspectsPath);
                });
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
            load_pipeline(state);
            return;
        case PipelinePage::lead: open_lead_form(state, sub); return;
        case PipelinePage::proposal:
            // The prospects name whom a proposal is for; the report gives the firm's today.
            if (!state.staff.lists["prospects"].loaded) load_list(state, "prospects", kProspectsPath);
            if (!board.report.is_object()) load_report(state);
            load_firm_currency(state);
            open_proposal_form(state, sub);
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
        post_proposal_action(state, move.id, action);
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

void send_proposal(AppState& state) { post_proposal_action(state, state.staff.crm.proposal.id, "send"); }
void accept_proposal(AppState& state) { post_proposal_action(state, state.staff.crm.proposal.id, "accept"); }
void decline_proposal(AppState& state) { post_proposal_action(state, state.staff.crm.proposal.id, "decline"); }

std::string prospect_company(const AppState& state, const std::string& prospect_id) {
    if (auto it = state.staff.lists.find("prospects"); it != state.staff.lists.end()) {
        for (const auto& p : it->second.rows) {
            if (text_of(p, "id") == prospect_id) return text_of(p, "company");
        }
    }
    return prospect_id;
}

}  // namespace cp::portal
