#pragma once
// A proposal's totals: its lines priced by the invoice arithmetic (billing::preview_invoice)
// in its currency and tax mode, rounded half up, exactly as the invoices of the engagement
// it becomes will be. The server stores these totals; the portal's proposal editor shows
// them live, from the same call.
#include <nlohmann/json.hpp>

namespace cp::crm {

// The draft preview_invoice reads from a proposal body ({currency, lines, tax_mode?}).
nlohmann::json proposal_draft(const nlohmann::json& proposal);
// preview_invoice(proposal_draft(proposal)): {"ok":true, "subtotal", "tax", "total", "lines"…}
// or {"ok":false, "errors":[…]} with fields named as in the proposal (lines[0].quantity).
nlohmann::json proposal_preview(const nlohmann::json& proposal);

}  // namespace cp::crm
