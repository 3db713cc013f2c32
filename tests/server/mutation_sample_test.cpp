// Server tests for the rules behind the `scripts/mutate --max 200 --seed 1` sample of issue 17
// (the server/ half): each names the rule and the single-point change it would catch.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <set>
#include <sstream>
#include <thread>

#include "server/app/metrics_listener.hpp"
#include "server/app/sentry_sink.hpp"
#include "server/http/transport.hpp"
#include "tests/server/billing_support.hpp"
#include "tests/server/crm_support.hpp"

namespace cp::test {
namespace {

class MutationSample : public BillingTest {
protected:
    std::string membership_of(const std::string& token) {
        return call("GET", "/api/v1/auth/me", token).body["membership"].value("id", "");
    }
    std::string issued(const std::string& amount, const std::string& client_id = "") {
        const std::string id = draft({line("1", amount)}, client_id);
        EXPECT_EQ(issue(id).status, 200);
        return id;
    }
    static bool has_error(const Reply& r, const std::string& code, const std::string& field) {
        for (const auto& e : r.body.value("errors", json::array()))
            if (e.value("code", "") == code && e.value("field", "") == field) return true;
        return false;
    }
    std::vector<std::string> ids_of(const Reply& r) {
        std::vector<std::string> out;
        for (const auto& i : r.body["data"]) out.push_back(i.value("id", ""));
        return out;
    }
    // Every page of a list, `limit` at a time, following next_cursor.
    std::vector<std::string> all_pages(const std::string& path, const std::string& token, int limit) {
        std::vector<std::string> out;
        std::string cursor;
        for (int guard = 0; guard < 20; ++guard) {
            const char sep = path.find('?') == std::string::npos ? '?' : '&';
            auto r = call("GET", path + sep + "limit=" + std::to_string(limit) + (cursor.empty() ? "" : "&cursor=" + cursor),
                          token);
            EXPECT_EQ(r.status, 200) << r.raw.body;
            for (const auto& i : r.body["data"]) out.push_back(i.value("id", ""));
            if (!r.body.value("has_more", false)) break;
            cursor = r.body["next_cursor"];
        }
        return out;
    }
    Caller as(const std::string& token) {
        return [this, token](const std::string& m, const std::string& t, const json& body) { return call(m, t, token, body); };
    }
};

// client_payments.cpp: the portal summary adds an overdue invoice's balance to "overdue"
// (and to "outstanding"), counting it; a not-yet-due one is outstanding only.
TEST_F(MutationSample, PortalSummaryAddsOverdueBalances) {
    make_portal_user(firm, client, "ap@globex.test");
    const std::string old_one = issued("300.00");
    clock->advance(20 * 86400);  // sessions last 12 h: log in again
    billing = login("billing@acme.test");
    firm.owner_token = login(firm.owner_email);
    issued("50.00");
    clock->advance(15 * 86400);  // the first is 35 days old: due after 30, now overdue
    const std::string portal = login("ap@globex.test");
    auto list = call("GET", "/api/v1/portal/invoices", portal);
    ASSERT_EQ(list.status, 200) << list.raw.body;
    const json usd = list.body["summary"]["by_currency"]["USD"];
    EXPECT_EQ(usd["outstanding"], "350.00") << list.body["summary"].dump();
    EXPECT_EQ(usd["overdue"], "300.00");
    EXPECT_EQ(usd["overdue_invoices"], 1);
    EXPECT_EQ(usd["open_invoices"], 2);
    EXPECT_EQ(list.body["summary"]["next_due"]["invoice_id"], old_one);  // overdue first
}

// entries.cpp: ?status= splits unapproved / approved (not yet on an issued invoice) /
// invoiced; each filter gives exactly its own entries.
TEST_F(MutationSample, EntryStatusFiltersSplitTheThreeStates) {
    const std::string invoiced = log_time(staff, "1.00", "2026-09-01");
    const std::string approved = log_time(staff, "2.00", "2026-09-02");
    const std::string unapproved = log_time(staff, "3.00", "2026-09-03");
    ASSERT_EQ(approve("time-entries", invoiced, billing).status, 200);
    auto gen = call("POST", "/api/v1/engagements/" + engagement + "/hourly-invoice", billing,
                    {{"period_start", "2026-09-01"}, {"period_end", "2026-09-01"}});
    ASSERT_EQ(gen.status, 201) << gen.raw.body;
    ASSERT_EQ(issue(gen.body["id"].get<std::string>()).status, 200);
    ASSERT_EQ(approve("time-entries", approved, billing).status, 200);
    auto only = [&](const std::string& status) {
        auto r = call("GET", "/api/v1/time-entries?status=" + status, billing);
        EXPECT_EQ(r.status, 200) << r.raw.body;
        return ids_of(r);
    };
    EXPECT_EQ(only("invoiced"), std::vector<std::string>{invoiced});
    EXPECT_EQ(only("approved"), std::vector<std::string>{approved});
    EXPECT_EQ(only("unapproved"), std::vector<std::string>{unapproved});
    EXPECT_EQ(call("GET", "/api/v1/time-entries/" + invoiced, billing).body["status"], "invoiced");
}

// entries.cpp: a bad id in a bulk approval names its index.
TEST_F(MutationSample, BulkApprovalNamesTheBadIdsIndex) {
    const std::string a = log_time(staff, "1.00");
    auto r = call("POST", "/api/v1/time-entries/approve", billing, {{"ids", {a, 7}}});
    EXPECT_EQ(r.status, 422) << r.raw.body;
    EXPECT_TRUE(has_error(r, "INVALID_TYPE", "ids[1]")) << r.raw.body;
    EXPECT_FALSE(has_error(r, "INVALID_TYPE", "ids[0]"));
}

// entries.cpp: a bulk approval takes 1 to 200 ids: 200 are read one by one (here all but one
// unknown, so each is named), 201 are refused as a whole at `ids`.
TEST_F(MutationSample, BulkApprovalTakesUpTo200Ids) {
    const std::string a = log_time(staff, "1.00");
    json ids = json::array({a});
    for (int i = 1; i < 200; ++i) ids.push_back("te_missing_" + std::to_string(i));
    auto at_limit = call("POST", "/api/v1/time-entries/approve", billing, {{"ids", ids}});
    EXPECT_FALSE(has_error(at_limit, "OUT_OF_RANGE", "ids")) << at_limit.raw.body;
    EXPECT_TRUE(has_error(at_limit, "NOT_FOUND", "ids[199]")) << at_limit.raw.body;
    ids.push_back("te_missing_200");
    auto over = call("POST", "/api/v1/time-entries/approve", billing, {{"ids", ids}});
    EXPECT_EQ(over.status, 422);
    EXPECT_TRUE(has_error(over, "OUT_OF_RANGE", "ids")) << over.raw.body;
}

// entries.cpp: deleting one's own unbilled entry answers 204 with no body, and it is gone.
TEST_F(MutationSample, DeletingAnEntryIs204) {
    const std::string a = log_time(staff, "1.00");
    auto r = call("DELETE", "/api/v1/time-entries/" + a, staff);
    EXPECT_EQ(r.status, 204) << r.raw.body;
    EXPECT_TRUE(r.raw.body.empty());
    EXPECT_EQ(call("GET", "/api/v1/time-entries/" + a, staff).status, 404);
}

// time_entries.cpp: time on an engagement without an hourly rate needs one in the body; with
// one it is created, and the creation is audited with the entry.
TEST_F(MutationSample, TimeOnAPackageEngagementNeedsARateAndCreationIsAudited) {
    const std::string package = make_engagement(firm, client);
    auto without = call("POST", "/api/v1/time-entries", staff,
                        {{"engagement_id", package}, {"date", "2026-09-01"}, {"hours", "1.00"}});
    EXPECT_EQ(without.status, 422) << without.raw.body;
    EXPECT_TRUE(has_error(without, "VALIDATION_REQUIRED", "rate")) << without.raw.body;
    auto with = call("POST", "/api/v1/time-entries", staff,
                     {{"engagement_id", package}, {"date", "2026-09-01"}, {"hours", "1.00"}, {"rate", "90.00"}});
    ASSERT_EQ(with.status, 201) << with.raw.body;
    EXPECT_EQ(with.body["rate"], "90.00");
    // On the hourly engagement the rate may be left out: the engagement's is used.
    auto hourly = call("POST", "/api/v1/time-entries", staff,
                       {{"engagement_id", engagement}, {"date", "2026-09-01"}, {"hours", "1.00"}});
    ASSERT_EQ(hourly.status, 201) << hourly.raw.body;
    EXPECT_EQ(hourly.body["rate"], "150.00");
    auto audit = call("GET", "/api/v1/audit?action=time_entry.create", firm.owner_token);
    ASSERT_EQ(audit.body["data"].size(), 2u) << audit.raw.body;
    EXPECT_EQ(audit.body["data"][0]["metadata"]["after"]["rate"], "90.00");
}

// expenses.cpp: an expense answers every field it was given, its category and receipt reference
// included, and reads back the same.
TEST_F(MutationSample, AnExpenseCarriesItsCategoryAndReceiptReference) {
    auto ex = call("POST", "/api/v1/expenses", staff,
                   {{"engagement_id", engagement},
                    {"date", "2026-09-02"},
                    {"amount", "42.50"},
                    {"currency", "USD"},
                    {"category", "travel"},
                    {"receipt_ref", "RCPT-2026-0917"},
                    {"description", "Train to the client"}});
    ASSERT_EQ(ex.status, 201) << ex.raw.body;
    EXPECT_EQ(ex.body["receipt_ref"], "RCPT-2026-0917");
    EXPECT_EQ(ex.body["category"], "travel");
    auto read = call("GET", "/api/v1/expenses/" + ex.body["id"].get<std::string>(), staff);
    EXPECT_EQ(read.body["receipt_ref"], "RCPT-2026-0917") << read.raw.body;
}

// hourly_invoice.cpp: blank notes are allowed (notes are free text); an expense whose billed
// amount overflows names the line it would have been.
TEST_F(MutationSample, HourlyInvoiceTakesBlankNotesAndNamesAnOverflowingExpenseLine) {
    const std::string t = log_time(staff, "1.00", "2026-09-01");
    ASSERT_EQ(approve("time-entries", t, billing).status, 200);
    auto ex = call("POST", "/api/v1/expenses", staff,
                   {{"engagement_id", engagement},
                    {"date", "2026-09-02"},
                    {"amount", "999999999999.99"},
                    {"currency", "USD"},
                    {"markup_percent", "1000"},
                    {"description", "Everything"}});
    ASSERT_EQ(ex.status, 201) << ex.raw.body;
    ASSERT_EQ(approve("expenses", ex.body["id"].get<std::string>(), billing).status, 200);
    auto over = call("POST", "/api/v1/engagements/" + engagement + "/hourly-invoice", billing,
                     {{"period_start", "2026-09-01"}, {"period_end", "2026-09-30"}});
    EXPECT_EQ(over.status, 422) << over.raw.body;
    EXPECT_EQ(over.body["error"]["code"], "AMOUNT_OVERFLOW");
    EXPECT_EQ(over.body["error"]["field"], "lines[1].amount");
    auto blank = call("POST", "/api/v1/engagements/" + engagement + "/hourly-invoice", billing,
                      {{"period_start", "2026-09-01"}, {"period_end", "2026-09-01"}, {"notes", ""}});
    ASSERT_EQ(blank.status, 201) << blank.raw.body;
    EXPECT_EQ(blank.body["lines"].size(), 1u);
}

// invoice_drafts.cpp: dates are set by issuing; a draft edit naming one is NOT_UPDATABLE on it.
TEST_F(MutationSample, DraftDatesAreNotUpdatableAndTheErrorNamesTheField) {
    const std::string id = draft({line("1", "10.00")});
    auto due = call("PATCH", "/api/v1/invoices/" + id, billing, {{"due_date", "2026-12-01"}});
    EXPECT_EQ(due.status, 422) << due.raw.body;
    EXPECT_TRUE(has_error(due, "NOT_UPDATABLE", "due_date")) << due.raw.body;
    auto both = call("POST", "/api/v1/invoices", billing,
                     {{"client_id", client}, {"lines", {line("1", "1.00")}}, {"issue_date", "2026-09-01"}});
    EXPECT_TRUE(has_error(both, "NOT_UPDATABLE", "issue_date")) << both.raw.body;
}

// invoice_lifecycle.cpp: an invoice falls due after its engagement's payment terms, not the
// firm's default, when the two differ.
TEST_F(MutationSample, TheEngagementsPaymentTermsSetTheDueDate) {
    auto eng = call("POST", "/api/v1/engagements", firm.owner_token,
                    {{"client_id", client},
                     {"name", "Slow payer"},
                     {"pricing_mode", "hourly"},
                     {"hourly_rate", "100.00"},
                     {"start_date", "2026-09-01"},
                     {"end_date", "2026-12-31"},
                     {"payment_terms_days", 45}});
    ASSERT_EQ(eng.status, 201) << eng.raw.body;
    auto d = call("POST", "/api/v1/invoices", firm.owner_token,
                  {{"client_id", client}, {"engagement_id", eng.body["id"]}, {"lines", {line("1", "10.00")}}});
    ASSERT_EQ(d.status, 201) << d.raw.body;
    auto sent = issue(d.body["id"].get<std::string>());
    ASSERT_EQ(sent.status, 200) << sent.raw.body;
    EXPECT_EQ(sent.body["issue_date"], "2026-09-21");
    EXPECT_EQ(sent.body["due_date"], "2026-11-05");  // + 45 days, not the firm's 30
}

// firm_exit.cpp: the export list is the caller's firm's only.
TEST_F(MutationSample, ExportListsShowOnlyTheFirmsOwn) {
    Firm other = make_firm("other");
    auto theirs = call("POST", "/api/v1/firm/exports", other.owner_token, json::object());
    ASSERT_LT(theirs.status, 300) << theirs.raw.body;
    auto mine = call("POST", "/api/v1/firm/exports", firm.owner_token, json::object());
    ASSERT_LT(mine.status, 300) << mine.raw.body;
    auto list = call("GET", "/api/v1/firm/exports", firm.owner_token);
    ASSERT_EQ(list.status, 200) << list.raw.body;
    EXPECT_EQ(ids_of(list), std::vector<std::string>{mine.body["id"].get<std::string>()});
}

// operators.cpp: a status change moves only that firm and is audited with before and after;
// invoice_links.cpp: a suspended firm's links open nothing, and a link's payment list is that
// invoice's payments only.
TEST_F(MutationSample, SuspendingAFirmClosesItsLinksAndOnlyIt) {
    Firm other = make_firm("other");
    const std::string inv = issued("100.00");
    const std::string second = issued("40.00");
    ASSERT_EQ(call("POST", "/api/v1/invoices/" + second + "/payments", billing, {{"amount", "40.00"}, {"method", "cash"}})
                  .status,
              201);
    ASSERT_EQ(call("POST", "/api/v1/invoices/" + inv + "/payments", billing, {{"amount", "10.00"}, {"method", "cash"}})
                  .status,
              201);
    auto link = call("POST", "/api/v1/invoices/" + inv + "/links", billing, {{"expires_in_days", 7}});
    ASSERT_EQ(link.status, 201) << link.raw.body;
    const std::string token = link.body["url"].get<std::string>().substr(3);
    auto paid = call("GET", "/api/v1/public/invoices/" + token + "/payments");
    ASSERT_EQ(paid.status, 200) << paid.raw.body;
    ASSERT_EQ(paid.body["data"].size(), 1u) << "another invoice's payment listed";
    EXPECT_EQ(paid.body["data"][0]["amount"], "10.00");

    auto op = make_operator("op@platform.test");
    const json other_before = call("GET", "/api/v1/operator/firms/" + other.id, op).body["status"];
    ASSERT_TRUE(other_before.is_string());
    auto moved = call("POST", "/api/v1/operator/firms/" + firm.id + "/status", op, {{"status", "suspended"}, {"reason", "unpaid"}});
    ASSERT_EQ(moved.status, 200) << moved.raw.body;
    EXPECT_EQ(moved.body["status"], "suspended");
    EXPECT_EQ(call("GET", "/api/v1/operator/firms/" + other.id, op).body["status"], other_before)
        << "another firm's status changed too";
    EXPECT_EQ(call("GET", "/api/v1/public/invoices/" + token).status, 404);
    {
        storage::Transaction tx(db());
        auto statuses = tx.query("SELECT status FROM firms WHERE id <> ?", {firm.id});
        ASSERT_FALSE(statuses.empty());
        for (const auto& s : statuses) EXPECT_NE(s.str("status"), "suspended");
    }
    ASSERT_EQ(call("POST", "/api/v1/operator/firms/" + firm.id + "/status", op, {{"status", "active"}, {"reason", "paid"}})
                  .status,
              200);
    EXPECT_EQ(call("GET", "/api/v1/public/invoices/" + token).status, 200);
    auto audit = call("GET", "/api/v1/audit?action=firm.status", firm.owner_token);
    ASSERT_EQ(audit.body["data"].size(), 2u) << audit.raw.body;
    std::set<std::string> afters;
    for (const auto& e : audit.body["data"]) afters.insert(e["metadata"].value("after", ""));
    EXPECT_EQ(afters, (std::set<std::string>{"suspended", "active"}));
}

// memberships.cpp: each refused field is named; renaming a member whose account is this
// firm's alone is allowed.
TEST_F(MutationSample, MembershipEditsNameTheRefusedFieldAndRenameUnsharedAccounts) {
    const std::string staff_id = membership_of(staff);
    auto email = call("PATCH", "/api/v1/memberships/" + staff_id, firm.owner_token, {{"email", "new@acme.test"}});
    EXPECT_EQ(email.status, 422);
    EXPECT_TRUE(has_error(email, "NOT_UPDATABLE", "email")) << email.raw.body;
    auto password = call("PATCH", "/api/v1/memberships/" + staff_id, firm.owner_token, {{"password", "another pass 1"}});
    EXPECT_TRUE(has_error(password, "NOT_UPDATABLE", "password")) << password.raw.body;
    auto status = call("PATCH", "/api/v1/memberships/" + staff_id, firm.owner_token, {{"status", "paused"}});
    EXPECT_EQ(status.status, 422) << status.raw.body;
    EXPECT_TRUE(has_error(status, "INVALID_VALUE", "status")) << status.raw.body;
    EXPECT_EQ(call("GET", "/api/v1/memberships/" + staff_id, firm.owner_token).body["status"], "active");
    auto renamed = call("PATCH", "/api/v1/memberships/" + staff_id, firm.owner_token, {{"name", "Renamed Staff"}});
    ASSERT_EQ(renamed.status, 200) << renamed.raw.body;
    EXPECT_EQ(renamed.body["user"]["name"], "Renamed Staff");
}

// quotas.cpp: a firm's member quota counts its own active members, not other firms'.
TEST_F(MutationSample, MemberQuotaCountsOnlyTheFirmsOwnMembers) {
    Firm other = make_firm("other");
    for (int i = 0; i < 4; ++i) add_member(other, "staff", "o" + std::to_string(i) + "@other.test");
    // acme: owner, staff, billing = 3 of the starter plan's 5; other: 5 of 5.
    add_member(firm, "staff", "fourth@acme.test");
    auto fifth = call("POST", "/api/v1/memberships", firm.owner_token,
                      {{"email", "fifth@acme.test"}, {"name", "Fifth"}, {"role", "staff"}, {"password", kPassword}});
    EXPECT_EQ(fifth.status, 201) << fifth.raw.body;
    auto sixth = call("POST", "/api/v1/memberships", firm.owner_token,
                      {{"email", "sixth@acme.test"}, {"name", "Sixth"}, {"role", "staff"}, {"password", kPassword}});
    EXPECT_EQ(sixth.status, 409) << sixth.raw.body;
}

// payments.cpp: refunding a credit payment gives the credit back (its amount); a ledger
// pages by id; a granted credit records who asked for it.
TEST_F(MutationSample, CreditRefundsReturnTheCreditAndTheLedgerPages) {
    auto admin = add_member(firm, "admin", "admin@acme.test");
    const std::string admin_id = membership_of(admin);
    auto asked = call("POST", "/api/v1/clients/" + client + "/credits", firm.owner_token,
                      {{"kind", "goodwill"}, {"amount", "50.00"}, {"currency", "USD"}, {"reason", "Late"}, {"approved_by", admin_id}});
    ASSERT_EQ(asked.status, 202) << asked.raw.body;
    auto granted = call("POST", "/api/v1/credit-requests/" + asked.body["id"].get<std::string>() + "/approve", admin, json::object());
    ASSERT_EQ(granted.status, 201) << granted.raw.body;
    {
        storage::Transaction tx(db());
        auto row = tx.query_one("SELECT created_by, approved_by FROM credit_ledger WHERE firm_id = ? AND kind = 'goodwill'", {firm.id});
        ASSERT_TRUE(row);
        EXPECT_EQ(row->str("created_by"), firm.owner_membership_id);
        EXPECT_EQ(row->str("approved_by"), admin_id);
    }
    const std::string inv = issued("30.00");
    auto applied = call("POST", "/api/v1/invoices/" + inv + "/apply-credit", billing, {{"amount", "30.00"}});
    ASSERT_EQ(applied.status, 201) << applied.raw.body;
    const std::string payment = applied.body["id"];
    auto refund = call("POST", "/api/v1/payments/" + payment + "/refunds", billing, {{"amount", "30.00"}, {"reason", "undo"}});
    ASSERT_EQ(refund.status, 201) << refund.raw.body;
    auto ledger = call("GET", "/api/v1/clients/" + client + "/credits", billing);
    ASSERT_EQ(ledger.status, 200) << ledger.raw.body;
    EXPECT_EQ(ledger.body["balances"]["USD"], "50.00") << ledger.raw.body;
    const auto full = ids_of(ledger);
    ASSERT_EQ(full.size(), 3u) << ledger.raw.body;  // goodwill, applied, refund
    EXPECT_EQ(all_pages("/api/v1/clients/" + client + "/credits", billing, 1), full);
}

// portal.cpp: the portal's engagement list pages by id.
TEST_F(MutationSample, PortalEngagementsPageByCursor) {
    make_hourly_engagement(client, "2026-03-01");
    make_hourly_engagement(client, "2026-05-01");
    const std::string portal = make_portal_user(firm, client, "ap@globex.test");
    auto all = call("GET", "/api/v1/portal/engagements", portal);
    ASSERT_EQ(all.status, 200) << all.raw.body;
    const auto ids = ids_of(all);
    ASSERT_EQ(ids.size(), 3u);
    EXPECT_EQ(all_pages("/api/v1/portal/engagements", portal, 1), ids);
}

// common.cpp: a cursor of 100 characters is taken (it names nothing: an empty page); 101 is
// malformed.
TEST_F(MutationSample, CursorsUpToAHundredCharacters) {
    auto at = call("GET", "/api/v1/clients?cursor=" + std::string(100, 'z'), firm.owner_token);
    EXPECT_EQ(at.status, 200) << at.raw.body;
    auto over = call("GET", "/api/v1/clients?cursor=" + std::string(101, 'z'), firm.owner_token);
    EXPECT_EQ(over.status, 400);
    EXPECT_EQ(over.body["error"]["code"], "INVALID_PAGINATION");
}

// invoices.cpp: ?status=partial lists partly paid invoices (not the sent ones).
TEST_F(MutationSample, InvoiceStatusFilterPartial) {
    const std::string part = issued("100.00");
    const std::string sent = issued("80.00");
    ASSERT_EQ(call("POST", "/api/v1/invoices/" + part + "/payments", billing, {{"amount", "10.00"}, {"method", "cash"}}).status,
              201);
    auto partial = call("GET", "/api/v1/invoices?status=partial", billing);
    ASSERT_EQ(partial.status, 200) << partial.raw.body;
    EXPECT_EQ(ids_of(partial), std::vector<std::string>{part});
    EXPECT_EQ(ids_of(call("GET", "/api/v1/invoices?status=sent", billing)), std::vector<std::string>{sent});
}

// firms.cpp: "reason" on a settings change is a string (refused otherwise, taken when it is);
// the caller's firm list carries each firm's slug; snapshots are listed with their ids.
TEST_F(MutationSample, FirmSettingsReasonSlugsAndSnapshotIds) {
    auto bad = call("PATCH", "/api/v1/firm/settings", firm.owner_token, {{"name", "Acme Two"}, {"reason", 5}});
    EXPECT_EQ(bad.status, 422);
    EXPECT_TRUE(has_error(bad, "INVALID_TYPE", "reason")) << bad.raw.body;
    auto good = call("PATCH", "/api/v1/firm/settings", firm.owner_token, {{"name", "Acme Two"}, {"reason", "rebrand"}});
    ASSERT_EQ(good.status, 200) << good.raw.body;
    auto firms = call("GET", "/api/v1/firms", firm.owner_token);
    ASSERT_EQ(firms.status, 200);
    ASSERT_EQ(firms.body["data"].size(), 1u);
    EXPECT_EQ(firms.body["data"][0]["slug"], "acme");
    auto snaps = call("GET", "/api/v1/firm/settings/snapshots", firm.owner_token);
    ASSERT_EQ(snaps.status, 200) << snaps.raw.body;
    ASSERT_FALSE(snaps.body["data"].empty());
    for (const auto& s : snaps.body["data"]) {
        ASSERT_TRUE(s.contains("id")) << s.dump();
        EXPECT_EQ(s["id"].get<std::string>().rfind("snap", 0), 0u) << s.dump();
    }
}

// leads.cpp / crm_records.cpp: a lead takes its firm's currency; its timeline is its own; the
// create audit carries the record after; a decided proposal shows when.
TEST_F(MutationSample, LeadsKeepTheirFirmsCurrencyAndTheirOwnTimeline) {
    Firm other = make_firm("other");
    ASSERT_EQ(call("PATCH", "/api/v1/firm/settings", other.owner_token, {{"currency", "JPY"}}).status, 200);
    auto jpy = call("POST", "/api/v1/leads", other.owner_token, {{"company", "Yen Co"}, {"estimated_value", "18000"}});
    ASSERT_EQ(jpy.status, 201) << jpy.raw.body;
    EXPECT_EQ(jpy.body["currency"], "JPY");
    auto usd = call("POST", "/api/v1/leads", firm.owner_token, {{"company", "Dollar Co"}, {"estimated_value", "18000.00"}});
    ASSERT_EQ(usd.status, 201) << usd.raw.body;
    EXPECT_EQ(usd.body["currency"], "USD");

    auto a = make_pipeline(as(firm.owner_token), "Alpha");
    auto b = make_pipeline(as(firm.owner_token), "Beta");
    auto timeline = call("GET", "/api/v1/leads/" + a.lead + "/timeline", firm.owner_token);
    ASSERT_EQ(timeline.status, 200);
    // create, 2 moves, prospect, proposal, send, the prospect moved on by the send
    EXPECT_EQ(timeline.body["data"].size(), 7u) << timeline.raw.body;
    auto created = call("GET", "/api/v1/audit?action=lead.create", firm.owner_token);
    ASSERT_FALSE(created.body["data"].empty());
    for (const auto& e : created.body["data"]) {
        ASSERT_TRUE(e["metadata"].contains("after")) << e.dump();
        EXPECT_FALSE(e["metadata"]["after"].is_null());
    }
    EXPECT_TRUE(call("GET", "/api/v1/proposals/" + b.proposal, firm.owner_token).body["decided_at"].is_null());
    ASSERT_EQ(call("POST", "/api/v1/proposals/" + b.proposal + "/decline", firm.owner_token, json::object()).status, 200);
    auto declined = call("GET", "/api/v1/proposals/" + b.proposal, firm.owner_token);
    EXPECT_EQ(declined.body["status"], "declined");
    EXPECT_TRUE(declined.body["decided_at"].is_string()) << declined.raw.body;
    EXPECT_EQ(declined.body["total"], "19800.00");
}

// break_glass_banner.cpp: the banner names a break-glass session in the caller's own firm,
// never one in another firm.
TEST_F(MutationSample, BreakGlassBannerOnlyForTheFirmBeingAccessed) {
    Firm other = make_firm("other");
    auto op = make_operator("op@platform.test");
    auto bg = call("POST", "/api/v1/operator/break-glass", op, {{"firm_id", other.id}, {"reason", "support ticket"}});
    ASSERT_EQ(bg.status, 201) << bg.raw.body;
    EXPECT_TRUE(call("GET", "/api/v1/clients", other.owner_token).header("X-Break-Glass").has_value());
    EXPECT_FALSE(call("GET", "/api/v1/clients", firm.owner_token).header("X-Break-Glass").has_value());
}

// sessions.cpp: a break-glass token resolves its own session (not another one of the same
// firm), and its expiry closes that session only.
TEST_F(MutationSample, TwoBreakGlassSessionsOnOneFirmExpireApart) {
    auto op_a = make_operator("a@platform.test");
    auto op_b = make_operator("b@platform.test");
    // The longer one is opened first, so a lookup by firm alone would find it for both tokens.
    auto longer = call("POST", "/api/v1/operator/break-glass", op_b,
                       {{"firm_id", firm.id}, {"reason", "ticket 2"}, {"duration_minutes", 60}});
    ASSERT_EQ(longer.status, 201) << longer.raw.body;
    auto shorter = call("POST", "/api/v1/operator/break-glass", op_a,
                        {{"firm_id", firm.id}, {"reason", "ticket 1"}, {"duration_minutes", 5}});
    ASSERT_EQ(shorter.status, 201) << shorter.raw.body;
    clock->advance(5 * 60);
    auto closed = call("GET", "/api/v1/clients", shorter.body["token"].get<std::string>());
    EXPECT_EQ(closed.status, 401) << closed.raw.body;
    EXPECT_EQ(closed.body["error"]["code"], "BREAK_GLASS_CLOSED");
    EXPECT_EQ(call("GET", "/api/v1/clients", longer.body["token"].get<std::string>()).status, 200);
    storage::Transaction tx(db());
    EXPECT_EQ(tx.query_one("SELECT status FROM break_glass_sessions WHERE id = ?", {shorter.body["id"].get<std::string>()})
                  ->str("status"),
              "expired");
    EXPECT_EQ(tx.query_one("SELECT status FROM break_glass_sessions WHERE id = ?", {longer.body["id"].get<std::string>()})
                  ->str("status"),
              "active");
}

// auth.cpp: an impersonating break-glass session names the membership it acts as.
TEST_F(MutationSample, ImpersonationNamesTheMembership) {
    auto op = make_operator("op@platform.test");
    auto me = call("GET", "/api/v1/auth/me", billing);
    auto bg = call("POST", "/api/v1/operator/break-glass", op,
                   {{"firm_id", firm.id}, {"reason", "ticket 3"}, {"impersonate_user_id", me.body["user"]["id"]}});
    ASSERT_EQ(bg.status, 201) << bg.raw.body;
    auto who = call("GET", "/api/v1/auth/me", bg.body["token"].get<std::string>());
    ASSERT_EQ(who.status, 200) << who.raw.body;
    EXPECT_EQ(who.body["break_glass"]["impersonated_membership_id"], me.body["membership"]["id"]);
    EXPECT_EQ(who.body["break_glass"]["role"], "billing");
}

// sentry_sink.cpp: an envelope counts as sent on any 2xx answer (200 and 299 included) and
// not on 300 or 500.
TEST_F(MutationSample, SentryCountsEvery2xxAndNothingElse) {
    using namespace std::chrono_literals;
    for (int status : {200, 299, 300, 500}) {
        SCOPED_TRACE(status);
        std::mutex m;
        std::vector<int> answers{status, 200};  // the event under test, then a control one
        std::size_t received = 0;
        http::TestServer sentry([&](const http::Request&) {
            std::lock_guard lock(m);
            http::Response r;
            r.status = answers[std::min<std::size_t>(received, answers.size() - 1)];
            ++received;
            r.body = R"({"id":"x"})";
            return r;
        });
        server::SentrySink sink("http://publickey@127.0.0.1:" + std::to_string(sentry.port()) + "/42");
        for (int i = 0; i < 2; ++i) {
            server::CapturedError e;
            e.id = "err_" + std::to_string(i);
            e.request_id = "req_" + std::to_string(i);
            e.route = "/api/v1/clients";
            e.method = "GET";
            e.type = "http_500";
            sink.submit(e);
        }
        const std::size_t expected = (status >= 200 && status < 300) ? 2 : 1;
        for (int i = 0; i < 200; ++i) {
            {
                std::lock_guard lock(m);
                if (received >= 2 && sink.sent() >= expected) break;
            }
            std::this_thread::sleep_for(20ms);
        }
        std::this_thread::sleep_for(100ms);
        EXPECT_EQ(sink.sent(), expected);
    }
}

// metrics.cpp: both histograms keep every bucket boundary they document.
TEST_F(MutationSample, MetricsHistogramsKeepEveryBucket) {
    server::MetricsListener listener(app->metrics(), 0);
    call("GET", "/api/v1/clients", firm.owner_token);
    auto r = http::request(listener.port(), "GET", "/metrics");
    ASSERT_EQ(r.status, 200);
    auto buckets_of = [&](const std::string& metric) {
        std::set<double> out;
        std::istringstream in(r.body);
        std::string line;
        while (std::getline(in, line)) {
            if (line.rfind(metric + "_bucket{", 0) != 0) continue;
            auto le = line.find("le=\"");
            if (le == std::string::npos) continue;
            const std::string v = line.substr(le + 4, line.find('"', le + 4) - le - 4);
            if (v != "+Inf") out.insert(std::stod(v));
        }
        return out;
    };
    auto same = [](const std::set<double>& got, const std::vector<double>& want) {
        if (got.size() != want.size()) return false;
        auto g = got.begin();
        for (double w : want) {
            if (std::fabs(*g - w) > 1e-12) return false;
            ++g;
        }
        return true;
    };
    const auto storage = buckets_of("cp_storage_transaction_seconds");
    EXPECT_TRUE(same(storage, {0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1, 5}))
        << storage.size() << " storage buckets";
    const auto latency = buckets_of("cp_http_request_duration_seconds");
    EXPECT_TRUE(same(latency, {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5}))
        << latency.size() << " latency buckets";
}

// openapi.cpp: every operation is tagged with its resource, and query parameters are optional.
TEST_F(MutationSample, OpenApiTagsEveryOperationAndQueryParametersAreOptional) {
    auto doc = call("GET", "/api/v1/openapi.json");
    ASSERT_EQ(doc.status, 200);
    std::size_t operations = 0, query_params = 0;
    for (const auto& [path, methods] : doc.body["paths"].items()) {
        for (const auto& [method, op] : methods.items()) {
            if (!op.is_object() || !op.contains("responses")) continue;
            ++operations;
            ASSERT_TRUE(op.contains("tags")) << method << " " << path;
            ASSERT_EQ(op["tags"].size(), 1u) << method << " " << path;
            EXPECT_TRUE(op["tags"][0].is_string());
            for (const auto& p : op.value("parameters", json::array())) {
                if (p.value("in", "") != "query") continue;
                ++query_params;
                EXPECT_EQ(p["required"], false) << method << " " << path << " " << p.dump();
            }
        }
    }
    EXPECT_GT(operations, 100u);
    EXPECT_GT(query_params, 50u);
    EXPECT_EQ(doc.body["paths"]["/api/v1/clients"]["get"]["tags"][0], "client");
}

// routes.cpp: every route docs/api.md documents is served (the route table's rows are the
// API: a row lost from it is a documented endpoint gone). openapi_test checks the other way.
TEST_F(MutationSample, EveryDocumentedRouteIsInTheRouteTable) {
    auto root = std::filesystem::path(__FILE__).parent_path().parent_path().parent_path();
    std::ifstream in(root / "docs" / "api.md");
    ASSERT_TRUE(in) << root;
    std::set<std::string> served;
    for (const auto& r : server::route_table()) served.insert(std::string(r.method) + " " + r.pattern);
    std::string line;
    std::size_t documented = 0;
    while (std::getline(in, line)) {
        for (const char* m : {"GET", "POST", "PATCH", "PUT", "DELETE"}) {
            const std::string head = std::string("| ") + m + " | `";
            if (line.rfind(head, 0) != 0) continue;
            const auto end = line.find('`', head.size());
            ASSERT_NE(end, std::string::npos) << line;
            ++documented;
            const std::string route = std::string(m) + " " + line.substr(head.size(), end - head.size());
            EXPECT_TRUE(served.count(route)) << "documented but not served: " << route;
        }
    }
    EXPECT_EQ(documented, served.size());
}

// hourly_invoice.cpp: the generator bills the engagement in the path, not another of the firm.
TEST_F(MutationSample, HourlyInvoiceBillsTheEngagementInThePath) {
    const std::string second = make_hourly_engagement(client, "2026-06-01", "120.00");
    const std::string t = log_time(staff, "2.00", "2026-09-01", {{"engagement_id", second}});
    ASSERT_EQ(approve("time-entries", t, billing).status, 200);
    auto gen = call("POST", "/api/v1/engagements/" + second + "/hourly-invoice", billing,
                    {{"period_start", "2026-09-01"}, {"period_end", "2026-09-30"}});
    ASSERT_EQ(gen.status, 201) << gen.raw.body;
    EXPECT_EQ(gen.body["engagement_id"], second);
    EXPECT_EQ(gen.body["total"], "240.00");
    auto first = call("POST", "/api/v1/engagements/" + engagement + "/hourly-invoice", billing,
                      {{"period_start", "2026-09-01"}, {"period_end", "2026-09-30"}});
    EXPECT_EQ(first.status, 422);
    EXPECT_EQ(first.body["error"]["code"], "NOTHING_TO_BILL");
}

// invoice_records.cpp: rewriting one draft's lines leaves every other draft's lines alone.
TEST_F(MutationSample, EditingOneDraftsLinesKeepsTheOthers) {
    const std::string a = draft({line("1", "10.00"), line("2", "5.00")});
    const std::string b = draft({line("3", "7.00")});
    ASSERT_EQ(call("PATCH", "/api/v1/invoices/" + a, billing, {{"lines", {line("1", "99.00")}}}).status, 200);
    auto other = call("GET", "/api/v1/invoices/" + b, billing);
    ASSERT_EQ(other.body["lines"].size(), 1u) << other.raw.body;
    EXPECT_EQ(other.body["lines"][0]["quantity"], "3");
    EXPECT_EQ(call("GET", "/api/v1/invoices/" + a, billing).body["lines"].size(), 1u);
}

// prospects.cpp / proposals.cpp: a prospect's stage and a draft proposal's title can be edited.
TEST_F(MutationSample, ProspectsAndDraftProposalsCanBeEdited) {
    auto p = make_pipeline(as(firm.owner_token), "Editable", "2026-12-31", false);
    auto moved = call("PATCH", "/api/v1/prospects/" + p.prospect, firm.owner_token, {{"stage", "proposal"}});
    ASSERT_EQ(moved.status, 200) << moved.raw.body;
    EXPECT_EQ(moved.body["stage"], "proposal");
    auto retitled = call("PATCH", "/api/v1/proposals/" + p.proposal, firm.owner_token, {{"title", "Editable advisory v2"}});
    ASSERT_EQ(retitled.status, 200) << retitled.raw.body;
    EXPECT_EQ(retitled.body["title"], "Editable advisory v2");
    EXPECT_EQ(call("PATCH", "/api/v1/proposals/" + p.proposal, firm.owner_token, {{"title", ""}}).status, 422);
}

// reports.cpp: each revenue period row names its first and last day.
TEST_F(MutationSample, RevenueRowsNameTheirDays) {
    issued("100.00");
    auto r = call("GET", "/api/v1/reports/revenue?from=2026-08-01&to=2026-09-30", firm.owner_token);
    ASSERT_EQ(r.status, 200) << r.raw.body;
    const auto& periods = r.body["currencies"][0]["periods"];
    ASSERT_EQ(periods.size(), 2u);
    EXPECT_EQ(periods[0]["start"], "2026-08-01");
    EXPECT_EQ(periods[0]["end"], "2026-08-31");
    EXPECT_EQ(periods[1]["start"], "2026-09-01");
    EXPECT_EQ(periods[1]["end"], "2026-09-30");
    EXPECT_EQ(periods[1]["issued"], "100.00");
}

// auth.cpp: a login is audited on the firm's chain as auth.login (success); a wrong password
// as auth.login_failed (failure, WARNING) on the platform's chain.
TEST_F(MutationSample, LoginsAreAuditedByName) {
    auto count = [&](const std::string& action) {
        return call("GET", "/api/v1/audit?limit=200&action=" + action, firm.owner_token).body["data"].size();
    };
    auto failures = [&] {
        storage::Transaction tx(db());
        return tx.query("SELECT outcome, severity FROM audit_events WHERE action = 'auth.login_failed'", {});
    };
    const auto logins = count("auth.login");
    const auto failed_before = failures().size();
    login("staff@acme.test");
    EXPECT_EQ(count("auth.login"), logins + 1);
    EXPECT_EQ(call("POST", "/api/v1/auth/login", "", {{"email", "staff@acme.test"}, {"password", "wrong password"}}).status,
              401);
    auto failed = failures();
    ASSERT_EQ(failed.size(), failed_before + 1);
    EXPECT_EQ(failed.back().str("outcome"), "failure");
    EXPECT_EQ(failed.back().str("severity"), "WARNING");
}

// card_charge.cpp: a card payment is audited as payment.create in the BILLING category.
TEST_F(MutationSample, CardPaymentsAreAuditedAsBilling) {
    const std::string inv = issued("25.00");
    auto paid = call("POST", "/api/v1/invoices/" + inv + "/payments", billing,
                     {{"amount", "25.00"}, {"method", "card"}, {"payment_method", "pm_card_visa"}});
    ASSERT_EQ(paid.status, 201) << paid.raw.body;
    auto audit = call("GET", "/api/v1/audit?category=BILLING&action=payment.create", firm.owner_token);
    ASSERT_EQ(audit.body["data"].size(), 1u) << audit.raw.body;
    EXPECT_EQ(audit.body["data"][0]["category"], "BILLING");
    EXPECT_EQ(audit.body["data"][0]["target"]["id"], paid.body["id"]);
}

// engagements.cpp: a page holds at most `limit` items, and the pages together are the list.
TEST_F(MutationSample, EngagementPagesHoldAtMostLimitItems) {
    for (const char* start : {"2026-02-01", "2026-03-01", "2026-04-01"}) make_hourly_engagement(client, start);
    auto all = call("GET", "/api/v1/engagements?limit=50", firm.owner_token);
    ASSERT_EQ(all.status, 200);
    const auto ids = ids_of(all);
    ASSERT_EQ(ids.size(), 4u);
    auto first = call("GET", "/api/v1/engagements?limit=1", firm.owner_token);
    EXPECT_EQ(first.body["data"].size(), 1u) << first.raw.body;
    EXPECT_TRUE(first.body["has_more"]);
    auto two = call("GET", "/api/v1/engagements?limit=2", firm.owner_token);
    EXPECT_EQ(two.body["data"].size(), 2u) << two.raw.body;
    EXPECT_EQ(all_pages("/api/v1/engagements", firm.owner_token, 1), ids);
    EXPECT_TRUE(std::is_sorted(ids.begin(), ids.end()));
}

// invoices.cpp (invoice_with_lines): the portal's single invoice carries its lines.
TEST_F(MutationSample, PortalInvoiceCarriesItsLines) {
    const std::string portal = make_portal_user(firm, client, "ap@globex.test");
    const std::string id = draft({line("2", "10.00"), line("1", "5.00")});
    ASSERT_EQ(issue(id).status, 200);
    auto one = call("GET", "/api/v1/portal/invoices/" + id, portal);
    ASSERT_EQ(one.status, 200) << one.raw.body;
    ASSERT_TRUE(one.body.contains("lines")) << one.raw.body;
    EXPECT_EQ(one.body["lines"].size(), 2u);
}

}  // namespace
}  // namespace cp::test
