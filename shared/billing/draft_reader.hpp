#pragma once
// Turns an invoice draft (JSON, as typed in the portal editor or posted to the preview
// endpoint) into an InvoiceInput, collecting every field error. Shared by
// preview_invoice and the core CLI's invoice_totals op so both accept exactly the same.
//
// Fields (all decimals are strings):
//   currency       required, ISO 4217 code from money/currency.cpp
//   rounding       "half_up" (default) | "half_even"
//   tax_mode       "per_line" (default) | "per_document"
//   document_type  "invoice" (default) | "credit_note"
//   amount_paid    money in the currency's minor digits, >= 0, default "0"
//   lines          required array, at most kMaxLines entries, may be empty; each line:
//     kind         "package_fee" | "time" | "expense" | "adjustment" (default) | "late_fee"
//     description  optional, at most kMaxDescriptionLength characters
//     quantity     required, up to 4 decimals, may be negative
//     unit_price   required, up to 4 decimals, may be negative
//     tax_rate     required, percent, up to 4 decimals, 0..100
// Other keys are ignored: a draft also carries client, dates and notes, which are the
// invoice_draft validator's business, not the arithmetic's.
#include <cstddef>
#include <nlohmann/json.hpp>

#include "shared/billing/invoice_totals.hpp"
#include "shared/core/error.hpp"

namespace cp::billing {

inline constexpr size_t kMaxLines = 1000;
inline constexpr size_t kMaxDescriptionLength = 500;

struct DraftReading {
    InvoiceInput input;
    Errors errors;  // empty when `input` is complete and valid
};

DraftReading read_invoice_draft(const nlohmann::json& draft);

}  // namespace cp::billing
