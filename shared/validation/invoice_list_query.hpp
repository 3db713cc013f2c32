#pragma once
// The invoice list's date filters and sort order (GET /invoices and /portal/invoices): the
// server reads a request's query with this, and the portal judges its "Issued from/to"
// boxes with it before asking, so a bad date gets the same code and message in both.
//   issued_from, issued_to, due_from, due_to: YYYY-MM-DD, inclusive; a "to" before its
//     "from" is an error at the "to".
//   sort: one of kInvoiceSortKeys, "-" in front for descending; absent: creation order.
#include <map>
#include <optional>
#include <string>

#include "shared/core/error.hpp"

namespace cp::validation {

struct InvoiceSortKey {
    const char* name;  // as written in ?sort=, and the column it orders by
    bool nullable;     // drafts have none: they come after every dated row, both ways
    bool integer;      // amounts in minor units
};
inline constexpr InvoiceSortKey kInvoiceSortKeys[] = {
    {"number", true, false},   {"issue_date", true, false},   {"due_date", true, false},
    {"total", false, true},    {"balance_due", false, true},
};

struct InvoiceListQuery {
    std::optional<std::string> issued_from, issued_to, due_from, due_to;  // valid ISO dates
    const InvoiceSortKey* sort = nullptr;                                 // nullptr: creation order
    bool descending = false;
};

// Errors carry INVALID_FILTER and the parameter's name as the field.
Result<InvoiceListQuery> read_invoice_list_query(const std::map<std::string, std::string>& query);

}  // namespace cp::validation
