#include "shared/state/payment_status.hpp"

#include <iterator>

#include "shared/state/transition_table.hpp"

namespace cp::state {

namespace {

using S = PaymentStatus;

// Names are indexed by the enum's value, so keep both in the same order.
constexpr std::string_view kNames[] = {"pending", "succeeded", "failed", "refunded", "requires_action"};
static_assert(std::size(kNames) == static_cast<size_t>(S::requires_action) + 1);

constexpr std::pair<S, S> kEdges[] = {
    {S::pending, S::succeeded},
    {S::pending, S::failed},
    {S::pending, S::requires_action},
    {S::requires_action, S::succeeded},
    {S::requires_action, S::failed},
    {S::succeeded, S::refunded},
};

constexpr TransitionTable<S> kTable{"payment", kNames, std::size(kNames), kEdges, std::size(kEdges)};

}  // namespace

std::string_view to_string(S s) { return kTable.name(s); }
std::optional<S> payment_status_from_string(std::string_view text) { return kTable.parse(text); }
Result<S> parse_payment_status(std::string_view text) { return kTable.parse_or_error(text); }
bool can_transition(S from, S to) { return kTable.allows(from, to); }
Result<S> transition(S from, S to) { return kTable.transition(from, to); }
std::vector<S> next_states(S from) { return kTable.next(from); }

}  // namespace cp::state
