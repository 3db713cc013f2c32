// Server tests for the survivors of the `scripts/mutate --max 200 --seed 1` run of issue 17
// (second round, server/ half): each names the rule, the file it guards and the single-point
// change it catches.
#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <map>
#include <mutex>
#include <set>
#include <thread>

#include "server/app/error_tracker.hpp"
#include "server/app/sentry_sink.hpp"
#include "server/audit/audit_log.hpp"
#include "server/exit/firm_exit.hpp"
#include "server/storage/coordination.hpp"
#include "server/http/transport.hpp"
#include "server/util/crypto.hpp"
#include "tests/server/billing_support.hpp"
#include "tests/server/crm_support.hpp"

namespace cp::test {
namespace {

class MutationSample2 : public BillingTest {
protected:
    void SetUp() override {
        export_dir = (std::filesystem::temp_directory_path() / ("cp-ms2-" + server::new_id("t"))).string();
        config.export_dir = export_dir;
        BillingTest::SetUp();
    }
    void TearDown() override {
        std::filesystem::remove_all(export_dir);
        BillingTest::TearDown();
    }
    std::string issued(const std::string& amount) {
        const std::string id = draft({line("1", amount)});
        EXPECT_EQ(issue(id).status, 200);
        return id;
    }
    // The firm's audit events with this action, oldest first.
    json audit_of(const std::string& action) {
        auto r = call("GET", "/api/v1/audit?limit=200&action=" + action, firm.owner_token);
        EXPECT_EQ(r.status, 200) << r.raw.body;
        json out = r.body["data"];
        std::sort(out.begin(), out.end(), [](const json& a, const json& b) { return a["seq"] < b["seq"]; });
        return out;
    }
    std::string export_dir;
};

// firm_exit.cpp (download_firm_export): another firm's export id is 404, never its bytes
// (catches the `firm_id = ?` conjunct of the download's lookup dropped).
TEST_F(MutationSample2, AnotherFirmsExportDownloadIsNotFound) {
    auto requested = call("POST", "/api/v1/firm/exports", firm.owner_token, json::object());
    ASSERT_EQ(requested.status, 202) << requested.raw.body;
    const std::string id = requested.body["id"];
    ASSERT_EQ(server::exit::run_pending_exports(db(), export_dir, clock->now()), 1);
    ASSERT_EQ(call("GET", "/api/v1/firm/exports/" + id + "/download", firm.owner_token).status, 200);
    const Firm other = make_firm("other");
    auto theirs = call("GET", "/api/v1/firm/exports/" + id + "/download", other.owner_token);
    EXPECT_EQ(theirs.status, 404) << theirs.raw.content_type;
    EXPECT_EQ(theirs.raw.content_type.find("gzip"), std::string::npos);
    EXPECT_EQ(call("GET", "/api/v1/firm/exports/" + id, other.owner_token).status, 404);
}

// firm_exit.cpp (start_offboarding): the offboarding's audit event names the export it
// requested and the retention and purge dates it set (catches the metadata statement removed).
TEST_F(MutationSample2, OffboardingAuditNamesExportAndDates) {
    auto started = call("POST", "/api/v1/firm/offboarding", firm.owner_token,
                        {{"reason", "closing the practice"}, {"confirm_slug", firm.slug}});
    ASSERT_EQ(started.status, 202) << started.raw.body;
    auto events = audit_of("firm.offboarding.start");
    ASSERT_EQ(events.size(), 1u);
    const json& m = events[0]["metadata"];
    EXPECT_EQ(m.value("export_id", json()), started.body["export_id"]) << events[0].dump();
    EXPECT_EQ(m.value("retention_until", json()), started.body["retention_until"]);
    EXPECT_EQ(m.value("purge_after", json()), started.body["purge_after"]);
    EXPECT_TRUE(started.body["export_id"].is_string());
    EXPECT_EQ(events[0]["reason"], "closing the practice");
}

// firms.cpp (list_settings_snapshots): each snapshot is a "settings_snapshot" object that
// carries the configuration it captured (catches either field dropped from the item).
TEST_F(MutationSample2, SettingsSnapshotsCarryTheirObjectAndConfiguration) {
    auto changed = call("PATCH", "/api/v1/firm/settings", firm.owner_token,
                        {{"settings", {{"payment_terms_days", 45}}}, {"reason", "longer terms"}});
    ASSERT_EQ(changed.status, 200) << changed.raw.body;
    auto snaps = call("GET", "/api/v1/firm/settings/snapshots", firm.owner_token);
    ASSERT_EQ(snaps.status, 200) << snaps.raw.body;
    ASSERT_EQ(snaps.body["data"].size(), 1u) << snaps.raw.body;
    const json& s = snaps.body["data"][0];
    EXPECT_EQ(s["id"], changed.body["snapshot_id"]);
    EXPECT_EQ(s.value("object", ""), "settings_snapshot") << s.dump();
    ASSERT_TRUE(s.contains("configuration")) << s.dump();
    EXPECT_EQ(s["configuration"]["settings"]["payment_terms_days"], 30);  // captured before the change
    EXPECT_EQ(s["configuration"]["name"], "Firm acme");
    EXPECT_EQ(s["reason"], "longer terms");
}

// hourly_invoice.cpp: the hourly invoice's totals are rounded with the firm's rounding mode:
// 0.50 h at 10.01 is 5.005, half_even 5.00 (catches `rounding` dropped from the core's input,
// which rounds half_up to 5.01).
TEST_F(MutationSample2, HourlyInvoiceRoundsWithTheFirmsMode) {
    ASSERT_EQ(call("PATCH", "/api/v1/firm/settings", firm.owner_token, {{"settings", {{"rounding", "half_even"}}}})
                  .status,
              200);
    engagement = make_hourly_engagement(client, "2026-01-01", "10.01");
    const std::string entry = log_time(staff, "0.50", "2026-09-01");
    ASSERT_EQ(approve("time-entries", entry, billing).status, 200);
    auto gen = call("POST", "/api/v1/engagements/" + engagement + "/hourly-invoice", billing,
                    {{"period_start", "2026-09-01"}, {"period_end", "2026-09-30"}});
    ASSERT_EQ(gen.status, 201) << gen.raw.body;
    EXPECT_EQ(gen.body["rounding"], "half_even");
    EXPECT_EQ(gen.body["total"], "5.00") << gen.raw.body;
    EXPECT_EQ(gen.body["lines"][0]["amount"], "5.00") << gen.raw.body;
    auto again = call("GET", "/api/v1/invoices/" + gen.body["id"].get<std::string>(), billing);
    EXPECT_EQ(again.body["total"], "5.00");
}

// invoice_drafts.cpp (update_invoice): editing one draft leaves the firm's other drafts as
// they were (catches the `id = ?` conjunct of the draft's UPDATE dropped).
TEST_F(MutationSample2, EditingADraftLeavesOtherDraftsAlone) {
    const std::string a = draft({line("1", "10.00")});
    const std::string b = draft({line("1", "20.00")});
    const std::string b_before = call("GET", "/api/v1/invoices/" + b, billing).raw.body;
    auto edited = call("PATCH", "/api/v1/invoices/" + a, firm.owner_token,
                       {{"lines", {line("3", "10.00")}}, {"notes", "three of them"}});
    ASSERT_EQ(edited.status, 200) << edited.raw.body;
    EXPECT_EQ(edited.body["total"], "30.00");
    auto other = call("GET", "/api/v1/invoices/" + b, billing);
    EXPECT_EQ(other.body["total"], "20.00") << other.raw.body;
    EXPECT_EQ(other.body["balance_due"], "20.00");
    EXPECT_TRUE(other.body["notes"].is_null()) << other.raw.body;
    EXPECT_EQ(other.raw.body, b_before);
}

// invoice_lifecycle.cpp (credit note on a paid amount): the client credit it creates names
// the credited invoice (catches `back.invoice_id` left unset).
TEST_F(MutationSample2, CreditBackFromACreditNoteNamesTheInvoice) {
    const std::string id = issued("50.00");
    ASSERT_EQ(call("POST", "/api/v1/invoices/" + id + "/payments", billing, {{"amount", "50.00"}, {"method", "cash"}})
                  .status,
              201);
    auto note = call("POST", "/api/v1/invoices/" + id + "/credit-notes", firm.owner_token,
                     {{"reason", "Returned goods"}, {"lines", {line("1", "10.00")}}});
    ASSERT_EQ(note.status, 201) << note.raw.body;
    auto credits = call("GET", "/api/v1/clients/" + client + "/credits", firm.owner_token);
    ASSERT_EQ(credits.status, 200) << credits.raw.body;
    int found = 0;
    for (const auto& e : credits.body["data"]) {
        if (e["kind"] != "overpayment") continue;
        ++found;
        EXPECT_EQ(e["amount"], "10.00");
        EXPECT_EQ(e["invoice_id"], id) << e.dump();
    }
    EXPECT_EQ(found, 1) << credits.raw.body;
}

// invoice_links.cpp (open_link): each view through a link is audited with what was opened
// ("invoice", "pdf", "payments") (catches `what` dropped from the metadata).
TEST_F(MutationSample2, LinkViewsAuditWhatWasOpened) {
    const std::string inv = issued("30.00");
    auto created = call("POST", "/api/v1/invoices/" + inv + "/links", billing, json::object());
    ASSERT_EQ(created.status, 201) << created.raw.body;
    const std::string token = created.body["url"].get<std::string>().substr(3);
    ASSERT_EQ(call("GET", "/api/v1/public/invoices/" + token).status, 200);
    ASSERT_EQ(call("GET", "/api/v1/public/invoices/" + token + "/pdf").status, 200);
    ASSERT_EQ(call("GET", "/api/v1/public/invoices/" + token + "/payments").status, 200);
    std::vector<std::string> whats;
    for (const auto& e : audit_of("invoice_link.view")) {
        if (e["metadata"].value("link_id", "") != created.body["id"]) continue;
        whats.push_back(e["metadata"].value("what", "<none>"));
    }
    EXPECT_EQ(whats, (std::vector<std::string>{"invoice", "pdf", "payments"}));
}

// invoice_links.cpp (revoke_invoice_link): revoking a link is audited as
// invoice_link.revoke (WARNING) on the invoice, naming the link (catches the audit removed).
TEST_F(MutationSample2, RevokingALinkIsAudited) {
    const std::string inv = issued("30.00");
    auto created = call("POST", "/api/v1/invoices/" + inv + "/links", billing, json::object());
    ASSERT_EQ(created.status, 201) << created.raw.body;
    const std::string link = created.body["id"];
    EXPECT_TRUE(audit_of("invoice_link.revoke").empty());
    ASSERT_EQ(call("POST", "/api/v1/invoice-links/" + link + "/revoke", billing, json::object()).status, 200);
    auto events = audit_of("invoice_link.revoke");
    ASSERT_EQ(events.size(), 1u);
    EXPECT_EQ(events[0]["severity"], "WARNING");
    EXPECT_EQ(events[0]["target"]["id"], inv);
    EXPECT_EQ(events[0]["metadata"]["link_id"], link);
}

// auth.cpp (token_body): a login answers when its token expires, session_ttl after now, for
// members and portal users alike (catches the `expires_at` field removed).
TEST_F(MutationSample2, LoginAnswersWhenTheTokenExpires) {
    make_portal_user(firm, client, "ap@globex.test");
    const std::string expected = server::iso_time(clock->now() + config.session_ttl_seconds);
    for (const char* email : {"staff@acme.test", "ap@globex.test"}) {
        auto r = call("POST", "/api/v1/auth/login", "", {{"email", email}, {"password", kPassword}});
        ASSERT_EQ(r.status, 200) << r.raw.body;
        EXPECT_FALSE(r.body.value("token", "").empty());
        EXPECT_EQ(r.body.value("expires_at", json()), expected) << email << " " << r.raw.body;
    }
}

// auth.cpp (login_portal): a portal user of a suspended firm cannot sign in: 403
// FIRM_CONTEXT_REQUIRED (catches `!f || !firm_usable(...)` turned into `&&`).
TEST_F(MutationSample2, PortalLoginOfASuspendedFirmIsRefused) {
    make_portal_user(firm, client, "ap@globex.test");
    auto op = make_operator("op@platform.test");
    ASSERT_EQ(call("POST", "/api/v1/operator/firms/" + firm.id + "/status", op,
                   {{"status", "suspended"}, {"reason", "unpaid"}})
                  .status,
              200);
    auto r = call("POST", "/api/v1/auth/login", "", {{"email", "ap@globex.test"}, {"password", kPassword}});
    EXPECT_EQ(r.status, 403) << r.raw.body;
    EXPECT_EQ(r.body["error"]["code"], "FIRM_CONTEXT_REQUIRED");
    EXPECT_FALSE(r.body.contains("token"));
}

// card_charge.cpp (not_payable): a draft and a credit note take no payment: 409 NOT_PAYABLE
// on `status` (catches the first `||` of the status check turned into `&&`, which lets a
// draft with an amount due be paid and refuses a credit note on `amount` instead).
TEST_F(MutationSample2, DraftsAndCreditNotesTakeNoPayment) {
    const std::string d = draft({line("1", "40.00")});
    ASSERT_EQ(call("GET", "/api/v1/invoices/" + d, billing).body["balance_due"], "40.00");
    auto on_draft = call("POST", "/api/v1/invoices/" + d + "/payments", billing, {{"amount", "10.00"}, {"method", "cash"}});
    EXPECT_EQ(on_draft.status, 409) << on_draft.raw.body;
    EXPECT_EQ(on_draft.body["error"]["code"], "NOT_PAYABLE");
    EXPECT_EQ(on_draft.body["error"]["field"], "status");
    EXPECT_EQ(call("GET", "/api/v1/invoices/" + d, billing).body["amount_paid"], "0.00");
    const std::string inv = issued("50.00");
    auto note = call("POST", "/api/v1/invoices/" + inv + "/credit-notes", billing,
                     {{"reason", "goodwill"}, {"lines", {line("1", "10.00")}}});
    ASSERT_EQ(note.status, 201) << note.raw.body;
    auto on_note = call("POST", "/api/v1/invoices/" + note.body["id"].get<std::string>() + "/payments", billing,
                        {{"amount", "10.00"}, {"method", "cash"}});
    EXPECT_EQ(on_note.status, 409) << on_note.raw.body;
    EXPECT_EQ(on_note.body["error"]["code"], "NOT_PAYABLE");
    EXPECT_EQ(on_note.body["error"]["field"], "status");
}

// break_glass.cpp (load): a session past its expiry that is read (here by the operator, its
// token unused) is closed and audited as a CRITICAL break_glass.expire on the session
// (catches the event's severity left at INFO).
TEST_F(MutationSample2, BreakGlassExpiryOnReadIsAuditedAsCritical) {
    auto op = make_operator("op@platform.test");
    auto s = call("POST", "/api/v1/operator/break-glass", op,
                  {{"firm_id", firm.id}, {"reason", "ticket 42"}, {"duration_minutes", 5}});
    ASSERT_EQ(s.status, 201) << s.raw.body;
    clock->advance(5 * 60);
    auto read = call("GET", "/api/v1/operator/break-glass/" + s.body["id"].get<std::string>(), op);
    ASSERT_EQ(read.status, 200) << read.raw.body;
    EXPECT_EQ(read.body["status"], "expired");
    auto events = audit_of("break_glass.expire");
    ASSERT_EQ(events.size(), 1u);
    EXPECT_EQ(events[0]["severity"], "CRITICAL");
    EXPECT_EQ(events[0]["category"], "BREAK_GLASS");
    EXPECT_EQ(events[0]["target"]["id"], s.body["id"]);
}

// break_glass.cpp (open_break_glass): the open event is labelled with the firm's slug and
// carries the reason and expiry (catches the target label removed).
TEST_F(MutationSample2, BreakGlassOpenIsLabelledWithTheFirmsSlug) {
    auto op = make_operator("op@platform.test");
    auto s = call("POST", "/api/v1/operator/break-glass", op, {{"firm_id", firm.id}, {"reason", "ticket 42"}});
    ASSERT_EQ(s.status, 201) << s.raw.body;
    auto events = audit_of("break_glass.open");
    ASSERT_EQ(events.size(), 1u);
    EXPECT_EQ(events[0]["target"]["label"], "acme") << events[0].dump();
    EXPECT_EQ(events[0]["target"]["id"], s.body["id"]);
    EXPECT_EQ(events[0]["reason"], "ticket 42");
    EXPECT_EQ(events[0]["metadata"]["expires_at"], s.body["expires_at"]);
}

// card_charge.cpp (charge_card): an API card payment sent with an Idempotency-Key reaches the
// processor under `cp_req_<hash of firm, member, invoice, key>` (docs/decisions/billing-payments.md),
// so a retried request is one charge; without one, under `cp_pay_<payment id>` (catches the
// derived key's statement removed). The key is on the payment.create audit event.
TEST_F(MutationSample2, CardPaymentsWithAnIdempotencyKeyUseTheDerivedProcessorKey) {
    const std::string inv = issued("50.00");
    const std::string member = call("GET", "/api/v1/auth/me", billing).body["membership"]["id"];
    auto keyed = call("POST", "/api/v1/invoices/" + inv + "/payments", billing,
                      {{"amount", "20.00"}, {"method", "card"}, {"payment_method", "pm_card_visa"}},
                      {{"idempotency-key", "retry-7"}});
    ASSERT_EQ(keyed.status, 201) << keyed.raw.body;
    auto plain = call("POST", "/api/v1/invoices/" + inv + "/payments", billing,
                      {{"amount", "10.00"}, {"method", "card"}, {"payment_method", "pm_card_visa"}});
    ASSERT_EQ(plain.status, 201) << plain.raw.body;
    std::map<std::string, std::string> key_of;
    for (const auto& e : audit_of("payment.create"))
        key_of[e["target"]["id"]] = e["metadata"].value("idempotency_key", "");
    const std::string derived =
        "cp_req_" + server::sha256_hex(firm.id + "\n" + member + "\n" + inv + "\nretry-7").substr(0, 40);
    EXPECT_EQ(key_of[keyed.body["id"]], derived);
    EXPECT_EQ(key_of[plain.body["id"]], "cp_pay_" + plain.body["id"].get<std::string>());
}

// clients.cpp (update_client): renaming a client to another client's company name is 409
// DUPLICATE_NAME on company_name, and the client keeps its name; keeping its own name is
// fine (catches the "name changed" test inverted).
TEST_F(MutationSample2, RenamingAClientToAnotherClientsNameIsADuplicate) {
    const std::string other = make_client(firm, "Initech");
    auto clash = call("PATCH", "/api/v1/clients/" + other, firm.owner_token, {{"company_name", "Globex"}});
    EXPECT_EQ(clash.status, 409) << clash.raw.body;
    EXPECT_EQ(clash.body["error"]["code"], "DUPLICATE_NAME");
    EXPECT_EQ(clash.body["error"]["field"], "company_name");
    EXPECT_EQ(call("GET", "/api/v1/clients/" + other, firm.owner_token).body["company_name"], "Initech");
    auto same = call("PATCH", "/api/v1/clients/" + other, firm.owner_token,
                     {{"company_name", "Initech"}, {"billing_email", "ap@initech.test"}});
    EXPECT_EQ(same.status, 200) << same.raw.body;
    EXPECT_EQ(same.body["billing_email"], "ap@initech.test");
}

// common.cpp (too_many_attempts): under a minute the 429's message counts seconds in the
// right number: "30 seconds", "1 second" (catches the `wait_seconds == 1` test inverted).
TEST_F(MutationSample2, ThrottleMessageCountsSecondsInTheRightNumber) {
    remote_address = "203.0.113.66";
    for (int i = 0; i < config.throttle.per_account_address; ++i) {
        EXPECT_EQ(call("POST", "/api/v1/auth/login", "", {{"email", "staff@acme.test"}, {"password", "wrong"}}).status,
                  401);
    }
    auto blocked_after = [&](std::int64_t advance, const std::string& wait, const std::string& words) {
        clock->advance(advance);
        auto r = call("POST", "/api/v1/auth/login", "", {{"email", "staff@acme.test"}, {"password", kPassword}});
        EXPECT_EQ(r.status, 429) << r.raw.body;
        EXPECT_EQ(r.header("Retry-After"), wait);
        EXPECT_EQ(r.body["error"]["message"], "Too many attempts. Try again in " + words + ".") << r.raw.body;
    };
    blocked_after(config.throttle.window_seconds - 30, "30", "30 seconds");
    blocked_after(29, "1", "1 second");
}

// entry_links.cpp (check_linked_lines): lines of an hourly draft sent back as they were (with
// their entry links) are accepted, and the entries stay on the draft (catches the
// `!line.contains(key)` test of `scaled` negated, which reads every quantity as missing and
// answers LINE_MISMATCH).
TEST_F(MutationSample2, HourlyDraftLinesSentBackUnchangedAreAccepted) {
    const std::string entry = log_time(staff, "1.50", "2026-09-01");
    ASSERT_EQ(approve("time-entries", entry, billing).status, 200);
    auto ex = call("POST", "/api/v1/expenses", staff,
                   {{"engagement_id", engagement}, {"date", "2026-09-02"}, {"amount", "40.00"}, {"description", "Taxi"}});
    ASSERT_EQ(ex.status, 201) << ex.raw.body;
    ASSERT_EQ(approve("expenses", ex.body["id"].get<std::string>(), billing).status, 200);
    auto gen = call("POST", "/api/v1/engagements/" + engagement + "/hourly-invoice", billing,
                    {{"period_start", "2026-09-01"}, {"period_end", "2026-09-30"}});
    ASSERT_EQ(gen.status, 201) << gen.raw.body;
    ASSERT_EQ(gen.body["lines"].size(), 2u);
    EXPECT_EQ(gen.body["total"], "265.00");
    json lines = gen.body["lines"];
    for (auto& l : lines) l.erase("amount");
    lines.push_back(line("1", "10.00"));
    const std::string id = gen.body["id"];
    auto patched = call("PATCH", "/api/v1/invoices/" + id, billing, {{"lines", lines}});
    ASSERT_EQ(patched.status, 200) << patched.raw.body;
    EXPECT_EQ(patched.body["total"], "275.00");
    EXPECT_EQ(patched.body["lines"][0]["time_entry_id"], entry);
    EXPECT_EQ(patched.body["lines"][1]["expense_id"], ex.body["id"]);
    EXPECT_EQ(call("GET", "/api/v1/time-entries/" + entry, billing).body["invoice_id"], id);
}

// entry_links.cpp (relink_entries): a PATCH of a draft's lines links only the entries its
// lines name; the firm's other entries stay unbilled (catches the `id = ?` conjunct of the
// relink dropped, which hands every entry of the firm to the draft).
TEST_F(MutationSample2, RelinkingADraftsLinesTakesOnlyItsOwnEntries) {
    const std::string entry = log_time(staff, "1.00", "2026-09-01");
    const std::string earlier = log_time(staff, "2.00", "2026-08-20");
    for (const auto& id : {entry, earlier}) ASSERT_EQ(approve("time-entries", id, billing).status, 200);
    auto gen = call("POST", "/api/v1/engagements/" + engagement + "/hourly-invoice", billing,
                    {{"period_start", "2026-09-01"}, {"period_end", "2026-09-30"}});
    ASSERT_EQ(gen.status, 201) << gen.raw.body;
    json lines = gen.body["lines"];
    for (auto& l : lines) l.erase("amount");
    lines.push_back(line("1", "5.00"));
    auto patched = call("PATCH", "/api/v1/invoices/" + gen.body["id"].get<std::string>(), billing, {{"lines", lines}});
    ASSERT_EQ(patched.status, 200) << patched.raw.body;
    auto other = call("GET", "/api/v1/time-entries/" + earlier, billing);
    EXPECT_EQ(other.body["invoice_id"], nullptr) << other.raw.body;
    EXPECT_EQ(other.body["status"], "approved");
    EXPECT_EQ(call("GET", "/api/v1/time-entries/" + entry, billing).body["invoice_id"], gen.body["id"]);
    auto august = call("POST", "/api/v1/engagements/" + engagement + "/hourly-invoice", billing,
                       {{"period_start", "2026-08-01"}, {"period_end", "2026-08-31"}});
    EXPECT_EQ(august.status, 201) << august.raw.body;
}

// expenses.cpp (expense_json): an expense answers with its currency, the engagement's
// (catches the `currency` field dropped).
TEST_F(MutationSample2, AnExpenseNamesItsCurrency) {
    auto ex = call("POST", "/api/v1/expenses", staff,
                   {{"engagement_id", engagement}, {"date", "2026-09-02"}, {"amount", "40.00"}, {"description", "Taxi"}});
    ASSERT_EQ(ex.status, 201) << ex.raw.body;
    EXPECT_EQ(ex.body["currency"], "USD");
    EXPECT_EQ(ex.body["amount"], "40.00");
    auto got = call("GET", "/api/v1/expenses/" + ex.body["id"].get<std::string>(), staff);
    ASSERT_EQ(got.status, 200);
    EXPECT_EQ(got.body["currency"], "USD");
}

// firm_exit.cpp (download_firm_export): the download names its checksum in X-Content-SHA256,
// the export's sha256 and the hash of the bytes sent (catches the header removed).
TEST_F(MutationSample2, ExportDownloadCarriesItsChecksum) {
    auto requested = call("POST", "/api/v1/firm/exports", firm.owner_token, json::object());
    ASSERT_EQ(requested.status, 202) << requested.raw.body;
    const std::string id = requested.body["id"];
    ASSERT_EQ(server::exit::run_pending_exports(db(), export_dir, clock->now()), 1);
    auto done = call("GET", "/api/v1/firm/exports/" + id, firm.owner_token);
    ASSERT_TRUE(done.body["sha256"].is_string()) << done.raw.body;
    auto full = call("GET", "/api/v1/firm/exports/" + id + "/download", firm.owner_token);
    ASSERT_EQ(full.status, 200);
    EXPECT_EQ(full.header("X-Content-SHA256"), done.body["sha256"].get<std::string>());
    EXPECT_EQ(full.header("X-Content-SHA256"), server::sha256_hex(full.raw.body));
}

// firm_exit.cpp (offboarding_json): the offboarding shows cancelled_at, null while scheduled
// and the time of the cancel after it (catches the field dropped).
TEST_F(MutationSample2, OffboardingShowsWhenItWasCancelled) {
    auto started = call("POST", "/api/v1/firm/offboarding", firm.owner_token,
                        {{"reason", "closing"}, {"confirm_slug", firm.slug}});
    ASSERT_EQ(started.status, 202) << started.raw.body;
    ASSERT_TRUE(started.body.contains("cancelled_at")) << started.raw.body;
    EXPECT_TRUE(started.body["cancelled_at"].is_null());
    clock->advance(3600);
    auto cancelled = call("POST", "/api/v1/firm/offboarding/cancel", firm.owner_token, json::object());
    ASSERT_EQ(cancelled.status, 200) << cancelled.raw.body;
    EXPECT_EQ(cancelled.body["status"], "cancelled");
    EXPECT_EQ(cancelled.body.value("cancelled_at", json()), server::iso_time(clock->now()));
}

// firms.cpp (validate settings): an unknown firm setting is UNKNOWN_FIELD at
// settings.<name>, with its message (catches the field dropped from the error).
TEST_F(MutationSample2, AnUnknownFirmSettingIsNamed) {
    auto r = call("PATCH", "/api/v1/firm/settings", firm.owner_token, {{"settings", {{"colour", "blue"}}}});
    EXPECT_EQ(r.status, 422) << r.raw.body;
    EXPECT_EQ(r.body["error"]["code"], "UNKNOWN_FIELD");
    EXPECT_EQ(r.body["error"]["field"], "settings.colour");
    EXPECT_EQ(r.body["error"]["message"], "is not a firm setting") << r.raw.body;
}

// health.cpp (operator_errors): each captured error names the release that raised it
// (catches the `release` field dropped).
TEST_F(MutationSample2, CapturedErrorsNameTheirRelease) {
    {
        storage::Transaction tx(db());
        tx.exec("ALTER TABLE clients RENAME TO clients_gone");  // the list's query now fails
        tx.commit();
    }
    auto r = call("GET", "/api/v1/clients", firm.owner_token);
    ASSERT_EQ(r.status, 500) << r.raw.body;
    auto op = make_operator("op@platform.test");
    Reply errors;
    for (int i = 0; i < 100; ++i) {  // captures are stored by the tracker's own thread
        errors = call("GET", "/api/v1/operator/errors", op);
        if (errors.status != 200 || !errors.body["data"].empty()) break;
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    ASSERT_EQ(errors.status, 200) << errors.raw.body;
    ASSERT_GE(errors.body["data"].size(), 1u);
    const auto& e = errors.body["data"][0];
    EXPECT_EQ(e["route"], "/api/v1/clients");
    ASSERT_TRUE(e.contains("release")) << e.dump();
    EXPECT_EQ(e["release"], std::string(server::build_version()));
    EXPECT_FALSE(e["release"].get<std::string>().empty());
}

// invoice_drafts.cpp (update_invoice): a PATCH that drops a draft's time line releases that
// entry (unbilled again, billable by the next hourly invoice) and keeps the others on the
// draft (catches the relink after the line rewrite removed).
TEST_F(MutationSample2, DroppingADraftsTimeLineReleasesItsEntry) {
    const std::string kept = log_time(staff, "1.00", "2026-09-01");
    const std::string dropped = log_time(staff, "2.00", "2026-09-02");
    for (const auto& id : {kept, dropped}) ASSERT_EQ(approve("time-entries", id, billing).status, 200);
    const json period{{"period_start", "2026-09-01"}, {"period_end", "2026-09-30"}};
    const std::string path = "/api/v1/engagements/" + engagement + "/hourly-invoice";
    auto gen = call("POST", path, billing, period);
    ASSERT_EQ(gen.status, 201) << gen.raw.body;
    ASSERT_EQ(gen.body["lines"].size(), 2u);
    ASSERT_EQ(gen.body["lines"][1]["time_entry_id"], dropped);
    json first = gen.body["lines"][0];
    first.erase("amount");
    const std::string id = gen.body["id"];
    auto patched = call("PATCH", "/api/v1/invoices/" + id, billing, {{"lines", json::array({first})}});
    ASSERT_EQ(patched.status, 200) << patched.raw.body;
    EXPECT_EQ(patched.body["total"], "150.00");
    auto released = call("GET", "/api/v1/time-entries/" + dropped, billing);
    EXPECT_EQ(released.body["invoice_id"], nullptr) << released.raw.body;
    EXPECT_EQ(released.body["status"], "approved");
    EXPECT_EQ(call("GET", "/api/v1/time-entries/" + kept, billing).body["invoice_id"], id);
    auto next = call("POST", path, billing, period);
    ASSERT_EQ(next.status, 201) << next.raw.body;
    ASSERT_EQ(next.body["lines"].size(), 1u);
    EXPECT_EQ(next.body["lines"][0]["time_entry_id"], dropped);
}

// invoice_list_order.cpp (list_invoices_sorted): a page sorted on a nullable column that
// runs from dated invoices into undated drafts still holds at most `limit` items, and the
// pages together list every invoice once (catches `want - rows.size()` as `+` in the
// second, NULL run's LIMIT).
TEST_F(MutationSample2, SortedPagesIntoTheNullsHoldAtMostLimitItems) {
    const std::string dated = issued("10.00");
    std::vector<std::string> drafts;
    for (int i = 0; i < 3; ++i) drafts.push_back(draft({line("1", "5.00")}));
    auto first = call("GET", "/api/v1/invoices?limit=2&sort=issue_date", billing);
    ASSERT_EQ(first.status, 200) << first.raw.body;
    ASSERT_EQ(first.body["data"].size(), 2u) << first.raw.body;
    EXPECT_EQ(first.body["data"][0]["id"], dated);
    EXPECT_TRUE(first.body["has_more"]);
    std::vector<std::string> seen;
    std::string cursor;
    for (int guard = 0; guard < 10; ++guard) {
        auto r = call("GET", "/api/v1/invoices?limit=2&sort=issue_date" + (cursor.empty() ? "" : "&cursor=" + cursor),
                      billing);
        ASSERT_EQ(r.status, 200) << r.raw.body;
        EXPECT_LE(r.body["data"].size(), 2u);
        for (const auto& i : r.body["data"]) seen.push_back(i["id"]);
        if (!r.body["has_more"].get<bool>()) break;
        cursor = r.body["next_cursor"];
    }
    std::vector<std::string> expected = drafts;
    expected.push_back(dated);
    std::sort(expected.begin(), expected.end());
    std::sort(seen.begin(), seen.end());
    EXPECT_EQ(seen, expected);
}

// leads.cpp (lead_timeline): each timeline entry carries its detail: what it touched and the
// status it left (catches the `detail` field dropped).
TEST_F(MutationSample2, LeadTimelineEntriesCarryTheirDetail) {
    auto lead = call("POST", "/api/v1/leads", firm.owner_token, {{"company", "Dollar Co"}});
    ASSERT_EQ(lead.status, 201) << lead.raw.body;
    auto timeline = call("GET", "/api/v1/leads/" + lead.body["id"].get<std::string>() + "/timeline", firm.owner_token);
    ASSERT_EQ(timeline.status, 200) << timeline.raw.body;
    ASSERT_EQ(timeline.body["data"].size(), 1u) << timeline.raw.body;
    const json& created = timeline.body["data"][0];
    EXPECT_EQ(created["kind"], "lead.create");
    ASSERT_TRUE(created.contains("detail")) << created.dump();
    EXPECT_EQ(created["detail"]["target_type"], "lead");
    EXPECT_EQ(created["detail"]["target_id"], lead.body["id"]);
    EXPECT_EQ(created["detail"]["status"], lead.body["status"]);
}

// openapi.cpp: each operation documents its success status: 201 for POST, 204 for DELETE,
// 200 otherwise (catches the POST test inverted).
TEST_F(MutationSample2, OpenApiDocumentsEachMethodsSuccessStatus) {
    auto doc = call("GET", "/api/v1/openapi.json");
    ASSERT_EQ(doc.status, 200);
    const json& paths = doc.body["paths"];
    EXPECT_TRUE(paths["/api/v1/clients"]["get"]["responses"].contains("200")) << paths["/api/v1/clients"].dump();
    EXPECT_FALSE(paths["/api/v1/clients"]["get"]["responses"].contains("201"));
    EXPECT_TRUE(paths["/api/v1/clients"]["post"]["responses"].contains("201"));
    EXPECT_FALSE(paths["/api/v1/clients"]["post"]["responses"].contains("200"));
    EXPECT_TRUE(paths["/api/v1/invoices/{id}"]["delete"]["responses"].contains("204"));
    EXPECT_TRUE(paths["/api/v1/invoices/{id}"]["patch"]["responses"].contains("200"));
}

// payments.cpp (finish_refund): a refund is audited as payment.refund on the refunded
// payment, labelled with the invoice's number (catches the target id left unset).
TEST_F(MutationSample2, RefundsAreAuditedOnTheirPayment) {
    const std::string inv = issued("10.00");
    auto paid = call("POST", "/api/v1/invoices/" + inv + "/payments", billing, {{"amount", "10.00"}, {"method", "cash"}});
    ASSERT_EQ(paid.status, 201) << paid.raw.body;
    const std::string payment = paid.body["id"];
    auto refund = call("POST", "/api/v1/payments/" + payment + "/refunds", billing, {{"amount", "4.00"}, {"reason", "returned"}});
    ASSERT_EQ(refund.status, 201) << refund.raw.body;
    auto events = audit_of("payment.refund");
    ASSERT_EQ(events.size(), 1u);
    EXPECT_EQ(events[0]["target"]["type"], "payment");
    EXPECT_EQ(events[0]["target"]["id"], payment) << events[0].dump();
    EXPECT_EQ(events[0]["target"]["label"], call("GET", "/api/v1/invoices/" + inv, billing).body["number"]);
    EXPECT_EQ(events[0]["metadata"]["invoice_id"], inv);
    EXPECT_EQ(events[0]["reason"], "returned");
}

// payments.cpp (credit_request_json): a credit request answers with its kind and the approver
// it names (catches either field dropped).
TEST_F(MutationSample2, CreditRequestsShowTheirKindAndApprover) {
    const std::string admin = add_member(firm, "admin", "admin@acme.test");
    const std::string admin_id = call("GET", "/api/v1/auth/me", admin).body["membership"]["id"];
    for (const char* kind : {"goodwill", "correction"}) {
        auto r = call("POST", "/api/v1/clients/" + client + "/credits", firm.owner_token,
                      {{"kind", kind}, {"amount", "15.00"}, {"currency", "USD"}, {"reason", "r"}, {"approved_by", admin_id}});
        ASSERT_EQ(r.status, 202) << r.raw.body;
        EXPECT_EQ(r.body.value("kind", json()), kind) << r.raw.body;
        EXPECT_EQ(r.body.value("approved_by", json()), admin_id);
        EXPECT_EQ(r.body["status"], "pending");
    }
}

// payments.cpp (approve_credit_request): another firm's credit request is 404 to a member of
// this firm, never 403 (which would confirm it exists); it stays pending and its approver can
// still approve it (catches the `firm_id = ?` conjunct of the lookup dropped).
TEST_F(MutationSample2, AnotherFirmsCreditRequestIsNotFound) {
    const std::string admin = add_member(firm, "admin", "admin@acme.test");
    const std::string admin_id = call("GET", "/api/v1/auth/me", admin).body["membership"]["id"];
    auto asked = call("POST", "/api/v1/clients/" + client + "/credits", firm.owner_token,
                      {{"kind", "goodwill"}, {"amount", "15.00"}, {"currency", "USD"}, {"reason", "r"}, {"approved_by", admin_id}});
    ASSERT_EQ(asked.status, 202) << asked.raw.body;
    const std::string id = asked.body["id"];
    const Firm other = make_firm("other");
    auto theirs = call("POST", "/api/v1/credit-requests/" + id + "/approve", other.owner_token, json::object());
    EXPECT_EQ(theirs.status, 404) << theirs.raw.body;
    auto approved = call("POST", "/api/v1/credit-requests/" + id + "/approve", admin, json::object());
    EXPECT_EQ(approved.status, 201) << approved.raw.body;
}

// reports.cpp (csv_response): a report asked for as CSV comes as an attachment named after
// the report and its dates (catches the Content-Disposition header removed).
TEST_F(MutationSample2, CsvReportsAreNamedAttachments) {
    issued("100.00");
    auto csv = call("GET", "/api/v1/reports/revenue?from=2026-08-01&to=2026-09-30", firm.owner_token, nullptr,
                    {{"accept", "text/csv"}});
    ASSERT_EQ(csv.status, 200) << csv.raw.body;
    EXPECT_EQ(csv.raw.content_type, "text/csv; charset=utf-8");
    EXPECT_EQ(csv.header("Content-Disposition"), "attachment; filename=\"revenue-2026-08-01-2026-09-30.csv\"");
}

// proposals.cpp (list_proposals): a page holds `limit` proposals and says there are more
// (catches `limit + 1` as `limit - 1`, which cuts every page short and hides the rest).
TEST_F(MutationSample2, ProposalPagesHoldLimitItemsAndSayThereIsMore) {
    for (const char* company : {"Alpha", "Beta", "Gamma"})
        make_pipeline([this](const std::string& m, const std::string& t, const json& b) { return call(m, t, firm.owner_token, b); },
                      company);
    auto all = call("GET", "/api/v1/proposals?limit=50", firm.owner_token);
    ASSERT_EQ(all.status, 200) << all.raw.body;
    ASSERT_EQ(all.body["data"].size(), 3u);
    EXPECT_FALSE(all.body["has_more"]);
    auto page = call("GET", "/api/v1/proposals?limit=2", firm.owner_token);
    ASSERT_EQ(page.status, 200) << page.raw.body;
    EXPECT_EQ(page.body["data"].size(), 2u) << page.raw.body;
    EXPECT_TRUE(page.body["has_more"]);
    auto one = call("GET", "/api/v1/proposals?limit=1", firm.owner_token);
    EXPECT_EQ(one.body["data"].size(), 1u) << one.raw.body;
}

// proposal_acceptance.cpp (open_portal_access): the portal invitation opened by accepting a
// proposal is audited with the client it is for and the invitation (catches the client_id
// metadata removed).
TEST_F(MutationSample2, AcceptanceInvitationAuditNamesTheClient) {
    auto p = make_pipeline([this](const std::string& m, const std::string& t, const json& b) { return call(m, t, firm.owner_token, b); },
                           "Initech", "2026-12-31", false);
    ASSERT_EQ(call("PATCH", "/api/v1/proposals/" + p.proposal, firm.owner_token,
                   {{"portal_user", {{"email", "dana@initech.test"}, {"name", "Dana"}}}})
                  .status,
              200);
    ASSERT_EQ(call("POST", "/api/v1/proposals/" + p.proposal + "/send", firm.owner_token, json::object()).status, 200);
    auto accepted = call("POST", "/api/v1/proposals/" + p.proposal + "/accept", firm.owner_token, json::object());
    ASSERT_EQ(accepted.status, 201) << accepted.raw.body;
    auto events = audit_of("portal_user.invite");
    ASSERT_EQ(events.size(), 1u);
    EXPECT_EQ(events[0]["target"]["id"], accepted.body["contract"]["portal_user_id"]);
    EXPECT_EQ(events[0]["metadata"].value("client_id", json()), accepted.body["client"]["id"]) << events[0].dump();
    EXPECT_TRUE(events[0]["metadata"].value("invitation_id", json()).is_string());
}

// serializers.cpp (firm_json): a firm shows when it was created, which later changes do not
// move (catches `created_at` dropped).
TEST_F(MutationSample2, AFirmShowsWhenItWasCreated) {
    const std::string created = server::iso_time(clock->now());
    auto before = call("GET", "/api/v1/firms/" + firm.id, firm.owner_token);
    ASSERT_EQ(before.status, 200) << before.raw.body;
    EXPECT_EQ(before.body.value("created_at", json()), created) << before.raw.body;
    clock->advance(60);
    auto changed = call("PATCH", "/api/v1/firm/settings", firm.owner_token, {{"name", "Acme Two"}});
    ASSERT_EQ(changed.status, 200) << changed.raw.body;
    EXPECT_EQ(changed.body.value("created_at", json()), created);
    EXPECT_EQ(changed.body["updated_at"], server::iso_time(clock->now()));
}

// serializers.cpp (break_glass_json): a break-glass session is a "break_glass_session"
// object, opened and read back (catches the `object` field dropped).
TEST_F(MutationSample2, BreakGlassSessionsNameTheirObject) {
    auto op = make_operator("op@platform.test");
    auto s = call("POST", "/api/v1/operator/break-glass", op, {{"firm_id", firm.id}, {"reason", "ticket 42"}});
    ASSERT_EQ(s.status, 201) << s.raw.body;
    EXPECT_EQ(s.body.value("object", ""), "break_glass_session") << s.raw.body;
    auto read = call("GET", "/api/v1/operator/break-glass/" + s.body["id"].get<std::string>(), op);
    ASSERT_EQ(read.status, 200) << read.raw.body;
    EXPECT_EQ(read.body.value("object", ""), "break_glass_session");
}

// app.cpp (audit_break_glass_request): every request under break-glass is audited with its
// outcome: success below 400, failure from 400 on (catches the outcome left at success).
TEST_F(MutationSample2, BreakGlassRequestsAreAuditedWithTheirOutcome) {
    auto op = make_operator("op@platform.test");
    auto s = call("POST", "/api/v1/operator/break-glass", op, {{"firm_id", firm.id}, {"reason", "ticket 42"}});
    ASSERT_EQ(s.status, 201) << s.raw.body;
    const std::string token = s.body["token"];
    EXPECT_EQ(call("GET", "/api/v1/clients/" + client, token).status, 200);
    EXPECT_EQ(call("GET", "/api/v1/clients/cli_missing", token).status, 404);
    std::map<int, std::string> outcome_of;
    for (const auto& e : audit_of("break_glass.request")) outcome_of[e["metadata"]["status"].get<int>()] = e["outcome"];
    ASSERT_EQ(outcome_of.size(), 2u);
    EXPECT_EQ(outcome_of[200], "success");
    EXPECT_EQ(outcome_of[404], "failure");
}

// audit_log.cpp (to_json): each audit event answers with its id, "evt_..." and distinct
// (catches the `id` field dropped).
TEST_F(MutationSample2, AuditEventsAnswerWithTheirIds) {
    auto r = call("GET", "/api/v1/audit?limit=200", firm.owner_token);
    ASSERT_EQ(r.status, 200) << r.raw.body;
    ASSERT_GE(r.body["data"].size(), 2u);
    std::set<std::string> ids;
    for (const auto& e : r.body["data"]) {
        ASSERT_TRUE(e.contains("id") && e["id"].is_string()) << e.dump();
        EXPECT_EQ(e["id"].get<std::string>().rfind("evt", 0), 0u) << e.dump();
        ids.insert(e["id"].get<std::string>());
    }
    EXPECT_EQ(ids.size(), r.body["data"].size());
}

// audit_log.cpp (verify_chain): a payload redacted by the retention run at the very second
// its retention ends (redacted_at == retain_until) is on time: the chain still verifies
// (catches `redacted_at < retain_until` as `<=`).
TEST_F(MutationSample2, APayloadRedactedExactlyWhenRetentionEndsVerifies) {
    std::int64_t first_end = 0;
    {
        storage::Transaction tx(db());
        first_end = tx.query_one("SELECT MIN(retain_until) AS n FROM audit_events WHERE firm_id = ?", {firm.id})->i64("n");
    }
    ASSERT_GT(first_end, clock->now());
    clock->advance(first_end - clock->now());
    storage::Transaction tx(db());
    EXPECT_GE(server::audit::apply_retention(tx, clock->now()), 1);
    EXPECT_EQ(tx.query_one("SELECT COUNT(*) AS n FROM audit_events WHERE firm_id = ? AND redacted_at = retain_until",
                           {firm.id})
                  ->i64("n"),
              tx.query_one("SELECT COUNT(*) AS n FROM audit_events WHERE firm_id = ? AND payload IS NULL", {firm.id})
                  ->i64("n"));
    auto v = server::audit::verify_chain(tx, firm.id, clock->now());
    EXPECT_TRUE(v.ok()) << (v.problems.empty() ? "" : v.problems[0].problem);
    EXPECT_GT(v.checked, 1);
}

// sentry_sink.cpp (run): an event Sentry refuses is reported on stderr with its HTTP status;
// one it takes is not (catches the `!ok` test negated).
TEST_F(MutationSample2, SentryRefusalsAreLoggedAndAcceptancesAreNot) {
    std::mutex m;
    std::size_t received = 0;
    http::TestServer sentry([&](const http::Request&) {
        std::lock_guard lock(m);
        http::Response r;
        r.status = received++ == 0 ? 500 : 200;  // the first event refused, the second taken
        r.body = R"({"id":"x"})";
        return r;
    });
    testing::internal::CaptureStderr();
    {
        server::SentrySink sink("http://publickey@127.0.0.1:" + std::to_string(sentry.port()) + "/42");
        for (int i = 0; i < 2; ++i) {
            server::CapturedError e;
            e.id = "err_" + std::to_string(i);
            e.route = "/api/v1/clients";
            e.method = "GET";
            e.type = "http_500";
            sink.submit(e);
        }
        for (int i = 0; i < 250 && sink.sent() < 1; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(20));
        EXPECT_EQ(sink.sent(), 1u);
    }
    const std::string log = testing::internal::GetCapturedStderr();
    EXPECT_NE(log.find("error tracking: Sentry did not take an event (HTTP 500)"), std::string::npos) << log;
    EXPECT_EQ(log.find("HTTP 200"), std::string::npos) << log;
}

// audit_log.cpp (to_json): each audit event answers with its chain hash, the one stored
// (catches the `hash` field dropped).
TEST_F(MutationSample2, AuditEventsAnswerWithTheirChainHash) {
    auto r = call("GET", "/api/v1/audit?limit=200", firm.owner_token);
    ASSERT_EQ(r.status, 200) << r.raw.body;
    ASSERT_FALSE(r.body["data"].empty());
    storage::Transaction tx(db());
    for (const auto& e : r.body["data"]) {
        auto row = tx.query_one("SELECT hash FROM audit_events WHERE firm_id = ? AND seq = ?",
                                {firm.id, e["seq"].get<std::int64_t>()});
        ASSERT_TRUE(row);
        EXPECT_EQ(e.value("hash", json()), row->str("hash")) << e.dump();
        EXPECT_EQ(row->str("hash").size(), 64u);
    }
}

// throttle.cpp (begin_attempt, and shared_attempt on PostgreSQL): an address past its limit
// of failures blocks a new account from it for as long as the oldest counted failure keeps it
// there (catches the address' wait left out of the max; the shared path runs on PostgreSQL).
TEST_F(MutationSample2, AnAddressAtItsLimitBlocksForTheRestOfItsWindow) {
    server::LoginThrottle& throttle = app->throttle();
    const std::int64_t start = clock->now();
    for (int i = 0; i < config.throttle.per_address; ++i)
        ASSERT_FALSE(throttle.begin_attempt("guess" + std::to_string(i) + "@x.test", "198.51.100.7", start));
    auto wait = throttle.begin_attempt("fresh@x.test", "198.51.100.7", start + 100);
    ASSERT_TRUE(wait.has_value());
    EXPECT_EQ(*wait, config.throttle.window_seconds - 100);
    EXPECT_FALSE(throttle.begin_attempt("fresh@x.test", "198.51.100.8", start + 100));  // another address is free
}

// throttle.cpp (shared_succeeded, PostgreSQL): a successful login's clean-up waits for the
// throttle's lock, so a failure another server is counting for the same account and address
// at that moment is cleared with the others instead of surviving it (catches the advisory
// lock removed). SQLite keeps the throttle in memory, in one process: nothing to share.
TEST_F(MutationSample2, ASucceededLoginWaitsForTheSharedThrottleLock) {
    if (backend_name() != "postgresql") GTEST_SKIP() << "the shared throttle lives on PostgreSQL only";
    auto second = another_app();
    const std::string pair = std::string("late@x.test") + '\n' + "198.51.100.9";
    auto pair_rows = [&] {
        storage::Transaction tx(db());
        return tx.query_one("SELECT COUNT(*) AS n FROM login_throttle WHERE kind = 'pair' AND bucket_key = ?", {pair})
            ->i64("n");
    };
    std::thread done;
    {
        storage::Transaction other(second->db());  // another server, counting a failure under the lock
        other.query(fmt::format("SELECT pg_advisory_xact_lock({}) AS locked", storage::kLockKeySql), {"login-throttle"});
        other.exec("INSERT INTO login_throttle (kind, bucket_key, at) VALUES ('pair', ?, ?)", {pair, clock->now()});
        done = std::thread([&] { app->throttle().attempt_succeeded("late@x.test", "198.51.100.9", clock->now()); });
        std::this_thread::sleep_for(std::chrono::milliseconds(300));
        other.commit();
    }
    done.join();
    EXPECT_EQ(pair_rows(), 0);
}

// throttle.cpp (begin_signup, and shared_signup on PostgreSQL): each allowed sign-up is
// counted, so the one past the limit from an address waits (catches the count made only for
// refused sign-ups; the shared path runs on PostgreSQL).
TEST_F(MutationSample2, SignupsAreCountedUntilTheAddressLimit) {
    server::LoginThrottle& throttle = app->throttle();
    const std::int64_t now = clock->now();
    for (int i = 0; i < config.throttle.signups_per_address; ++i)
        EXPECT_FALSE(throttle.begin_signup("198.51.100.20", now)) << i;
    auto wait = throttle.begin_signup("198.51.100.20", now + 10);
    ASSERT_TRUE(wait.has_value());
    EXPECT_EQ(*wait, config.throttle.signup_window_seconds - 10);
}

// reports.cpp (revenue): a voided invoice issued inside the window is not revenue (the
// `status NOT IN ('draft', 'void')` condition dropped would count it).
TEST_F(MutationSample2, RevenueLeavesOutAVoidedInvoiceOfTheWindow) {
    const std::string kept = issued("120.00");
    const std::string voided = issued("75.00");
    ASSERT_EQ(call("POST", "/api/v1/invoices/" + voided + "/void", firm.owner_token, {{"reason", "duplicate"}}).status,
              200);
    const std::string day = call("GET", "/api/v1/invoices/" + kept, firm.owner_token).body["issue_date"];
    auto r = call("GET", "/api/v1/reports/revenue?from=" + day + "&to=" + day, firm.owner_token);
    ASSERT_EQ(r.status, 200) << r.raw.body;
    ASSERT_EQ(r.body["currencies"].size(), 1u) << r.raw.body;
    EXPECT_EQ(r.body["currencies"][0]["total"]["issued"], "120.00") << r.raw.body;
}

// payments.cpp (apply credit) and the ledger: credit applied to an invoice is a debit of kind
// applied_to_invoice, not the default kind (the kind assignment dropped).
TEST_F(MutationSample2, AppliedCreditIsADebitOfItsKind) {
    const std::string a = issued("100.00");
    const std::string b = issued("80.00");
    ASSERT_EQ(call("POST", "/api/v1/invoices/" + a + "/payments", firm.owner_token,
                   {{"amount", "130.00"}, {"method", "cash"}})
                  .status,
              201);
    auto applied = call("POST", "/api/v1/invoices/" + b + "/apply-credit", firm.owner_token, {{"amount", "30.00"}});
    ASSERT_EQ(applied.status, 201) << applied.raw.body;
    auto ledger = call("GET", "/api/v1/clients/" + client + "/credits", firm.owner_token);
    ASSERT_EQ(ledger.status, 200) << ledger.raw.body;
    ASSERT_EQ(ledger.body["data"].size(), 2u) << ledger.raw.body;
    EXPECT_EQ(ledger.body["data"][0]["kind"], "overpayment");
    EXPECT_EQ(ledger.body["data"][1]["kind"], "applied_to_invoice");
    EXPECT_EQ(ledger.body["data"][1]["direction"], "debit");
    EXPECT_EQ(ledger.body["data"][1]["invoice_id"], b);
    EXPECT_EQ(ledger.body["balances"]["USD"], "0.00");
}

// audit_log.cpp (the hashed payload): an event keeps the reason it was given (a void's reason
// dropped from the payload would read back as null).
TEST_F(MutationSample2, AVoidsAuditEventKeepsItsReason) {
    const std::string inv = issued("60.00");
    ASSERT_EQ(call("POST", "/api/v1/invoices/" + inv + "/void", firm.owner_token, {{"reason", "Sent twice"}}).status,
              200);
    auto events = audit_of("invoice.void");
    ASSERT_EQ(events.size(), 1u);
    EXPECT_EQ(events[0]["reason"], "Sent twice");
}

}  // namespace
}  // namespace cp::test
