#pragma once
// What the Pipeline section asks of the server (issue 14): the pipeline report and the
// leads, prospects and proposals for the board, their moves (the core's state machines
// say which), the lead editor and the proposal editor. Screens call these, never the
// network; results change AppState in apply_api_results().
#include <string>
#include <vector>

#include "client/app/app_state.hpp"

namespace cp::portal {

// The stages of each board band, in state-machine order (the report's order).
inline constexpr const char* kLeadStages[] = {"new", "contacted", "qualified", "disqualified"};
inline constexpr const char* kProspectStages[] = {"discovery", "proposal", "negotiation", "won", "lost"};
inline constexpr const char* kProposalStages[] = {"draft", "sent", "accepted", "declined", "expired"};
inline constexpr const char* kProposalLineKinds[] = {"package_fee", "time", "expense", "adjustment"};
inline constexpr const char* kProposalPricing[] = {"package", "hourly", "mixed"};
inline constexpr const char* kProposalSchedules[] = {"monthly", "quarterly", "annual", "one_time"};
inline constexpr const char* kProposalTaxModes[] = {"per_line", "per_document"};

// #/pipeline: the board; #/pipeline/new-lead, #/pipeline/lead_…: the lead editor;
// #/pipeline/new-proposal, #/pipeline/prop_…: the proposal editor.
enum class PipelinePage { board, lead, proposal, unknown };
PipelinePage pipeline_page(const std::string& sub);
// What the open sub-page is called in the breadcrumbs ("" on the board).
std::string pipeline_crumb(const AppState& state);

// Opens what state.staff.sub names (called by load_section).
void load_pipeline_section(AppState& state);
// The report and the three lists again (Refresh, after a move).
void load_pipeline(AppState& state);

// One move a card can make: to another stage (PATCH), to a prospect (convert), or a
// proposal's send / accept / decline.
struct CardMove {
    std::string kind;  // lead, prospect, proposal
    std::string id;
    std::string to;    // a state name, or "prospect" for a lead's conversion
};
// The moves the core's state machine allows from the card's state, forward ones first.
std::vector<CardMove> card_moves(const std::string& kind, const nlohmann::json& card);
void move_card(AppState& state, const CardMove& move);

// Proposal pages (proposal_actions.cpp): opens the editor for "new-proposal" or a
// proposal's id; POSTs a proposal's send, accept or decline, then shows its page.
void open_proposal_page(AppState& state, const std::string& sub);
void proposal_action(AppState& state, const std::string& id, const std::string& action);

// Lead editor.
nlohmann::json lead_form_body(const LeadForm& form);
void validate_lead_form(AppState& state);
void save_lead(AppState& state);

// Proposal editor: the body as the server takes it (create: with prospect_id and
// currency), the core's validation and totals of it, and the proposal's moves.
nlohmann::json proposal_form_body(const ProposalForm& form);
void validate_proposal_form(ProposalForm& form);
void refresh_proposal_preview(ProposalForm& form);
void save_proposal(AppState& state);
void send_proposal(AppState& state);
void accept_proposal(AppState& state);
void decline_proposal(AppState& state);
void add_proposal_line(ProposalForm& form);

// A prospect's company from the loaded list, else its id.
std::string prospect_company(const AppState& state, const std::string& prospect_id);

}  // namespace cp::portal
