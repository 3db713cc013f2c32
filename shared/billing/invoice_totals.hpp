#pragma once
// Invoice arithmetic, the one implementation behind server, portal, PDFs and reports.
//   line amount = round(quantity x unit price)                       (to minor units)
//   per_line     : tax = sum over lines of round(amount x rate)
//   per_document : tax = sum over distinct rates of round(sum of amounts at that rate x rate)
//   total = subtotal + tax; balance due = total - amount paid
// Negative lines are fine (credits, discounts); a negative total is NEGATIVE_TOTAL unless
// the document is a credit note. Every amount stays within money::kMaxMinorUnits or the
// computation fails with AMOUNT_OVERFLOW: nothing ever wraps.
#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "shared/billing/line_item.hpp"
#include "shared/core/error.hpp"
#include "shared/money/currency.hpp"
#include "shared/money/rounding.hpp"

namespace cp::billing {

enum class TaxMode { per_line, per_document };
enum class DocumentType { invoice, credit_note };

std::optional<TaxMode> tax_mode_from_string(std::string_view s);
std::optional<DocumentType> document_type_from_string(std::string_view s);

struct InvoiceInput {
    const money::Currency* currency = nullptr;  // required
    money::Rounding rounding = money::Rounding::half_up;
    TaxMode tax_mode = TaxMode::per_line;
    DocumentType document_type = DocumentType::invoice;
    int64_t amount_paid = 0;  // minor units
    std::vector<LineItem> lines;
};

// Taxable base and tax of all lines sharing one rate.
struct TaxGroup {
    int64_t rate = 0;     // percent at scale 10^4
    int64_t taxable = 0;  // minor units
    int64_t tax = 0;      // minor units
};

struct InvoiceTotals {
    std::vector<int64_t> line_amounts;  // one per line, minor units
    std::vector<int64_t> line_taxes;    // one per line in per_line mode, empty in per_document
    std::vector<TaxGroup> tax_groups;   // ascending by rate, so independent of line order
    int64_t subtotal = 0;
    int64_t tax = 0;
    int64_t total = 0;
    int64_t amount_paid = 0;
    int64_t balance_due = 0;  // negative when overpaid (the excess becomes client credit)
};

// Fills `out` (reusing its vectors' capacity, for hot loops) and returns true, or appends
// the errors (overflowing lines by path, then document-level ones) and returns false.
bool compute_invoice_totals(const InvoiceInput& input, InvoiceTotals& out, Errors& errors);

// Convenience form reporting the first error.
Result<InvoiceTotals> compute_invoice_totals(const InvoiceInput& input);

}  // namespace cp::billing
