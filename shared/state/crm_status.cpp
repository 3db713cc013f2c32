#include "shared/state/crm_status.hpp"

#include <iterator>

#include "shared/state/transition_table.hpp"

namespace cp::state {

namespace {

using L = LeadStatus;
using P = ProspectStage;
using Q = ProposalStatus;

// Names are indexed by the enum's value, so keep both in the same order.
constexpr std::string_view kLeadNames[] = {"new", "contacted", "qualified", "disqualified"};
static_assert(std::size(kLeadNames) == static_cast<size_t>(L::disqualified) + 1);
constexpr std::pair<L, L> kLeadEdges[] = {
    {L::new_, L::contacted},
    {L::contacted, L::qualified},
    // A lead can be dropped at any point before it becomes a prospect.
    {L::new_, L::disqualified},
    {L::contacted, L::disqualified},
    {L::qualified, L::disqualified},
};
constexpr TransitionTable<L> kLeads{"lead", kLeadNames, std::size(kLeadNames), kLeadEdges, std::size(kLeadEdges)};

constexpr std::string_view kStageNames[] = {"discovery", "proposal", "negotiation", "won", "lost"};
static_assert(std::size(kStageNames) == static_cast<size_t>(P::lost) + 1);
constexpr std::pair<P, P> kStageEdges[] = {
    {P::discovery, P::proposal},
    {P::proposal, P::negotiation},
    // An accepted proposal wins the prospect from whichever open stage it is in.
    {P::discovery, P::won},
    {P::proposal, P::won},
    {P::negotiation, P::won},
    {P::discovery, P::lost},
    {P::proposal, P::lost},
    {P::negotiation, P::lost},
};
constexpr TransitionTable<P> kStages{"prospect", kStageNames, std::size(kStageNames), kStageEdges,
                                     std::size(kStageEdges)};

constexpr std::string_view kProposalNames[] = {"draft", "sent", "accepted", "declined", "expired"};
static_assert(std::size(kProposalNames) == static_cast<size_t>(Q::expired) + 1);
constexpr std::pair<Q, Q> kProposalEdges[] = {
    {Q::draft, Q::sent},
    // Only a proposal the client has seen can be answered or run out.
    {Q::sent, Q::accepted},
    {Q::sent, Q::declined},
    {Q::sent, Q::expired},
};
constexpr TransitionTable<Q> kProposals{"proposal", kProposalNames, std::size(kProposalNames), kProposalEdges,
                                        std::size(kProposalEdges)};

}  // namespace

std::string_view to_string(L s) { return kLeads.name(s); }
std::string_view to_string(P s) { return kStages.name(s); }
std::string_view to_string(Q s) { return kProposals.name(s); }

Result<L> parse_lead_status(std::string_view text) { return kLeads.parse_or_error(text); }
Result<P> parse_prospect_stage(std::string_view text) { return kStages.parse_or_error(text, "stage"); }
Result<Q> parse_proposal_status(std::string_view text) { return kProposals.parse_or_error(text); }

Result<L> transition(L from, L to) { return kLeads.transition(from, to); }
Result<P> transition(P from, P to) {
    auto moved = kStages.transition(from, to);
    if (!moved) {
        Error e = moved.error();
        e.field = "stage";
        return e;
    }
    return moved;
}
Result<Q> transition(Q from, Q to) { return kProposals.transition(from, to); }

std::vector<L> next_states(L from) { return kLeads.next(from); }
std::vector<P> next_states(P from) { return kStages.next(from); }
std::vector<Q> next_states(Q from) { return kProposals.next(from); }

bool is_open(P s) { return s != P::won && s != P::lost; }

}  // namespace cp::state
