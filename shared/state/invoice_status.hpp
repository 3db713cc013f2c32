#pragma once
// Invoice status: draft -> sent (issued) -> partial/paid, plus overdue, void, failed,
// disputed, charged_back, refunded. void needs 'nothing paid', which the caller checks:
// the table only knows states. Every edge is listed in invoice_status.cpp.
#include <optional>
#include <string_view>
#include <vector>

#include "shared/core/error.hpp"

namespace cp::state {

enum class InvoiceStatus {
    draft,
    sent,
    partial,
    paid,
    overdue,
    void_,
    failed,
    disputed,
    charged_back,
    refunded
};

std::string_view to_string(InvoiceStatus s);
std::optional<InvoiceStatus> invoice_status_from_string(std::string_view text);
// INVALID_ENUM with the allowed names when `text` is not a state.
Result<InvoiceStatus> parse_invoice_status(std::string_view text);
bool can_transition(InvoiceStatus from, InvoiceStatus to);
// `to`, or INVALID_TRANSITION (field "status") naming both states.
Result<InvoiceStatus> transition(InvoiceStatus from, InvoiceStatus to);
std::vector<InvoiceStatus> next_states(InvoiceStatus from);

}  // namespace cp::state
