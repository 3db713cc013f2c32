#pragma once
// The client emails, composed inside the transaction of the event that causes them and
// queued in the outbox (outbox.hpp). Each returns the new message's id, or nullopt when
// no message is due: the firm is not trial/active (offboarding: nothing goes out), the
// client has no address, or the event already has its message.
//
// Messages that carry a signed invoice link mint it here, in the same transaction, as a
// normal invoice_links row (only the token's SHA-256 there); the clear token is kept in
// the outbox row until the message is sent and then erased. Text and HTML parts; every
// amount is the core's formatting (api::money_text); subjects come from the firm's
// settings (shared/messaging/email_settings.hpp).
#include <cstdint>
#include <optional>
#include <string>

#include "server/storage/database.hpp"
#include "server/util/zones.hpp"

namespace cp::server::email {

std::optional<std::string> compose_invoice_issued(storage::Transaction& tx, const std::string& invoice_id,
                                                  std::int64_t now, const std::string& created_by);
std::optional<std::string> compose_credit_note(storage::Transaction& tx, const std::string& credit_note_id,
                                               std::int64_t now, const std::string& created_by);
std::optional<std::string> compose_payment_receipt(storage::Transaction& tx, const std::string& payment_id,
                                                   std::int64_t now);
// A declined autopay attempt; `next_retry_at` null when it was the last one (then the
// final notice follows instead).
std::optional<std::string> compose_autopay_failed(storage::Transaction& tx, Zones& zones,
                                                  const std::string& payment_id,
                                                  std::optional<std::int64_t> next_retry_at, std::int64_t now);
std::optional<std::string> compose_final_notice(storage::Transaction& tx, const std::string& invoice_id,
                                                std::int64_t now);
// The reminder `offset_days` from the due date (negative: before). Contacts who opted out
// of reminders are left out; none left: no message.
std::optional<std::string> compose_reminder(storage::Transaction& tx, const std::string& invoice_id,
                                            std::int64_t offset_days, std::int64_t now);
// `message_id` sent again (a new Message-ID; a fresh signed link when the original had one):
// an invoice's message is composed anew from the invoice as it stands (what is due now); the
// others, records of an event, with the same content.
std::optional<std::string> compose_resend(storage::Transaction& tx, const std::string& firm_id,
                                          const std::string& message_id, std::int64_t now,
                                          const std::string& created_by);

}  // namespace cp::server::email
