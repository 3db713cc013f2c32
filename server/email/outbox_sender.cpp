#include "server/email/outbox_sender.hpp"

#include <algorithm>
#include <iostream>
#include <nlohmann/json.hpp>

#include "server/email/attachment_view.hpp"
#include "server/email/outbox.hpp"
#include "server/email/reminders.hpp"
#include "server/pdf/invoice_pdf.hpp"
#include "server/storage/coordination.hpp"

namespace cp::server::email {

namespace {

void replace_all(std::string& s, const std::string& from, const std::string& to) {
    for (std::size_t pos = s.find(from); pos != std::string::npos; pos = s.find(from, pos + to.size()))
        s.replace(pos, from.size(), to);
}

// The PDF of the invoice as it was at composition (attachment_view.hpp).
std::string render_attachment(const nlohmann::json& j) {
    pdf::Party firm{j["firm"]["name"], j["firm"]["detail"]};
    pdf::Party client{j["client"]["name"], j["client"]["detail"]};
    return pdf::render_invoice_pdf(j["invoice"], firm, client, pdf::invoice_fonts());
}

Mail mail_of(storage::Database& db, const storage::Row& r, const std::string& base_url) {
    Mail m;
    m.message_id = r.str("message_id");
    m.from_name = r.str("from_name");
    m.reply_to = r.opt("reply_to");
    m.to = nlohmann::json::parse(r.str("recipients")).get<std::vector<std::string>>();
    m.subject = r.str("subject");
    m.text = r.str("text_body");
    m.html = r.str("html_body");
    for (std::string* body : {&m.text, &m.html}) {
        replace_all(*body, kBaseUrlMark, base_url);
        replace_all(*body, kLinkTokenMark, r.str("link_token"));
    }
    if (!r.is_null("attachment_view")) {
        m.attachment_name = r.str("attachment_name");
        storage::Transaction tx(db, storage::TxMode::read);
        m.attachment_bytes = render_attachment(resolve_attachment(tx, r.str("firm_id"), r.str("attachment_view")));
    }
    m.date = r.i64("created_at");
    return m;
}

}  // namespace

std::int64_t retry_delay_seconds(std::int64_t attempts) {
    std::int64_t delay = 60;
    for (std::int64_t i = 1; i < attempts && delay < 3600; ++i) delay *= 2;
    return std::min<std::int64_t>(delay, 3600);
}

OutboxSender::OutboxSender(storage::Database& db, std::shared_ptr<MailTransport> transport,
                           std::shared_ptr<const Clock> clock, SenderOptions options)
    : db_(db), transport_(std::move(transport)), clock_(std::move(clock)), options_(std::move(options)) {}

OutboxSender::~OutboxSender() { stop(); }

void OutboxSender::release_leases() {
    // Only while no other process sends (PostgreSQL: while this one holds the sender's lock):
    // another process's leases are its own sends in progress.
    auto lease = storage::JobLease::take(db_, "email-sender");
    if (!lease) return;
    storage::Transaction tx(db_);
    tx.exec("UPDATE email_messages SET locked_until = NULL WHERE status = 'queued' AND locked_until IS NOT NULL");
    tx.commit();
}

SenderReport OutboxSender::tick() {
    SenderReport report;
    const std::int64_t now = clock_->now();
    // One sender (and reminder pass) at a time among the server processes: the row leases
    // below already keep each message to one sender; this keeps one SMTP stream per
    // deployment and one process queuing reminders (their keys keep each one once anyway).
    auto sender_lease = storage::JobLease::take(db_, "email-sender");
    if (!sender_lease) return report;
    if (options_.reminders && (!reminders_at_ || now - *reminders_at_ >= options_.reminder_every_seconds)) {
        reminders_at_ = now;
        report.reminders_queued = queue_due_reminders(db_, zones_, now);
    }
    if (!transport_) return report;

    // Lease a batch: another pass (or another server on the database) skips leased rows.
    std::vector<storage::Row> batch;
    {
        storage::Transaction tx(db_);
        for (auto& r : tx.query(
                 "SELECT m.*, f.status AS firm_status FROM email_messages m JOIN firms f ON f.id = m.firm_id "
                 "WHERE m.status = 'queued' AND m.next_attempt_at <= ? AND (m.locked_until IS NULL OR "
                 "m.locked_until <= ?) ORDER BY m.next_attempt_at, m.id LIMIT ?",
                 {now, now, options_.batch})) {
            if (tx.query_one("UPDATE email_messages SET locked_until = ? WHERE id = ? AND status = 'queued' AND "
                             "(locked_until IS NULL OR locked_until <= ?) RETURNING id",
                             {now + options_.lease_seconds, r.str("id"), now})) {
                batch.push_back(std::move(r));
            }
        }
        tx.commit();
    }

    for (const auto& r : batch) {
        const std::string id = r.str("id");
        const std::string firm_status = r.str("firm_status");
        if (firm_status != "trial" && firm_status != "active") {
            storage::Transaction tx(db_);
            tx.exec("UPDATE email_messages SET status = 'suppressed', last_error = ?, link_token = NULL, "
                    "locked_until = NULL, updated_at = ? WHERE id = ? AND status = 'queued'",
                    {"not sent: the firm is " + firm_status, now, id});
            tx.commit();
            ++report.suppressed;
            continue;
        }
        SendResult result;
        try {
            result = transport_->send(mail_of(db_, r, options_.base_url));
        } catch (const AttachmentGone& e) {
            result = {SendOutcome::permanent, e.what()};
        } catch (const std::exception& e) {
            result = {SendOutcome::temporary, e.what()};
        }
        const std::int64_t after = clock_->now();
        if (result.outcome == SendOutcome::accepted && options_.pause_after_accept.count() > 0)
            std::this_thread::sleep_for(options_.pause_after_accept);
        storage::Transaction tx(db_);
        if (result.outcome == SendOutcome::accepted) {
            // The token's only clear copy goes now: the client has it, the database no longer.
            tx.exec("UPDATE email_messages SET status = 'sent', attempts = attempts + 1, sent_at = ?, "
                    "link_token = NULL, last_error = NULL, locked_until = NULL, updated_at = ? WHERE id = ?",
                    {after, after, id});
            ++report.sent;
        } else {
            const std::int64_t attempts = r.i64("attempts") + 1;
            const bool give_up = result.outcome == SendOutcome::permanent ||
                                 after - r.i64("created_at") >= options_.retry_window_seconds;
            if (give_up) {
                const std::string why =
                    result.outcome == SendOutcome::permanent ? result.detail : "gave up after 24 h: " + result.detail;
                tx.exec("UPDATE email_messages SET status = 'failed', attempts = ?, last_error = ?, link_token = NULL, "
                        "locked_until = NULL, updated_at = ? WHERE id = ?",
                        {attempts, why, after, id});
                ++report.failed;
            } else {
                tx.exec("UPDATE email_messages SET attempts = ?, last_error = ?, next_attempt_at = ?, "
                        "locked_until = NULL, updated_at = ? WHERE id = ?",
                        {attempts, result.detail, after + retry_delay_seconds(attempts), after, id});
                ++report.retrying;
            }
        }
        tx.commit();
    }
    return report;
}

void OutboxSender::start() {
    if (thread_.joinable()) return;
    thread_ = std::thread([this] {
        std::unique_lock lock(mutex_);
        while (!stopping_) {
            lock.unlock();
            try {
                auto r = tick();
                if (r.sent + r.retrying + r.failed + r.suppressed + r.reminders_queued > 0) {
                    std::cout << "email " << nlohmann::json{{"sent", r.sent}, {"retrying", r.retrying},
                                                            {"failed", r.failed}, {"suppressed", r.suppressed},
                                                            {"reminders_queued", r.reminders_queued}}
                                                 .dump()
                              << "\n"
                              << std::flush;
                }
            } catch (const std::exception& e) {
                std::cerr << "email sender: " << e.what() << "\n";
            }
            lock.lock();
            wake_.wait_for(lock, options_.interval, [this] { return stopping_; });
        }
    });
}

void OutboxSender::stop() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    wake_.notify_all();
    if (thread_.joinable()) thread_.join();
}

}  // namespace cp::server::email
