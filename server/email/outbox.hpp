#pragma once
// The durable email outbox (table email_messages, migration 0010). Producers call
// enqueue() inside the transaction of the event that causes the message, so the message
// exists exactly when the event committed; the sender (outbox_sender.hpp) delivers it.
//
// Delivery guarantee: at least once. A message is marked sent only after the SMTP server
// accepted it; a crash between the two resends it with the same Message-ID (derived from
// event_key), which receiving mail systems use to drop the duplicate.
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "server/storage/database.hpp"

namespace cp::server::email {

// Placeholders the sender fills in at delivery time: the public base URL (CP_PUBLIC_URL),
// and the signed link's token, which is stored in clear only until the message is sent.
inline constexpr const char* kBaseUrlMark = "{{cp:base_url}}";
inline constexpr const char* kLinkTokenMark = "{{cp:link_token}}";

struct Outgoing {
    std::string firm_id, client_id, kind, event_key;
    std::optional<std::string> invoice_id, payment_id, reply_to, resend_of;
    std::vector<std::string> recipients;
    std::string from_name, subject, text_body, html_body;
    // One PDF at most, rendered by the sender from attachment_view: a reference to the
    // invoice with what may change after issue as it was when the message was composed, so
    // the PDF shows the invoice as it was then (attachment_view.hpp).
    std::optional<std::string> attachment_name, attachment_view;
    std::optional<std::string> link_id, link_token;
    std::string created_by = "system";
};

// "<ev-…@consultantpro.invalid>": a stable Message-ID from the event that caused the message.
std::string message_id_for(const std::string& event_key);

// Inserts the message unless one for the same event exists; returns its id, or nullopt
// when the event already had its message (a replayed webhook, a rerun).
std::optional<std::string> enqueue(storage::Transaction& tx, const Outgoing& message, std::int64_t now);

// enqueue()'s row for a multi-row insert (insert_outbox_rows), in the same column order.
storage::Params outbox_row(const Outgoing& message, std::int64_t now);
// Rows without recipients must not be passed; rows whose event already has a message are skipped.
void insert_outbox_rows(storage::Transaction& tx, std::vector<storage::Params>& rows);

// Whether this process sends email (main sets it from CP_SMTP_URL/CP_SMTP_FROM before serving).
// A property of the process, like the environment it comes from; false until set.
void set_email_configured(bool configured);
bool email_configured();

// The message as the API shows it (no attachment bytes, no link token). `configured` says
// whether this server has SMTP: queued messages then read "not sent: email not configured".
nlohmann::json message_json(const storage::Row& row, bool configured);

}  // namespace cp::server::email
