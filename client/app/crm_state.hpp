#pragma once
// The Pipeline section's state (issue 14): the board's report and keyboard cursor, the
// lead editor and the proposal editor. Part of StaffWorkspace (staff_state.hpp); the
// leads, prospects and proposals themselves are RemoteLists there ("leads", ...).
#include <array>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "shared/core/error.hpp"

namespace cp::portal {

// A text field's buffer (code points × 4 + NUL), as staff_state.hpp's TextBuffer.
template <int Chars>
using CrmText = std::array<char, static_cast<std::size_t>(Chars) * 4 + 1>;

struct PipelineBoard {
    nlohmann::json report;  // GET /api/v1/reports/pipeline
    bool report_loading = false;
    std::optional<Error> report_error;
    std::string firm_currency;      // GET /api/v1/firm: a new lead's currency
    std::string selected;           // the keyboard cursor: a lead, prospect or proposal id
    std::string moving;             // the card whose move is in flight
    std::string propose_to;         // the prospect a "New proposal" was asked for
    CrmText<10> close_by{};         // expected close date given to converted leads
    std::vector<Error> move_errors;  // the server's (or the core's) refusal of the last move
    std::vector<std::string> shown_errors;
    std::string notice;
};

struct LeadForm {
    std::string id;  // empty: a new lead
    CrmText<200> company{};
    CrmText<200> contact_name{};
    CrmText<254> contact_email{};
    CrmText<100> source{};
    CrmText<32> estimated_value{};
    CrmText<2000> notes{};
    nlohmann::json stored;  // the lead as loaded (edit)
    bool loading = false;
    bool saving = false;
    bool touched = false;  // errors show once the person typed or tried to save
    std::vector<Error> core_errors;
    std::vector<Error> server_errors;
    std::vector<std::string> shown_errors;  // "code@field" drawn in the last frame
    std::optional<Error> load_error;
};

struct ProposalLine {
    int kind_index = 0;  // kProposalLineKinds
    CrmText<500> description{};
    CrmText<32> quantity{};
    CrmText<32> unit_price{};
    CrmText<32> tax_rate{};
};

struct ProposalForm {
    std::string id;           // empty: a new proposal
    std::string prospect_id;  // whom it is for (chosen on create)
    std::string currency;     // the prospect's
    CrmText<200> title{};
    CrmText<10> expires_on{};
    CrmText<254> billing_email{};
    int pricing_index = 0;   // package, hourly, mixed
    int schedule_index = 0;  // monthly, quarterly, annual, one_time
    int tax_mode_index = 0;  // per_line, per_document
    CrmText<32> package_fee{};
    CrmText<32> hourly_rate{};
    CrmText<10> start_date{};
    CrmText<10> end_date{};
    CrmText<4> payment_terms{};
    std::vector<ProposalLine> lines;
    std::string last_input;    // the body the preview was computed from
    nlohmann::json preview;    // crm::proposal_preview (the server's totals call) of it
    nlohmann::json stored;     // the proposal as loaded or saved
    std::string saved_body;    // proposal_form_body() of it: the form is unsaved when different
    nlohmann::json acceptance;  // POST …/accept's answer: contract, client, engagement
    bool loading = false;
    bool saving = false;
    bool acting = false;  // send, accept or decline in flight
    bool touched = false;
    std::vector<Error> core_errors;
    std::vector<Error> server_errors;
    std::vector<std::string> shown_errors;
    std::optional<Error> load_error;
    std::string notice;
};

struct CrmState {
    PipelineBoard board;
    LeadForm lead;
    ProposalForm proposal;
};

}  // namespace cp::portal
