#pragma once
// The invoice-issued emails of many invoices at once (the package run writes a firm's
// invoices together): the same messages and signed links as compose_invoice_issued() one
// by one (message_composer.hpp). The parties are read in one query, the messages composed
// from the invoice rows in memory without the database (the package run does this on a
// second thread while the first writes another firm's rows), and written as multi-row
// inserts.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "server/email/outbox.hpp"
#include "server/storage/database.hpp"

namespace cp::server::email {

// An issued invoice's row (SELECT * shape: at least the columns the message and the
// attachment reference read).
struct IssuedInvoice {
    storage::Row invoice;
};

// The firm and the clients to write to; nullopt when the firm may not send (only trial and
// active firms do).
struct MailParties {
    storage::Row firm;
    std::map<std::string, storage::Row> clients;
};
std::optional<MailParties> read_mail_parties(storage::Transaction& tx, const std::string& firm_id,
                                             const std::vector<std::string>& client_ids);

// Link rows (invoice_links) and outbox rows (email_messages) in the tables' column orders.
struct IssuedMail {
    std::vector<storage::Params> links, messages;
};

// For invoices created in the caller's transaction, so none has its message yet; clients
// without an address get none.
IssuedMail compose_issued_mail(const MailParties& parties, const std::vector<IssuedInvoice>& invoices,
                               std::int64_t now, const std::string& created_by);
void write_issued_mail(storage::Transaction& tx, IssuedMail& mail);

}  // namespace cp::server::email
