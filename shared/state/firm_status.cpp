#include "shared/state/firm_status.hpp"

#include <iterator>

#include "shared/state/transition_table.hpp"

namespace cp::state {

namespace {

using S = FirmStatus;

// Names are indexed by the enum's value, so keep both in the same order.
constexpr std::string_view kNames[] = {"trial", "active", "suspended", "canceled", "offboarding"};
static_assert(std::size(kNames) == static_cast<size_t>(S::offboarding) + 1);

constexpr std::pair<S, S> kEdges[] = {
    {S::trial, S::active},       {S::trial, S::suspended},  {S::trial, S::canceled},
    {S::active, S::suspended},   {S::suspended, S::active}, {S::active, S::canceled},
    {S::suspended, S::canceled},
    // Offboarding: started by the owner, cancelled back to active, or purged.
    {S::trial, S::offboarding},  {S::active, S::offboarding}, {S::suspended, S::offboarding},
    {S::offboarding, S::active}, {S::offboarding, S::canceled},
};

constexpr TransitionTable<S> kTable{"firm", kNames, std::size(kNames), kEdges, std::size(kEdges)};

}  // namespace

std::string_view to_string(S s) { return kTable.name(s); }
std::optional<S> firm_status_from_string(std::string_view text) { return kTable.parse(text); }
Result<S> parse_firm_status(std::string_view text) { return kTable.parse_or_error(text); }
bool can_transition(S from, S to) { return kTable.allows(from, to); }
Result<S> transition(S from, S to) { return kTable.transition(from, to); }
std::vector<S> next_states(S from) { return kTable.next(from); }

}  // namespace cp::state
