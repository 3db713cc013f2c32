// Client email end to end against a real SMTP server on loopback (tests/server/smtp_sink.py,
// python3-aiosmtpd): issue -> email -> signed link -> pay -> receipt, 4xx then accepted,
// 5xx failed, 24 h of temporary failures, no configuration, reminders on their local days
// across a DST change, contacts' opt-out, offboarding firms, subject settings, resend,
// autopay failure and final notice. The sender is driven by tick() with the manual clock.
#include <sodium.h>

#include <regex>
#include <set>

#include "server/email/message_composer.hpp"
#include "server/email/outbox.hpp"
#include "server/email/outbox_sender.hpp"
#include "server/payments/payment_service.hpp"
#include "server/payments/processor.hpp"
#include "shared/time/civil.hpp"
#include "tests/server/billing_support.hpp"
#include "tests/server/smtp_sink.hpp"

namespace cp::test {
namespace {

namespace email = server::email;

std::string unbase64(const std::string& text) {
    std::string out(text.size(), '\0');
    std::size_t len = 0;
    EXPECT_EQ(sodium_base642bin(reinterpret_cast<unsigned char*>(out.data()), out.size(), text.data(), text.size(),
                                nullptr, &len, nullptr, sodium_base64_VARIANT_ORIGINAL),
              0);
    out.resize(len);
    return out;
}

// The signed link's token in a message's text ("…/i/<64 hex>").
std::string token_in(const std::string& text) {
    std::smatch m;
    static const std::regex link("/i/([0-9a-f]{64})");
    return std::regex_search(text, m, link) ? m[1].str() : "";
}

class Email : public BillingTest {
protected:
    void TearDown() override {
        email::set_email_configured(false);
        BillingTest::TearDown();
    }

    std::unique_ptr<email::OutboxSender> sender(const std::string& url) {
        email::SmtpConfig c;
        c.url = url;
        c.from = "billing@consultantpro.test";
        c.timeout_seconds = 20;
        email::SenderOptions o;
        o.base_url = "http://portal.test";
        email::set_email_configured(true);
        return std::make_unique<email::OutboxSender>(db(), std::make_shared<email::SmtpTransport>(c), clock, o);
    }

    std::string issued(const std::string& price = "150.00") {
        auto id = draft(json::array({line("2", price)}));
        auto r = issue(id);
        EXPECT_EQ(r.status, 200) << r.raw.body;
        return id;
    }

    json messages(const std::string& query = "") {
        // A fresh session: tests move the clock past the fixture's tokens' 12 h.
        auto r = call("GET", "/api/v1/messages" + query, login(firm.owner_email));
        EXPECT_EQ(r.status, 200) << r.raw.body;
        return r.body["data"];
    }

    void sql(const std::string& statement, const storage::Params& params = {}) {
        storage::Transaction tx(db());
        tx.exec(statement, params);
        tx.commit();
    }
};

TEST_F(Email, IssueEmailLinkPayReceipt) {
    SmtpSink sink;
    auto out = sender(sink.url());
    const std::string id = issued();
    auto queued = messages("?invoice_id=" + id);
    ASSERT_EQ(queued.size(), 1u);
    EXPECT_EQ(queued[0]["kind"], "invoice_issued");
    EXPECT_EQ(queued[0]["status"], "queued");
    EXPECT_EQ(messages("?invoice=" + id).size(), 1u);  // the short filter name

    EXPECT_EQ(out->tick().sent, 1);
    auto got = sink.wait_for(1);
    ASSERT_EQ(got.size(), 1u);
    const json inv = call("GET", "/api/v1/invoices/" + id, firm.owner_token).body;
    const json& m = got[0];
    EXPECT_EQ(m["rcpt_tos"], json::array({"ap@client.test"}));
    EXPECT_NE(m["subject"].get<std::string>().find(inv["number"].get<std::string>()), std::string::npos) << m;
    EXPECT_NE(m["subject"].get<std::string>().find("300.00 USD"), std::string::npos) << m;
    EXPECT_NE(m["from"].get<std::string>().find("billing@consultantpro.test"), std::string::npos) << m;
    EXPECT_EQ(m["message_id"], messages("?invoice_id=" + id)[0]["message_id"]);
    EXPECT_NE(m["text"].get<std::string>().find("due " + inv["due_date"].get<std::string>()), std::string::npos);
    ASSERT_FALSE(m["html"].is_null());
    EXPECT_NE(m["html"].get<std::string>().find("http://portal.test/i/"), std::string::npos);

    // The link opens this invoice.
    const std::string token = token_in(m["text"]);
    ASSERT_EQ(token.size(), 64u) << m["text"];
    auto opened = call("GET", "/api/v1/public/invoices/" + token);
    ASSERT_EQ(opened.status, 200) << opened.raw.body;
    EXPECT_EQ(opened.body["invoice"]["id"], id);
    // The PDF is the invoice's: byte for byte what the API renders for it.
    ASSERT_EQ(m["attachments"].size(), 1u);
    EXPECT_EQ(m["attachments"][0]["type"], "application/pdf");
    auto pdf = call("GET", "/api/v1/invoices/" + id + "/pdf", firm.owner_token);
    EXPECT_EQ(unbase64(m["attachments"][0]["base64"]), pdf.raw.body);
    // Once sent, the token's clear copy is gone from the database; the API never shows it.
    {
        storage::Transaction tx(db(), storage::TxMode::read);
        auto row = tx.query_one("SELECT link_token, status FROM email_messages WHERE invoice_id = ?", {id});
        EXPECT_TRUE(row->is_null("link_token"));
        EXPECT_EQ(row->str("status"), "sent");
    }
    auto shown = call("GET", "/api/v1/messages/" + queued[0]["id"].get<std::string>(), firm.owner_token);
    EXPECT_EQ(shown.body["text"].get<std::string>().find(token), std::string::npos);
    EXPECT_EQ(shown.body["status"], "sent");

    // Paying from the link sends a receipt, once.
    auto paid = call("POST", "/api/v1/public/invoices/" + token + "/payments", "",
                     {{"payment_method", "pm_card_visa"}});
    ASSERT_EQ(paid.status, 201) << paid.raw.body;
    EXPECT_EQ(out->tick().sent, 1);
    got = sink.wait_for(2);
    ASSERT_EQ(got.size(), 2u);
    EXPECT_NE(got[1]["subject"].get<std::string>().find("Receipt: 300.00 USD"), std::string::npos) << got[1];
    EXPECT_NE(got[1]["text"].get<std::string>().find("Amount still due on the invoice: 0.00 USD"), std::string::npos);
    EXPECT_EQ(messages("?kind=payment_receipt&status=sent").size(), 1u);
    EXPECT_EQ(out->tick().sent, 0);
    EXPECT_EQ(sink.messages().size(), 2u);
}

TEST_F(Email, TemporaryRefusalIsRetriedOnceAndDeliveredOnce) {
    SmtpSink sink(1);
    auto out = sender(sink.url());
    const std::string id = issued();
    auto first = out->tick();
    EXPECT_EQ(first.retrying, 1);
    EXPECT_EQ(first.sent, 0);
    EXPECT_TRUE(sink.messages().empty());
    auto m = messages("?invoice_id=" + id)[0];
    EXPECT_EQ(m["status"], "queued");
    EXPECT_EQ(m["attempts"], 1);
    EXPECT_EQ(m["status_detail"].get<std::string>().rfind("retrying: 451", 0), 0u) << m;
    // Not before its backoff.
    EXPECT_EQ(out->tick().sent, 0);
    clock->advance(60);
    EXPECT_EQ(out->tick().sent, 1);
    clock->advance(3600);
    EXPECT_EQ(out->tick().sent, 0);
    auto got = sink.messages();
    ASSERT_EQ(got.size(), 1u);
    m = messages("?invoice_id=" + id)[0];
    EXPECT_EQ(m["status"], "sent");
    EXPECT_EQ(m["attempts"], 2);
    EXPECT_EQ(got[0]["message_id"], m["message_id"]);
}

TEST_F(Email, PermanentRefusalIsFailedAndShown) {
    SmtpSink sink(0, true);
    auto out = sender(sink.url());
    const std::string id = issued();
    EXPECT_EQ(out->tick().failed, 1);
    auto m = messages("?status=failed");
    ASSERT_EQ(m.size(), 1u);
    EXPECT_NE(m[0]["last_error"].get<std::string>().find("550"), std::string::npos) << m[0];
    clock->advance(86400);
    EXPECT_EQ(out->tick().sent + out->tick().retrying, 0);
}

TEST_F(Email, TemporaryFailuresAreRetriedFor24HoursThenFailed) {
    auto out = sender("smtp://127.0.0.1:1");  // nothing listens: connection refused
    const std::string id = issued();
    const std::int64_t created = clock->now();
    std::int64_t failed_at = 0;
    for (int i = 0; i < 200 && !failed_at; ++i) {
        if (out->tick().failed == 1) failed_at = clock->now();
        clock->advance(600);
    }
    ASSERT_GT(failed_at, 0);
    EXPECT_GE(failed_at - created, 86400);
    EXPECT_LT(failed_at - created, 86400 + 3600 + 600);
    auto m = messages("?invoice_id=" + id)[0];
    EXPECT_EQ(m["status"], "failed");
    EXPECT_EQ(m["last_error"].get<std::string>().rfind("gave up after 24 h", 0), 0u) << m;
    EXPECT_GT(m["attempts"].get<int>(), 20);
}

TEST_F(Email, WithoutSmtpMessagesWaitAndSaySo) {
    email::OutboxSender out(db(), nullptr, clock);
    const std::string id = issued();
    EXPECT_EQ(out.tick().sent, 0);
    auto m = messages("?invoice_id=" + id)[0];
    EXPECT_EQ(m["status"], "queued");
    EXPECT_EQ(m["status_detail"], "not sent: email not configured");
}

TEST_F(Email, RemindersFireOnceEachOnTheirLocalDayAcrossDst) {
    auto patched = call("PATCH", "/api/v1/clients/" + client, firm.owner_token,
                        {{"time_zone", "America/New_York"},
                         {"contacts",
                          {{{"name", "Ann"}, {"email", "ann@client.test"}},
                           {{"name", "Bob"}, {"email", "bob@client.test"}, {"reminders_opt_out", true}}}}});
    ASSERT_EQ(patched.status, 200) << patched.raw.body;
    const std::string id = issued();
    auto issued_to = messages("?invoice_id=" + id)[0]["to"];
    EXPECT_EQ(issued_to, json::array({"ap@client.test", "ann@client.test", "bob@client.test"}));
    // Due on 2026-11-04: "3 days before" falls on 2026-11-01, the day New York leaves DST.
    sql("UPDATE invoices SET due_date = '2026-11-04' WHERE id = ?", {id});
    email::OutboxSender out(db(), nullptr, clock);
    clock->set(1'793'145'600);  // 2026-10-29T00:00:00Z
    server::Zones zones;
    while (clock->now() < 1'795'132'800) {  // 2026-11-21T00:00:00Z
        out.tick();
        clock->advance(3600);
    }
    storage::Transaction tx(db(), storage::TxMode::read);
    auto rows = tx.query("SELECT * FROM email_messages WHERE kind = 'reminder' ORDER BY created_at");
    ASSERT_EQ(rows.size(), 4u);
    const char* days[] = {"2026-11-01", "2026-11-04", "2026-11-11", "2026-11-18"};
    for (std::size_t i = 0; i < rows.size(); ++i) {
        const std::int64_t at = rows[i].i64("created_at");
        EXPECT_EQ(time::format_iso_date(zones.local_date("America/New_York", at)), days[i]) << i;
        // The first hourly pass of that local day: an hour earlier was the day before.
        EXPECT_NE(time::format_iso_date(zones.local_date("America/New_York", at - 3600)), days[i]) << i;
        EXPECT_EQ(json::parse(rows[i].str("recipients")), json::array({"ap@client.test", "ann@client.test"}));
    }
    EXPECT_NE(rows[0].str("subject").find("Reminder"), std::string::npos);
    // One link per message (the issue's and four reminders'): passes that found a reminder
    // already queued minted nothing.
    EXPECT_EQ(tx.query_one("SELECT COUNT(*) AS n FROM invoice_links WHERE invoice_id = ?", {id})->i64("n"), 5);
}

TEST_F(Email, NothingForAFirmInOffboarding) {
    SmtpSink sink;
    auto out = sender(sink.url());
    const std::string id = issued();
    const std::string other = issued("90.00");
    sql("UPDATE invoices SET due_date = ? WHERE id = ?", {time::format_iso_date(time::civil_from_days(clock->now() / 86400)), other});
    sql("UPDATE firms SET status = 'canceled' WHERE id = ?", {firm.id});
    auto r = out->tick();
    EXPECT_EQ(r.suppressed, 2);
    EXPECT_EQ(r.sent, 0);
    EXPECT_EQ(r.reminders_queued, 0);
    EXPECT_TRUE(sink.messages().empty());
    storage::Transaction tx(db());
    EXPECT_FALSE(email::compose_final_notice(tx, id, clock->now()));
    auto rows = tx.query("SELECT status, last_error FROM email_messages WHERE firm_id = ?", {firm.id});
    ASSERT_EQ(rows.size(), 2u);
    for (const auto& row : rows) {
        EXPECT_EQ(row.str("status"), "suppressed");
        EXPECT_EQ(row.str("last_error"), "not sent: the firm is canceled");
    }
}

TEST_F(Email, SubjectsAreValidatedPreviewedAndUsed) {
    auto bad = call("PATCH", "/api/v1/firm/settings", firm.owner_token,
                    {{"settings", {{"email", {{"subjects", {{"invoice_issued", "Bill {nope}"}}}, {"reminder_days", {1, 1}}}}}}});
    ASSERT_EQ(bad.status, 422) << bad.raw.body;
    std::set<std::string> codes;
    for (const auto& e : bad.body["errors"]) codes.insert(e["code"].get<std::string>() + " " + e["field"].get<std::string>());
    EXPECT_TRUE(codes.count("INVALID_TEMPLATE settings.email.subjects.invoice_issued")) << bad.raw.body;
    EXPECT_TRUE(codes.count("DUPLICATE settings.email.reminder_days[1]")) << bad.raw.body;

    auto preview = call("POST", "/api/v1/firm/settings/email/preview", firm.owner_token,
                        {{"settings", {{"subjects", {{"invoice_issued", "Invoice {number} by {firm}"}}}}}});
    ASSERT_EQ(preview.status, 200) << preview.raw.body;
    const std::string firm_name = call("GET", "/api/v1/firm", firm.owner_token).body["name"];
    EXPECT_EQ(preview.body["subjects"]["invoice_issued"], "Invoice INV-2026-0042 by " + firm_name);
    EXPECT_EQ(call("POST", "/api/v1/firm/settings/email/preview", firm.owner_token,
                   {{"settings", {{"subjects", {{"reminder", "{"}}}}}})
                  .status,
              422);

    auto ok = call("PATCH", "/api/v1/firm/settings", firm.owner_token,
                   {{"settings", {{"email", {{"subjects", {{"invoice_issued", "Invoice {number} by {firm}"}}},
                                             {"reply_to", "accounts@acme.test"}}}}}});
    ASSERT_EQ(ok.status, 200) << ok.raw.body;
    SmtpSink sink;
    auto out = sender(sink.url());
    const std::string id = issued();
    out->tick();
    auto got = sink.wait_for(1);
    ASSERT_EQ(got.size(), 1u);
    const json inv = call("GET", "/api/v1/invoices/" + id, firm.owner_token).body;
    EXPECT_EQ(got[0]["subject"], "Invoice " + inv["number"].get<std::string>() + " by " + firm_name);
    EXPECT_EQ(got[0]["reply_to"], "accounts@acme.test");
}

TEST_F(Email, ResendIsANewMessageWithItsOwnLink) {
    SmtpSink sink;
    auto out = sender(sink.url());
    const std::string id = issued();
    out->tick();
    const json original = messages("?invoice_id=" + id)[0];
    auto again = call("POST", "/api/v1/messages/" + original["id"].get<std::string>() + "/resend", billing,
                      json::object());
    ASSERT_EQ(again.status, 201) << again.raw.body;
    EXPECT_EQ(again.body["resend_of"], original["id"]);
    EXPECT_NE(again.body["message_id"], original["message_id"]);
    EXPECT_NE(again.body["link_id"], original["link_id"]);
    out->tick();
    auto got = sink.wait_for(2);
    ASSERT_EQ(got.size(), 2u);
    const std::string t1 = token_in(got[0]["text"]), t2 = token_in(got[1]["text"]);
    EXPECT_NE(t1, t2);
    EXPECT_EQ(call("GET", "/api/v1/public/invoices/" + t1).status, 200);
    EXPECT_EQ(call("GET", "/api/v1/public/invoices/" + t2).status, 200);
    EXPECT_EQ(got[1]["attachments"].size(), 1u);
    // No reply-to set: a client's reply goes to the firm's owner, not to the sending address.
    EXPECT_EQ(got[0]["reply_to"], firm.owner_email);
    EXPECT_EQ(call("POST", "/api/v1/messages/zz_missing/resend", billing, json::object()).status, 404);
}

// An invoice sent again after a part payment says what is due now, and its PDF shows it (a copy of the
// first message would still ask for the whole amount).
TEST_F(Email, ResendOfAnInvoiceSaysWhatIsDueNow) {
    SmtpSink sink;
    auto out = sender(sink.url());
    const std::string id = issued();  // 300.00
    out->tick();
    const json original = messages("?invoice_id=" + id + "&kind=invoice_issued")[0];
    auto paid = call("POST", "/api/v1/invoices/" + id + "/payments", firm.owner_token,
                     {{"amount", "120.00"}, {"method", "bank_transfer"}});
    ASSERT_EQ(paid.status, 201) << paid.raw.body;
    auto again = call("POST", "/api/v1/messages/" + original["id"].get<std::string>() + "/resend", billing,
                      json::object());
    ASSERT_EQ(again.status, 201) << again.raw.body;
    EXPECT_EQ(again.body["resend_of"], original["id"]);
    out->tick();
    auto got = sink.wait_for(3);  // the invoice, the payment's receipt, the invoice again
    ASSERT_EQ(got.size(), 3u);
    int invoices = 0;
    for (const auto& mail : got) {
        const std::string text = mail["text"];
        if (text.find("has sent you invoice") == std::string::npos) continue;
        ++invoices;
        if (invoices == 2) {
            EXPECT_NE(text.find("Amount due: 180.00 USD"), std::string::npos) << text;
            EXPECT_EQ(text.find("Amount due: 300.00 USD"), std::string::npos) << text;
        }
    }
    EXPECT_EQ(invoices, 2);
}

TEST_F(Email, AutopayDeclineTellsTheNextRetryThenTheFinalNotice) {
    auto patched = call("PATCH", "/api/v1/clients/" + client, firm.owner_token,
                        {{"payment_method_ref", "pm_card_chargeDeclined"}, {"autopay_enabled", true}});
    ASSERT_EQ(patched.status, 200) << patched.raw.body;
    const std::string id = issued();
    const std::string due = call("GET", "/api/v1/invoices/" + id, firm.owner_token).body["due_date"];
    server::payments::SandboxProcessor sandbox;
    server::Zones zones;
    auto run = [&] {
        server::payments::RunOptions o;
        o.now = clock->now();
        o.actor.actor_type = "system";
        o.actor.actor_id = "test:autopay";
        return server::payments::run_autopay(db(), zones, sandbox, o);
    };
    const auto due_day = *time::parse_iso_date(due);
    clock->set(time::days_from_civil(due_day) * 86400 + 14 * 3600);
    EXPECT_EQ(run().failed, 1);
    auto failed = messages("?kind=autopay_failed");
    ASSERT_EQ(failed.size(), 1u);
    auto shown = call("GET", "/api/v1/messages/" + failed[0]["id"].get<std::string>(), login(firm.owner_email));
    EXPECT_NE(shown.body["text"].get<std::string>().find("We will try again on " +
                                                         time::format_iso_date(time::add_days(due_day, 3))),
              std::string::npos)
        << shown.body["text"];
    for (int day : {3, 7, 14}) {
        clock->set(time::days_from_civil(time::add_days(due_day, day)) * 86400 + 15 * 3600);
        EXPECT_EQ(run().failed, 1) << day;
    }
    EXPECT_EQ(messages("?kind=autopay_failed").size(), 3u);
    auto final_notice = messages("?kind=final_notice");
    ASSERT_EQ(final_notice.size(), 1u);
    EXPECT_FALSE(final_notice[0]["link_id"].is_null());
}

TEST_F(Email, PackageRunInvoicesAreEmailedWithTheirPdf) {
    auto e = call("POST", "/api/v1/engagements", firm.owner_token,
                  {{"client_id", client},
                   {"name", "Retainer"},
                   {"pricing_mode", "package"},
                   {"package_fee", "3100.00"},
                   {"start_date", "2026-09-01"},
                   {"end_date", "2026-12-31"}});
    ASSERT_EQ(e.status, 201) << e.raw.body;
    auto run = call("POST", "/api/v1/billing/package-run", firm.owner_token, json::object());
    ASSERT_EQ(run.status, 200) << run.raw.body;
    ASSERT_EQ(run.body["invoices"].size(), 1u) << run.raw.body;
    const std::string id = run.body["invoices"][0];
    // Paid before the email goes out: the PDF still shows the invoice as issued.
    const auto pdf_at_issue = call("GET", "/api/v1/invoices/" + id + "/pdf", firm.owner_token).raw.body;
    auto paid = call("POST", "/api/v1/invoices/" + id + "/payments", firm.owner_token,
                     {{"amount", "3100.00"}, {"method", "bank_transfer"}});
    ASSERT_EQ(paid.status, 201) << paid.raw.body;
    SmtpSink sink;
    auto out = sender(sink.url());
    EXPECT_EQ(out->tick().sent, 2);  // the invoice and its receipt
    auto got = sink.wait_for(2);
    ASSERT_EQ(got.size(), 2u);
    ASSERT_EQ(got[0]["attachments"].size(), 1u);
    EXPECT_EQ(unbase64(got[0]["attachments"][0]["base64"]), pdf_at_issue);
    EXPECT_NE(call("GET", "/api/v1/invoices/" + id + "/pdf", firm.owner_token).raw.body, pdf_at_issue);  // now PAID
    EXPECT_EQ(call("GET", "/api/v1/public/invoices/" + token_in(got[0]["text"])).body["invoice"]["id"], id);
}

}  // namespace
}  // namespace cp::test
