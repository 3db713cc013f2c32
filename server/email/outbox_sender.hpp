#pragma once
// The outbox's sender inside the server: every `interval` on its own thread and database
// connection it queues the reminders that fell due (reminders.hpp) and delivers due
// messages. Each message is leased (locked_until) in one transaction, sent outside any
// transaction, and marked in another: sent only after the SMTP server accepted it;
// temporary failures retried with backoff (1, 2, 4 … 60 min) for 24 h from the message's
// creation, then failed; permanent (5xx) failures failed at once. A message of a firm that
// is no longer trial/active is suppressed, never sent. Tests drive tick() with a manual clock.
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "server/email/smtp_sender.hpp"
#include "server/storage/database.hpp"
#include "server/util/clock.hpp"
#include "server/util/zones.hpp"

namespace cp::server::email {

struct SenderOptions {
    std::string base_url = "http://127.0.0.1:8080";  // CP_PUBLIC_URL: links in messages
    std::chrono::milliseconds interval{5000};
    std::int64_t batch = 20;
    std::int64_t lease_seconds = 300;          // a sender that died leaves its lease this long
    std::int64_t retry_window_seconds = 86400;  // temporary failures: retried this long
    bool reminders = true;
    std::int64_t reminder_every_seconds = 60;  // the reminder pass runs at most this often
    // Fault injection for the crash test only (CP_EMAIL_PAUSE_AFTER_ACCEPT_MS): sleep between
    // the server's acceptance and marking the message sent.
    std::chrono::milliseconds pause_after_accept{0};
};

struct SenderReport {
    std::int64_t sent = 0, retrying = 0, failed = 0, suppressed = 0, reminders_queued = 0;
};

// Backoff after the n-th failed attempt (n >= 1): 60 s doubling, at most an hour.
std::int64_t retry_delay_seconds(std::int64_t attempts);

class OutboxSender {
public:
    // `transport` null: email is not configured; nothing is sent (reminders still queue).
    OutboxSender(storage::Database& db, std::shared_ptr<MailTransport> transport, std::shared_ptr<const Clock> clock,
                 SenderOptions options = {});
    ~OutboxSender();
    OutboxSender(const OutboxSender&) = delete;
    OutboxSender& operator=(const OutboxSender&) = delete;

    SenderReport tick();  // one pass at clock->now()
    // Drops every lease (at start-up: no sender of this process is running yet).
    void release_leases();
    void start();
    void stop();

private:
    storage::Database& db_;
    std::shared_ptr<MailTransport> transport_;
    std::shared_ptr<const Clock> clock_;
    SenderOptions options_;
    Zones zones_;
    std::optional<std::int64_t> reminders_at_;  // the last reminder pass (sender's clock)
    std::mutex mutex_;
    std::condition_variable wake_;
    bool stopping_ = false;
    std::thread thread_;
};

}  // namespace cp::server::email
