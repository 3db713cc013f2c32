#include "shared/state/invoice_status.hpp"

#include <iterator>

#include "shared/state/transition_table.hpp"

namespace cp::state {

namespace {

using S = InvoiceStatus;

// Names are indexed by the enum's value, so keep both in the same order.
constexpr std::string_view kNames[] = {"draft", "sent",   "partial",  "paid",         "overdue",
                                       "void",  "failed", "disputed", "charged_back", "refunded"};
static_assert(std::size(kNames) == static_cast<size_t>(S::refunded) + 1);

constexpr std::pair<S, S> kEdges[] = {
    // Issuing makes the invoice immutable; drafts are deleted, never voided.
    {S::draft, S::sent},
    {S::sent, S::partial},
    {S::sent, S::paid},
    {S::sent, S::overdue},
    {S::sent, S::void_},
    {S::sent, S::failed},
    {S::sent, S::disputed},
    {S::partial, S::paid},
    {S::partial, S::overdue},
    {S::partial, S::failed},
    {S::partial, S::disputed},
    {S::partial, S::refunded},
    // Overdue is sent/partial past the due date (in the client's zone); payments still land.
    {S::overdue, S::partial},
    {S::overdue, S::paid},
    {S::overdue, S::failed},
    {S::overdue, S::void_},
    {S::overdue, S::disputed},
    // An autopay failure: a retry may pay it; after the third failed retry it is overdue.
    {S::failed, S::partial},
    {S::failed, S::paid},
    {S::failed, S::overdue},
    {S::failed, S::void_},
    // A partial refund reopens part of the balance; a full refund ends in refunded.
    {S::paid, S::partial},
    {S::paid, S::refunded},
    {S::paid, S::disputed},
    // Disputes: won goes back to paid (or partial), lost is charged back.
    {S::disputed, S::paid},
    {S::disputed, S::partial},
    {S::disputed, S::charged_back},
};

constexpr TransitionTable<S> kTable{"invoice", kNames, std::size(kNames), kEdges, std::size(kEdges)};

}  // namespace

std::string_view to_string(S s) { return kTable.name(s); }
std::optional<S> invoice_status_from_string(std::string_view text) { return kTable.parse(text); }
Result<S> parse_invoice_status(std::string_view text) { return kTable.parse_or_error(text); }
bool can_transition(S from, S to) { return kTable.allows(from, to); }
Result<S> transition(S from, S to) { return kTable.transition(from, to); }
std::vector<S> next_states(S from) { return kTable.next(from); }

}  // namespace cp::state
