#pragma once
// Invoice queries shared by the firm and portal surfaces.
#include "server/api/common.hpp"

namespace cp::api {
// Firm-scoped list with pagination and status/client filters, plus `extra_sql` conditions.
Response list_invoices_where(Ctx& ctx, const std::string& extra_sql, storage::Params extra);
json invoice_with_lines(Ctx& ctx, const storage::Row& invoice);
}  // namespace cp::api
