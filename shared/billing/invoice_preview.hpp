#pragma once
// The live invoice preview: one call from draft JSON to totals JSON, used by the server
// (POST /api/v1/invoices/preview) and the portal's editor on every keystroke.
//
// Input: see billing/draft_reader.hpp. Output on success (all amounts are decimal strings
// with exactly the currency's minor digits):
//   {"ok":true,"currency":"USD","rounding":"half_up","tax_mode":"per_line",
//    "document_type":"invoice",
//    "lines":[{"amount":"180.00","tax":"15.98"}],       // "tax" only in per_line mode
//    "tax_breakdown":[{"rate":"8.875","taxable":"180.00","tax":"15.98"}],  // by rate, asc
//    "subtotal":"180.00","tax":"15.98","total":"195.98",
//    "amount_paid":"0.00","balance_due":"195.98"}
// Output on failure, listing every field error found (codes: docs/decisions/core-error-codes.md):
//   {"ok":false,"errors":[{"code":"INVALID_DECIMAL","field":"lines[0].quantity","message":"…"}]}
// Never throws and never crashes, whatever JSON it is given.
#include <nlohmann/json.hpp>

namespace cp::billing {

nlohmann::json preview_invoice(const nlohmann::json& draft);

}  // namespace cp::billing
