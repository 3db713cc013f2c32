#pragma once
// The invoice list's query (GET /invoices and /portal/invoices) beyond paging: the server
// reads a request's query with this, and the portal judges its "Issued from/to" boxes with
// it before asking, so a bad value gets the same code and message in both.
//   status: an invoice status (overdue as reported); document_type: invoice | credit_note;
//   issued_from, issued_to, due_from, due_to: YYYY-MM-DD, inclusive; a "to" before its
//     "from" is an error at the "to".
//   sort: one of kInvoiceSortKeys, "-" in front for descending; absent: creation order.
//     Amounts order within their currency (currencies alphabetically, reversed when
//     descending): 5,000 JPY is not more than 42 USD.
#include <map>
#include <optional>
#include <string>

#include "shared/core/error.hpp"

namespace cp::validation {

struct InvoiceSortKey {
    const char* name;  // as written in ?sort=, and the column it orders by
    bool nullable;     // drafts have none: they come after every dated row, both ways
    bool amount;       // minor units, ordered within the invoice's currency
    bool date;
};
inline constexpr InvoiceSortKey kInvoiceSortKeys[] = {
    {"number", true, false, false},  {"issue_date", true, false, true}, {"due_date", true, false, true},
    {"total", false, true, false},   {"balance_due", false, true, false},
};

struct InvoiceListQuery {
    std::optional<std::string> issued_from, issued_to, due_from, due_to;  // valid ISO dates
    const InvoiceSortKey* sort = nullptr;                                 // nullptr: creation order
    bool descending = false;
    // "-total", "issue_date", or "" for creation order: what a page's cursor belongs to.
    std::string sort_spec() const;
};

// Every bad parameter is appended to `errors` (INVALID_FILTER, the parameter's name as the
// field); the rest of the query is read regardless.
InvoiceListQuery read_invoice_list_query(const std::map<std::string, std::string>& query, Errors& errors);

}  // namespace cp::validation
