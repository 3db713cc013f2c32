#include "server/email/outbox.hpp"

#include <atomic>

#include "server/email/invoice_issued_batch.hpp"
#include "server/storage/bulk_insert.hpp"
#include "server/util/clock.hpp"
#include "server/util/crypto.hpp"

namespace cp::server::email {

using nlohmann::json;

namespace {
std::atomic<bool> configured_flag{false};
}

void set_email_configured(bool configured) { configured_flag = configured; }
bool email_configured() { return configured_flag; }

std::string message_id_for(const std::string& event_key) {
    return "<ev-" + sha256_hex(event_key).substr(0, 40) + "@consultantpro.invalid>";
}

namespace {

const std::vector<std::string>& message_columns() {
    static const std::vector<std::string> columns = {
        "id",         "firm_id",   "client_id",  "invoice_id",      "payment_id",      "kind",       "event_key",
        "message_id", "recipients", "reply_to",  "from_name",       "subject",         "text_body",  "html_body",
        "attachment_name", "attachment_view", "link_id", "link_token", "status",     "attempts",  "next_attempt_at",
        "resend_of",  "created_by", "created_at", "updated_at"};
    return columns;
}

storage::Params message_row(const Outgoing& m, const std::string& id, std::int64_t now) {
    return {id, m.firm_id, m.client_id, storage::nullable(m.invoice_id), storage::nullable(m.payment_id), m.kind,
            m.event_key, message_id_for(m.event_key), json(m.recipients).dump(), storage::nullable(m.reply_to),
            m.from_name, m.subject, m.text_body, m.html_body, storage::nullable(m.attachment_name),
            storage::nullable(m.attachment_view), storage::nullable(m.link_id), storage::nullable(m.link_token),
            "queued", 0, now, storage::nullable(m.resend_of), m.created_by, now, now};
}

std::string insert_head() {
    std::string sql = "INSERT INTO email_messages (", values;
    for (const auto& c : message_columns()) {
        sql += (values.empty() ? "" : ", ") + c;
        values += values.empty() ? "?" : ", ?";
    }
    return sql + ") VALUES (" + values + ")";
}

}  // namespace

std::optional<std::string> enqueue(storage::Transaction& tx, const Outgoing& m, std::int64_t now) {
    if (m.recipients.empty()) return std::nullopt;
    const std::string id = new_id("msg");
    // ON CONFLICT DO NOTHING (both backends): the event's first message stands.
    static const std::string sql = insert_head() + " ON CONFLICT (event_key) DO NOTHING RETURNING id";
    auto row = tx.query_one(sql, message_row(m, id, now));
    if (!row) return std::nullopt;
    return id;
}

storage::Params outbox_row(const Outgoing& m, std::int64_t now) { return message_row(m, new_id("msg"), now); }

void insert_outbox_rows(storage::Transaction& tx, std::vector<storage::Params>& rows) {
    storage::BulkInsert insert(tx, "email_messages", message_columns(), "ON CONFLICT (event_key) DO NOTHING", 100);
    for (auto& r : rows) insert.add(std::move(r));
    rows.clear();
    insert.flush();
}

json message_json(const storage::Row& r, bool configured) {
    auto opt = [&](const char* c) { return r.is_null(c) ? json(nullptr) : json(r.str(c)); };
    auto time = [&](const char* c) { return r.is_null(c) ? json(nullptr) : json(iso_time(r.i64(c))); };
    const std::string status = r.str("status");
    json detail = nullptr;
    if (status == "queued") {
        if (!configured)
            detail = "not sent: email not configured";
        else if (r.i64("attempts") > 0)
            detail = "retrying: " + r.str("last_error");
        else
            detail = "waiting to be sent";
    } else if (status == "failed" || status == "suppressed") {
        detail = r.str("last_error");
    }
    return {{"object", "message"},
            {"id", r.str("id")},
            {"kind", r.str("kind")},
            {"status", status},
            {"status_detail", detail},
            {"client_id", r.str("client_id")},
            {"invoice_id", opt("invoice_id")},
            {"payment_id", opt("payment_id")},
            {"to", json::parse(r.str("recipients"))},
            {"reply_to", opt("reply_to")},
            {"from_name", r.str("from_name")},
            {"subject", r.str("subject")},
            {"message_id", r.str("message_id")},
            {"attachment", opt("attachment_name")},
            {"link_id", opt("link_id")},
            {"attempts", r.i64("attempts")},
            {"next_attempt_at", status == "queued" ? time("next_attempt_at") : json(nullptr)},
            {"last_error", opt("last_error")},
            {"resend_of", opt("resend_of")},
            {"created_at", iso_time(r.i64("created_at"))},
            {"sent_at", time("sent_at")}};
}

}  // namespace cp::server::email
