#pragma once
// An invoice as a document: the PDF answer shared by the firm, portal and signed-link
// routes (each finds the invoice its own way, then calls this).
#include "server/api/common.hpp"

namespace cp::api {

// 200 application/pdf of the issued invoice or credit note `invoice` (a row with
// client_time_zone); 409 NOT_ISSUED for a draft.
Response invoice_pdf_response(Ctx& ctx, const storage::Row& invoice);

}  // namespace cp::api
