#pragma once
// POST /invoices/{id}/links: expires_in_days, an integer 1..90 (default 30: a link in an
// email should outlive the payment terms, not the year).
#include <nlohmann/json.hpp>

#include "shared/core/error.hpp"

namespace cp::validation {

inline constexpr int64_t kInvoiceLinkDefaultDays = 30;
inline constexpr int64_t kInvoiceLinkMaxDays = 90;

Errors validate_invoice_link(const nlohmann::json& body);

}  // namespace cp::validation
