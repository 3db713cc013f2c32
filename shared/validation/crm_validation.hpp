#pragma once
// CRM bodies (leads, prospects, proposals). Errors use JSON paths in `field`.
//
// Lead: company 1..200, contact_name <= 200, contact_email, source <= 100,
//   estimated_value (money >= 0 in `currency`'s digits, or the firm's when absent),
//   currency, owner_membership_id, notes <= 2000; status only on update (its moves are the
//   state machine's). Required on create: company.
// Conversion to a prospect: stage (an open stage, default discovery), expected_close_date.
//   Prospect update: stage, expected_close_date.
// Proposal: prospect_id, title 1..200, currency, tax_mode per_line|per_document,
//   expires_on (the last local day it can be accepted), portal_user {email, name,
//   can_view_billing?, can_view_projects?} (portal access opened on acceptance, by
//   invitation), billing_email (the new client's;
//   the lead's contact email when absent), then the engagement terms it becomes on acceptance, checked by the
//   engagement rules (pricing_mode, package_fee, hourly_rate, schedule, start_date,
//   end_date, payment_terms_days), and lines priced by the invoice arithmetic (kind,
//   description, quantity, unit_price, tax_rate). Required on create: prospect_id, title,
//   expires_on, pricing_mode, start_date, lines.
#include <nlohmann/json.hpp>

#include "shared/core/error.hpp"
#include "shared/validation/mode.hpp"

namespace cp::validation {

Errors validate_lead(const nlohmann::json& body, Mode mode, int32_t firm_minor_digits);
Errors validate_prospect(const nlohmann::json& body, Mode mode);
// `body` is the whole proposal (merged with the stored one on update); `currency` is set.
Errors validate_proposal(const nlohmann::json& body);
// The client's answer through a signed proposal link. Accept: name <= 200, email (who
// accepts; both optional). Decline: reason <= 2000 (optional).
Errors validate_link_acceptance(const nlohmann::json& body);
Errors validate_link_decline(const nlohmann::json& body);

}  // namespace cp::validation
