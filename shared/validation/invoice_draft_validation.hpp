#pragma once
// Invoice draft bodies (create / edit a draft): client_id, engagement_id (defaults to the
// client's current engagement), engagement_override_reason (<= 500; the server requires it,
// and an owner/admin, when engagement_id is not the current one), currency, rounding,
// tax_mode, document_type, issue_date, due_date (>= issue_date), notes (<= 2000), lines.
// Lines follow billing/draft_reader.hpp (kind, description, quantity, unit_price, tax_rate)
// plus optional time_entry_id / expense_id; when the arithmetic fields are complete the
// totals are computed too, so AMOUNT_OVERFLOW and NEGATIVE_TOTAL surface here as well.
// Required on create: client_id, currency, lines.
// Errors use JSON paths in `field`; codes are listed in docs/decisions/core-error-codes.md.
#include <nlohmann/json.hpp>

#include "shared/core/error.hpp"
#include "shared/validation/mode.hpp"

namespace cp::validation {

Errors validate_invoice_draft(const nlohmann::json& body, Mode mode);

}  // namespace cp::validation
