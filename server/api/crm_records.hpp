#pragma once
// CRM rows as JSON, their audit events and the activity timeline, shared by the lead,
// prospect and proposal endpoints and by acceptance.
#include "server/api/common.hpp"

namespace cp::api {

json lead_json(const storage::Row& lead);
json prospect_json(const storage::Row& prospect);
json proposal_json(const storage::Row& proposal);
json contract_json(const storage::Row& contract);

std::optional<storage::Row> find_firm_row(Ctx& ctx, const char* table, const std::string& id);

// One audited CRM change: `action` (lead.create, proposal.accept, ...) on the row, with
// before/after when given, plus a timeline entry on the lead it belongs to.
void audit_crm(Ctx& ctx, const std::string& action, const char* target_type, const std::string& target_id,
               const std::string& label, const std::string& lead_id, json before, json after);

}  // namespace cp::api
