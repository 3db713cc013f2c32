#include "server/email/reminders.hpp"

#include <nlohmann/json.hpp>
#include <string>
#include <utility>
#include <vector>

#include "server/email/message_composer.hpp"
#include "shared/messaging/email_settings.hpp"
#include "shared/time/civil.hpp"

namespace cp::server::email {

std::int64_t queue_due_reminders(storage::Database& db, Zones& zones, std::int64_t now) {
    // Found in a read transaction (beside the writer); written only when one is due, so a
    // pass with nothing to do never takes the writer's turn.
    std::vector<std::pair<std::string, std::int64_t>> due;
    {
        storage::Transaction tx(db, storage::TxMode::read);
        // Open invoices only: issued (sent, or paid in part), something still due, not
        // autopay (autopay clients hear from the card attempts instead).
        const auto rows = tx.query(
            "SELECT i.id, i.due_date, c.time_zone, f.settings FROM invoices i JOIN clients c ON c.id = i.client_id "
            "JOIN firms f ON f.id = i.firm_id WHERE i.document_type = 'invoice' AND i.status IN ('sent', 'partial') "
            "AND i.balance_due > 0 AND i.due_date IS NOT NULL AND i.autopay_state IS NULL AND c.autopay_enabled = 0 "
            "AND f.status IN ('trial', 'active')");
        for (const auto& r : rows) {
            const auto due_date = time::parse_iso_date(r.str("due_date"));
            if (!due_date) continue;
            const auto today = zones.local_date(r.str("time_zone"), now);
            const std::int64_t offset = time::days_from_civil(today) - time::days_from_civil(*due_date);
            nlohmann::json stored = nlohmann::json::parse(r.str("settings"), nullptr, false);
            const auto settings = messaging::effective_email_settings(
                stored.is_object() && stored.contains("email") ? stored["email"] : nlohmann::json(nullptr));
            for (const auto& d : settings["reminder_days"]) {
                if (d.get<std::int64_t>() != offset) continue;
                const std::string key = "reminder:" + r.str("id") + ":" + std::to_string(offset);
                if (!tx.query_one("SELECT id FROM email_messages WHERE event_key = ?", {key}))
                    due.emplace_back(r.str("id"), offset);
            }
        }
    }
    if (due.empty()) return 0;
    std::int64_t queued = 0;
    storage::Transaction tx(db);
    for (const auto& [invoice_id, offset] : due) {
        if (compose_reminder(tx, invoice_id, offset, now)) ++queued;
    }
    tx.commit();
    return queued;
}

}  // namespace cp::server::email
