#include "shared/state/dispute_status.hpp"

#include <iterator>

#include "shared/state/transition_table.hpp"

namespace cp::state {

namespace {

using S = DisputeStatus;

// Names are indexed by the enum's value, so keep both in the same order.
constexpr std::string_view kNames[] = {"warning_needs_response",
                                       "warning_under_review",
                                       "warning_closed",
                                       "needs_response",
                                       "under_review",
                                       "won",
                                       "lost"};
static_assert(std::size(kNames) == static_cast<size_t>(S::lost) + 1);

constexpr std::pair<S, S> kEdges[] = {
    // Inquiry phase.
    {S::warning_needs_response, S::warning_under_review},
    {S::warning_needs_response, S::warning_closed},
    {S::warning_under_review, S::warning_closed},
    // An inquiry can escalate into a formal dispute.
    {S::warning_needs_response, S::needs_response},
    {S::warning_under_review, S::needs_response},
    // Dispute phase: evidence submitted (or not) and a decision.
    {S::needs_response, S::under_review},
    {S::needs_response, S::won},
    {S::needs_response, S::lost},  // accepted, or no evidence by the due date
    {S::under_review, S::won},
    {S::under_review, S::lost},
};

constexpr TransitionTable<S> kTable{"dispute", kNames, std::size(kNames), kEdges, std::size(kEdges)};

}  // namespace

std::string_view to_string(S s) { return kTable.name(s); }
std::optional<S> dispute_status_from_string(std::string_view text) { return kTable.parse(text); }
Result<S> parse_dispute_status(std::string_view text) { return kTable.parse_or_error(text); }
bool can_transition(S from, S to) { return kTable.allows(from, to); }
Result<S> transition(S from, S to) { return kTable.transition(from, to); }
std::vector<S> next_states(S from) { return kTable.next(from); }
bool moves_forward(S current, S reported) { return kTable.reaches(current, reported); }
bool is_open(S s) { return s != S::warning_closed && s != S::won && s != S::lost; }

}  // namespace cp::state
