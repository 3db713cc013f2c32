#pragma once
// The CRM pipeline's three state machines (DOMAIN Tier 5, "CRM signals"):
//   lead:     new -> contacted -> qualified; any of them -> disqualified
//   prospect: discovery -> proposal -> negotiation -> won; any open stage -> lost
//             (won is reached by accepting a proposal, and also by hand)
//   proposal: draft -> sent -> accepted | declined | expired
// A lead becomes a prospect only once qualified; a qualified lead that was converted can
// no longer be disqualified (the server checks that, it needs storage).
#include <optional>
#include <string_view>
#include <vector>

#include "shared/core/error.hpp"

namespace cp::state {

enum class LeadStatus { new_, contacted, qualified, disqualified };
enum class ProspectStage { discovery, proposal, negotiation, won, lost };
enum class ProposalStatus { draft, sent, accepted, declined, expired };

std::string_view to_string(LeadStatus s);
std::string_view to_string(ProspectStage s);
std::string_view to_string(ProposalStatus s);

// INVALID_ENUM with the allowed names when `text` is not a state.
Result<LeadStatus> parse_lead_status(std::string_view text);
Result<ProspectStage> parse_prospect_stage(std::string_view text);
Result<ProposalStatus> parse_proposal_status(std::string_view text);

// `to`, or INVALID_TRANSITION (field "status", or "stage" for prospects) naming both states.
Result<LeadStatus> transition(LeadStatus from, LeadStatus to);
Result<ProspectStage> transition(ProspectStage from, ProspectStage to);
Result<ProposalStatus> transition(ProposalStatus from, ProposalStatus to);

std::vector<LeadStatus> next_states(LeadStatus from);
std::vector<ProspectStage> next_states(ProspectStage from);
std::vector<ProposalStatus> next_states(ProposalStatus from);

// A prospect still being worked (not won or lost): the pipeline report's open stages.
bool is_open(ProspectStage s);

}  // namespace cp::state
