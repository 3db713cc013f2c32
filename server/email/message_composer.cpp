#include "server/email/message_composer.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <set>
#include <nlohmann/json.hpp>

#include "server/api/serializers.hpp"
#include "server/email/attachment_view.hpp"
#include "server/email/invoice_issued_batch.hpp"
#include "server/email/outbox.hpp"
#include "server/storage/bulk_insert.hpp"
#include "server/util/crypto.hpp"
#include "shared/messaging/email_settings.hpp"
#include "shared/time/civil.hpp"
#include "shared/validation/invoice_link_validation.hpp"

namespace cp::server::email {

namespace {

using nlohmann::json;

struct Parties {
    storage::Row firm, client;
    json settings;  // effective email settings
};

std::string html_escape(const std::string& s) {
    std::string out;
    for (char c : s) {
        switch (c) {
            case '&': out += "&amp;"; break;
            case '<': out += "&lt;"; break;
            case '>': out += "&gt;"; break;
            case '"': out += "&quot;"; break;
            default: out += c;
        }
    }
    return out;
}

std::string lower(std::string s) {
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return s;
}

// The firm and client, or nullopt when the firm may not send (only trial and active firms
// do: a suspended or offboarding firm's clients get nothing).
std::optional<storage::Row> sending_firm(storage::Transaction& tx, const std::string& firm_id) {
    // With the first active owner's address: where a client's reply goes when the firm set no reply-to.
    auto firm = tx.query_one(
        "SELECT f.*, (SELECT u.email FROM memberships m JOIN users u ON u.id = m.user_id WHERE m.firm_id = f.id AND "
        "m.role = 'owner' AND m.status = 'active' ORDER BY m.created_at, m.id LIMIT 1) AS owner_email FROM firms f "
        "WHERE f.id = ?",
        {firm_id});
    if (!firm || (firm->str("status") != "trial" && firm->str("status") != "active")) return std::nullopt;
    return firm;
}

Parties parties_of(const storage::Row& firm, const storage::Row& client) {
    json stored = json::parse(firm.str("settings"), nullptr, false);
    json email = stored.is_object() && stored.contains("email") ? stored["email"] : json(nullptr);
    return Parties{firm, client, messaging::effective_email_settings(email)};
}

std::optional<Parties> parties(storage::Transaction& tx, const std::string& firm_id, const std::string& client_id) {
    auto firm = sending_firm(tx, firm_id);
    if (!firm) return std::nullopt;
    auto client = tx.query_one("SELECT * FROM clients WHERE id = ? AND firm_id = ?", {client_id, firm_id});
    if (!client) return std::nullopt;
    return parties_of(*firm, *client);
}

// The billing address and every contact with an address, once each (case-insensitive);
// for reminders, without the contacts that opted out of them.
std::vector<std::string> recipients(const storage::Row& client, bool reminder) {
    std::vector<std::string> out;
    std::vector<std::string> opted_out;
    auto add = [&](const std::string& a) {
        if (a.empty()) return;
        for (const auto& o : out) {
            if (lower(o) == lower(a)) return;
        }
        out.push_back(a);
    };
    json contacts = json::parse(client.str("contacts"), nullptr, false);
    if (contacts.is_array()) {
        for (const auto& c : contacts) {
            if (!c.is_object() || !c.contains("email") || !c["email"].is_string()) continue;
            if (reminder && c.value("reminders_opt_out", false)) opted_out.push_back(lower(c["email"]));
        }
    }
    add(client.str("billing_email"));
    if (contacts.is_array()) {
        for (const auto& c : contacts) {
            if (c.is_object() && c.contains("email") && c["email"].is_string()) add(c["email"]);
        }
    }
    std::erase_if(out, [&](const std::string& a) {
        return std::find(opted_out.begin(), opted_out.end(), lower(a)) != opted_out.end();
    });
    return out;
}

std::string amount(std::int64_t minor, const std::string& currency) {
    return api::money_text(minor, currency) + " " + currency;
}

Outgoing base(const Parties& p, const std::string& kind, const std::string& event_key, bool reminder) {
    Outgoing m;
    m.firm_id = p.firm.str("id");
    m.client_id = p.client.str("id");
    m.kind = kind;
    m.event_key = event_key;
    m.recipients = recipients(p.client, reminder);
    m.from_name = p.firm.str("name");
    // Replies reach a person of the firm: its reply-to setting, else its owner (never our sending address).
    if (p.settings["reply_to"].is_string()) {
        m.reply_to = p.settings["reply_to"].get<std::string>();
    } else if (!p.firm.is_null("owner_email")) {
        m.reply_to = p.firm.str("owner_email");
    }
    return m;
}

std::string subject(const Parties& p, const std::string& kind, std::map<std::string, std::string> vars) {
    vars["firm"] = p.firm.str("name");
    return messaging::render_subject(p.settings["subjects"][kind].get<std::string>(), vars);
}

// Paragraphs as plain text and as HTML; a "link" paragraph is {text, url}.
struct Body {
    std::vector<std::string> lines;
    std::string link_text, link_url;
};

void render(Outgoing& m, const Parties& p, const Body& b) {
    std::string text = "Hello " + p.client.str("name") + ",\n\n";
    std::string html =
        "<!doctype html><html><body style=\"font-family:sans-serif\"><p>Hello " + html_escape(p.client.str("name")) +
        ",</p>";
    for (const auto& l : b.lines) {
        if (l.empty()) continue;
        text += l + "\n\n";
        html += "<p>" + html_escape(l) + "</p>";
    }
    if (!b.link_url.empty()) {
        text += b.link_text + ": " + b.link_url + "\n\n";
        html += "<p><a href=\"" + b.link_url + "\">" + html_escape(b.link_text) + "</a></p>";
    }
    text += p.firm.str("name") + "\n";
    html += "<p>" + html_escape(p.firm.str("name")) + "</p></body></html>";
    m.text_body = text;
    m.html_body = html;
}

// A signed link for the message (see the header): the row holds the hash, the message the
// token. Returns the link row's values in invoice_link_columns() order.
storage::Params new_link(Outgoing& m, const std::string& invoice_id, std::int64_t now, const std::string& created_by) {
    const std::string id = new_id("lnk");
    const std::string token = random_token();
    m.link_id = id;
    m.link_token = token;
    return {id, m.firm_id, invoice_id, sha256_hex(token), now + validation::kInvoiceLinkDefaultDays * 86400,
            created_by, now};
}

const std::vector<std::string>& invoice_link_columns() {
    static const std::vector<std::string> columns = {"id",         "firm_id",    "invoice_id", "token_hash",
                                                     "expires_at", "created_by", "created_at"};
    return columns;
}

void mint_link(storage::Transaction& tx, Outgoing& m, const std::string& invoice_id, std::int64_t now,
               const std::string& created_by) {
    storage::BulkInsert links(tx, "invoice_links", invoice_link_columns());
    links.add(new_link(m, invoice_id, now, created_by));
    links.flush();
}

std::string link_url() { return std::string(kBaseUrlMark) + "/i/" + kLinkTokenMark; }

// What the sender renders the PDF from (attachment_view.hpp): the same view and parties as
// GET /invoices/{id}/pdf, as they are now.
std::string invoice_snapshot(const storage::Row& inv, const Parties& p) {
    return attachment_reference(inv, {p.firm.str("name"), ""}, {p.client.str("name"), p.client.str("billing_email")});
}

std::string pdf_name(const std::string& number) {
    std::string out;
    for (char c : number) {
        if (std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_') out += c;
    }
    return (out.empty() ? std::string("invoice") : out) + ".pdf";
}

std::string due_text(const storage::Row& inv, const Parties& p) {
    // Due dates are calendar dates; the client reads them in their own zone's calendar.
    return inv.str("due_date") + " (" + p.client.str("time_zone") + ")";
}

// True when the event already has its message: checked before any work (a PDF, a link row)
// so a repeated event leaves nothing behind.
bool already_queued(storage::Transaction& tx, const std::string& event_key) {
    return tx.query_one("SELECT id FROM email_messages WHERE event_key = ?", {event_key}).has_value();
}

std::optional<storage::Row> invoice(storage::Transaction& tx, const std::string& id) {
    return tx.query_one("SELECT * FROM invoices WHERE id = ?", {id});
}

}  // namespace

namespace {

// The invoice-issued message without its link (nullopt: nobody to send to).
std::optional<Outgoing> invoice_issued(const storage::Row& inv, const Parties& p, const std::string& created_by) {
    const std::string invoice_id = inv.str("id");
    const std::string cur = inv.str("currency");
    Outgoing m = base(p, "invoice_issued", "invoice_issued:" + invoice_id, false);
    if (m.recipients.empty()) return std::nullopt;
    m.invoice_id = invoice_id;
    m.created_by = created_by;
    m.subject = subject(p, "invoice_issued", {{"number", inv.str("number")},
                                              {"amount", amount(inv.i64("balance_due"), cur)},
                                              {"due_date", inv.str("due_date")}});
    Body b;
    b.lines = {p.firm.str("name") + " has sent you invoice " + inv.str("number") + ", issued " +
                   inv.str("issue_date") + ".",
               "Total: " + amount(inv.i64("total"), cur) + ". Amount due: " + amount(inv.i64("balance_due"), cur) +
                   ", due " + due_text(inv, p) + ".",
               "The invoice is attached as a PDF."};
    b.link_text = "View and pay the invoice online";
    b.link_url = link_url();
    render(m, p, b);
    m.attachment_name = pdf_name(inv.str("number"));
    m.attachment_view = invoice_snapshot(inv, p);
    return m;
}

// "?, ?, …" for n values.
std::string placeholders(std::size_t n) {
    std::string out;
    for (std::size_t i = 0; i < n; ++i) out += i ? ", ?" : "?";
    return out;
}

}  // namespace

std::optional<std::string> compose_invoice_issued(storage::Transaction& tx, const std::string& invoice_id,
                                                  std::int64_t now, const std::string& created_by) {
    if (already_queued(tx, "invoice_issued:" + invoice_id)) return std::nullopt;
    auto inv = invoice(tx, invoice_id);
    if (!inv) return std::nullopt;
    auto p = parties(tx, inv->str("firm_id"), inv->str("client_id"));
    if (!p) return std::nullopt;
    auto m = invoice_issued(*inv, *p, created_by);
    if (!m) return std::nullopt;
    mint_link(tx, *m, invoice_id, now, created_by);
    return enqueue(tx, *m, now);
}

std::optional<MailParties> read_mail_parties(storage::Transaction& tx, const std::string& firm_id,
                                             const std::vector<std::string>& client_ids) {
    auto firm = sending_firm(tx, firm_id);
    if (!firm) return std::nullopt;  // offboarding or suspended: nothing goes out
    MailParties out{*firm, {}};
    constexpr std::size_t kChunk = 500;
    for (std::size_t from = 0; from < client_ids.size(); from += kChunk) {
        const std::size_t n = std::min(kChunk, client_ids.size() - from);
        storage::Params params{firm_id};
        for (std::size_t i = 0; i < n; ++i) params.emplace_back(client_ids[from + i]);
        for (auto& c : tx.query("SELECT * FROM clients WHERE firm_id = ? AND id IN (" + placeholders(n) + ")",
                                params)) {
            std::string id = c.str("id");
            out.clients.emplace(std::move(id), std::move(c));
        }
    }
    return out;
}

IssuedMail compose_issued_mail(const MailParties& parties, const std::vector<IssuedInvoice>& invoices,
                               std::int64_t now, const std::string& created_by) {
    IssuedMail out;
    std::map<std::string, Parties> by_client;
    for (const auto& inv : invoices) {
        const std::string client_id = inv.invoice.str("client_id");
        auto p = by_client.find(client_id);
        if (p == by_client.end()) {
            auto c = parties.clients.find(client_id);
            if (c == parties.clients.end()) continue;
            p = by_client.emplace(client_id, parties_of(parties.firm, c->second)).first;
        }
        auto m = invoice_issued(inv.invoice, p->second, created_by);
        if (!m) continue;
        out.links.push_back(new_link(*m, inv.invoice.str("id"), now, created_by));
        out.messages.push_back(outbox_row(*m, now));
    }
    return out;
}

void write_issued_mail(storage::Transaction& tx, IssuedMail& mail) {
    storage::BulkInsert links(tx, "invoice_links", invoice_link_columns());
    for (auto& l : mail.links) links.add(std::move(l));
    mail.links.clear();
    links.flush();
    insert_outbox_rows(tx, mail.messages);
}

std::optional<std::string> compose_credit_note(storage::Transaction& tx, const std::string& credit_note_id,
                                               std::int64_t now, const std::string& created_by) {
    if (already_queued(tx, "credit_note:" + credit_note_id)) return std::nullopt;
    auto cn = invoice(tx, credit_note_id);
    if (!cn) return std::nullopt;
    auto p = parties(tx, cn->str("firm_id"), cn->str("client_id"));
    if (!p) return std::nullopt;
    auto credited = invoice(tx, cn->str("credited_invoice_id"));
    const std::string cur = cn->str("currency");
    Outgoing m = base(*p, "credit_note", "credit_note:" + credit_note_id, false);
    if (m.recipients.empty()) return std::nullopt;
    m.invoice_id = credit_note_id;
    m.created_by = created_by;
    m.subject = subject(*p, "credit_note", {{"number", cn->str("number")}, {"amount", amount(cn->i64("total"), cur)}});
    Body b;
    b.lines = {p->firm.str("name") + " has issued credit note " + cn->str("number") + " for " +
                   amount(cn->i64("total"), cur) + " against invoice " + (credited ? credited->str("number") : "") +
                   ".",
               credited ? "Amount still due on " + credited->str("number") + ": " +
                              amount(credited->i64("balance_due"), cur) + "."
                        : std::string(),
               "The credit note is attached as a PDF."};
    render(m, *p, b);
    m.attachment_name = pdf_name(cn->str("number"));
    m.attachment_view = invoice_snapshot(*cn, *p);
    return enqueue(tx, m, now);
}

std::optional<std::string> compose_payment_receipt(storage::Transaction& tx, const std::string& payment_id,
                                                   std::int64_t now) {
    if (already_queued(tx, "payment_receipt:" + payment_id)) return std::nullopt;
    auto pay = tx.query_one("SELECT * FROM payments WHERE id = ?", {payment_id});
    if (!pay) return std::nullopt;
    auto inv = invoice(tx, pay->str("invoice_id"));
    auto p = parties(tx, pay->str("firm_id"), pay->str("client_id"));
    if (!p || !inv) return std::nullopt;
    const std::string cur = pay->str("currency");
    Outgoing m = base(*p, "payment_receipt", "payment_receipt:" + payment_id, false);
    if (m.recipients.empty()) return std::nullopt;
    m.invoice_id = inv->str("id");
    m.payment_id = payment_id;
    m.subject = subject(*p, "payment_receipt", {{"number", inv->str("number")}, {"amount", amount(pay->i64("amount"), cur)}});
    Body b;
    b.lines = {"Thank you: we received your payment of " + amount(pay->i64("amount"), cur) + " for invoice " +
                   inv->str("number") + " (payment " + payment_id + ", " + pay->str("method") + ").",
               "Amount still due on the invoice: " + amount(inv->i64("balance_due"), cur) + "."};
    if (pay->i64("to_credit") > 0)
        b.lines.push_back(amount(pay->i64("to_credit"), cur) + " went to your credit balance with " +
                          p->firm.str("name") + ".");
    render(m, *p, b);
    return enqueue(tx, m, now);
}

std::optional<std::string> compose_autopay_failed(storage::Transaction& tx, Zones& zones, const std::string& payment_id,
                                                  std::optional<std::int64_t> next_retry_at, std::int64_t now) {
    if (already_queued(tx, "autopay_failed:" + payment_id)) return std::nullopt;
    auto pay = tx.query_one("SELECT * FROM payments WHERE id = ?", {payment_id});
    if (!pay) return std::nullopt;
    auto inv = invoice(tx, pay->str("invoice_id"));
    auto p = parties(tx, pay->str("firm_id"), pay->str("client_id"));
    if (!p || !inv) return std::nullopt;
    const std::string cur = inv->str("currency");
    Outgoing m = base(*p, "autopay_failed", "autopay_failed:" + payment_id, false);
    if (m.recipients.empty()) return std::nullopt;
    m.invoice_id = inv->str("id");
    m.payment_id = payment_id;
    m.subject = subject(*p, "autopay_failed", {{"number", inv->str("number")},
                                               {"amount", amount(pay->i64("amount"), cur)},
                                               {"due_date", inv->str("due_date")}});
    Body b;
    b.lines = {"We tried to charge your card on file " + amount(pay->i64("amount"), cur) + " for invoice " +
               inv->str("number") + " and it was declined: " + pay->str("failure_message")};
    if (next_retry_at) {
        const auto day = zones.local_date(p->client.str("time_zone"), *next_retry_at);
        b.lines.push_back("We will try again on " + time::format_iso_date(day) + " (" + p->client.str("time_zone") +
                          "). Please update your card before then.");
    }
    b.link_text = "Update your card in the client portal";
    b.link_url = std::string(kBaseUrlMark) + "/";
    render(m, *p, b);
    return enqueue(tx, m, now);
}

std::optional<std::string> compose_final_notice(storage::Transaction& tx, const std::string& invoice_id,
                                                std::int64_t now) {
    if (already_queued(tx, "final_notice:" + invoice_id)) return std::nullopt;
    auto inv = invoice(tx, invoice_id);
    if (!inv) return std::nullopt;
    auto p = parties(tx, inv->str("firm_id"), inv->str("client_id"));
    if (!p) return std::nullopt;
    const std::string cur = inv->str("currency");
    Outgoing m = base(*p, "final_notice", "final_notice:" + invoice_id, false);
    if (m.recipients.empty()) return std::nullopt;
    m.invoice_id = invoice_id;
    m.subject = subject(*p, "final_notice", {{"number", inv->str("number")},
                                             {"amount", amount(inv->i64("balance_due"), cur)},
                                             {"due_date", inv->str("due_date")}});
    Body b;
    b.lines = {"Every attempt to charge your card for invoice " + inv->str("number") +
                   " was declined, and no more automatic attempts will be made.",
               "Amount due: " + amount(inv->i64("balance_due"), cur) + ", due " + due_text(*inv, *p) +
                   ". The invoice is now overdue."};
    b.link_text = "Pay the invoice online";
    b.link_url = link_url();
    render(m, *p, b);
    mint_link(tx, m, invoice_id, now, "system:email");
    return enqueue(tx, m, now);
}

std::optional<std::string> compose_reminder(storage::Transaction& tx, const std::string& invoice_id,
                                            std::int64_t offset_days, std::int64_t now) {
    if (already_queued(tx, fmt::format("reminder:{}:{}", invoice_id, offset_days))) return std::nullopt;
    auto inv = invoice(tx, invoice_id);
    if (!inv) return std::nullopt;
    auto p = parties(tx, inv->str("firm_id"), inv->str("client_id"));
    if (!p) return std::nullopt;
    const std::string cur = inv->str("currency");
    Outgoing m = base(*p, "reminder", fmt::format("reminder:{}:{}", invoice_id, offset_days), true);
    if (m.recipients.empty()) return std::nullopt;
    m.invoice_id = invoice_id;
    m.subject = subject(*p, "reminder", {{"number", inv->str("number")},
                                         {"amount", amount(inv->i64("balance_due"), cur)},
                                         {"due_date", inv->str("due_date")},
                                         {"days", std::to_string(offset_days < 0 ? -offset_days : offset_days)}});
    Body b;
    const std::string when = offset_days < 0   ? fmt::format("is due in {} days", -offset_days)
                             : offset_days == 0 ? std::string("is due today")
                                                : fmt::format("was due {} days ago", offset_days);
    b.lines = {"A reminder: invoice " + inv->str("number") + " from " + p->firm.str("name") + " " + when + ".",
               "Amount due: " + amount(inv->i64("balance_due"), cur) + ", due " + due_text(*inv, *p) + "."};
    b.link_text = "View and pay the invoice online";
    b.link_url = link_url();
    render(m, *p, b);
    mint_link(tx, m, invoice_id, now, "system:email");
    return enqueue(tx, m, now);
}

std::optional<std::string> compose_resend(storage::Transaction& tx, const std::string& firm_id,
                                          const std::string& message_id, std::int64_t now,
                                          const std::string& created_by) {
    auto orig = tx.query_one("SELECT * FROM email_messages WHERE id = ? AND firm_id = ?", {message_id, firm_id});
    if (!orig) return std::nullopt;
    auto p = parties(tx, firm_id, orig->str("client_id"));
    if (!p) return std::nullopt;
    if (orig->str("kind") == "invoice_issued" && !orig->is_null("invoice_id")) {
        // An invoice sent again says what is due now (after payments, credits or a void) and
        // attaches the PDF as it stands, to the client's current addresses.
        auto inv = invoice(tx, orig->str("invoice_id"));
        if (!inv) return std::nullopt;
        auto m = invoice_issued(*inv, *p, created_by);
        if (!m) return std::nullopt;
        m->event_key = "resend:" + message_id + ":" + new_id("rs");
        m->resend_of = message_id;
        mint_link(tx, *m, orig->str("invoice_id"), now, created_by);
        return enqueue(tx, *m, now);
    }
    // Other messages record an event (a receipt, a declined attempt, a notice): sent again as they were.
    Outgoing m;
    m.firm_id = firm_id;
    m.client_id = orig->str("client_id");
    m.kind = orig->str("kind");
    m.event_key = "resend:" + message_id + ":" + new_id("rs");
    m.invoice_id = orig->opt("invoice_id");
    m.payment_id = orig->opt("payment_id");
    m.reply_to = orig->opt("reply_to");
    m.resend_of = message_id;
    m.recipients = json::parse(orig->str("recipients")).get<std::vector<std::string>>();
    m.from_name = orig->str("from_name");
    m.subject = orig->str("subject");
    m.text_body = orig->str("text_body");
    m.html_body = orig->str("html_body");
    m.attachment_name = orig->opt("attachment_name");
    m.attachment_view = orig->opt("attachment_view");
    m.created_by = created_by;
    // The original's token may be gone (erased once sent): the resend gets its own link.
    if (!orig->is_null("link_id")) mint_link(tx, m, orig->str("invoice_id"), now, created_by);
    return enqueue(tx, m, now);
}

}  // namespace cp::server::email
