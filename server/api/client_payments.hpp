#pragma once
// Clients paying their invoices: the portal and signed links share one path (the core's
// validate_client_payment, then a card charge through the processor) and one view of a
// payment (no processor keys, no staff ids).
#include "server/api/common.hpp"
#include "server/audit/audit_log.hpp"

namespace cp::api {

json client_payment_json(const storage::Row& payment);

// Pays all (no amount) or part of `invoice` (a row with client_time_zone) by card: 201 with
// {payment, invoice}, 202 while the processor has not answered, 409 NOT_PAYABLE, 422.
Response pay_as_client(Ctx& ctx, const storage::Row& invoice, const std::string& source, const std::string& payer,
                       const server::audit::Event& actor);

// What a client owes: per currency, outstanding and overdue totals, and the next invoice
// due (the earliest due date among those with a balance, overdue ones first).
json client_summary(Ctx& ctx, const std::string& firm_id, const std::string& client_id);

}  // namespace cp::api
