#pragma once
// Payment reminders: for every open issued invoice of a trial/active firm, the firm's
// reminder_days (firm settings "email") relative to the due date, each on its day in the
// client's time zone. The outbox's unique event key ("reminder:<invoice>:<offset>") makes
// each reminder go out once however often this runs; a day missed (server down) is not
// caught up later, so a client never gets a stale "due in 3 days" after the due date.
#include <cstdint>

#include "server/storage/database.hpp"
#include "server/util/zones.hpp"

namespace cp::server::email {

// Queues the reminders due at `now`; returns how many were queued.
std::int64_t queue_due_reminders(storage::Database& db, Zones& zones, std::int64_t now);

}  // namespace cp::server::email
