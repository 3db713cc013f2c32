#pragma once
// The invoice-issued emails of many invoices at once (the package run writes a firm's
// invoices together): the same messages and signed links as compose_invoice_issued() one
// by one (message_composer.hpp), with the invoices, lines and clients read in a few
// queries and the links and messages written as multi-row inserts.
#include <cstdint>
#include <string>
#include <vector>

#include "server/email/outbox.hpp"
#include "server/storage/database.hpp"

namespace cp::server::email {

// For invoices of `firm_id` created in this transaction; those whose message exists are
// skipped, as are clients without an address and firms that may not send.
void compose_invoices_issued(storage::Transaction& tx, const std::string& firm_id,
                             const std::vector<std::string>& invoice_ids, std::int64_t now,
                             const std::string& created_by);

// enqueue() for many messages with multi-row inserts: the same rows; messages without
// recipients or whose event already has a message are skipped.
void enqueue_many(storage::Transaction& tx, const std::vector<Outgoing>& messages, std::int64_t now);

}  // namespace cp::server::email
