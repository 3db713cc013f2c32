#pragma once
// The invoice list's date filters and its sorted, keyset-paged order. A sorted page
// continues after (value, id) of the last row sent, so a row inserted or paid meanwhile
// never shifts a page, and every step walks an index (firm_id, column, id). Rows without
// the value (drafts have no number or dates) come after every valued row in both
// directions, in creation order: the cursor says which of the two runs it is in.
#include <string>

#include "server/api/common.hpp"
#include "shared/validation/invoice_list_query.hpp"

namespace cp::api {

void add_date_filters(const validation::InvoiceListQuery& query, std::string& sql, storage::Params& params);

// `filters` are " AND ..." conditions on the invoice columns with their `filter_params`.
Response list_invoices_sorted(Ctx& ctx, const Page& page, const validation::InvoiceListQuery& query,
                              const std::string& filters, storage::Params filter_params);

}  // namespace cp::api
