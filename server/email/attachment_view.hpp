#pragma once
// The invoice a message's PDF shows, as it was when the message was composed. The outbox row
// stores a reference (attachment_view column): the invoice's id, the fields that change after
// issue (status and amounts) as they were then, and the parties' names — not the whole
// invoice, whose number, dates and lines never change once issued. The sender resolves it
// into the view the PDF renderer takes (the API view with lines), overlaying the stored
// fields. Rows written before the reference existed hold the whole view and pass through.
#include <nlohmann/json.hpp>
#include <string>

#include "server/storage/database.hpp"

namespace cp::server::email {

struct AttachmentParty {
    std::string name, detail;
};

// The reference for an issued invoice or credit note row (SELECT * shape).
std::string attachment_reference(const storage::Row& invoice, const AttachmentParty& firm,
                                 const AttachmentParty& client);

// {"invoice": API view with lines, "firm": {name, detail}, "client": {name, detail}}.
// Throws AttachmentGone when the invoice no longer exists in the firm.
nlohmann::json resolve_attachment(storage::Transaction& tx, const std::string& firm_id, const std::string& stored);

struct AttachmentGone : std::runtime_error {
    using std::runtime_error::runtime_error;
};

}  // namespace cp::server::email
