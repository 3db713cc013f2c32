#include "shared/crm/proposal_totals.hpp"

#include "shared/billing/invoice_preview.hpp"

namespace cp::crm {

nlohmann::json proposal_draft(const nlohmann::json& proposal) {
    nlohmann::json draft = nlohmann::json::object();
    if (!proposal.is_object()) return draft;
    if (proposal.contains("currency")) draft["currency"] = proposal["currency"];
    if (proposal.contains("lines")) draft["lines"] = proposal["lines"];
    if (proposal.contains("tax_mode") && proposal["tax_mode"].is_string()) draft["tax_mode"] = proposal["tax_mode"];
    return draft;
}

nlohmann::json proposal_preview(const nlohmann::json& proposal) {
    return billing::preview_invoice(proposal_draft(proposal));
}

}  // namespace cp::crm
