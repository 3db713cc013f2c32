// Defects found by a black-box probe of the billing API after Billing I–III landed; each
// test failed before its fix.
#include "tests/server/billing_support.hpp"

namespace cp::test {
namespace {

class ProbeRegressions : public BillingTest {};

// Dropping a line's time_entry_id in a PATCH used to release the entry (billable again)
// while keeping its amount as a typed-in time line: the same hours billed twice.
TEST_F(ProbeRegressions, TimeAndExpenseLinesCannotLoseTheirEntry) {
    const std::string entry = log_time(staff, "24.00", "2026-09-01");
    ASSERT_EQ(approve("time-entries", entry, billing).status, 200);
    auto gen = call("POST", "/api/v1/engagements/" + engagement + "/hourly-invoice", billing,
                    {{"period_start", "2026-09-01"}, {"period_end", "2026-09-30"}});
    ASSERT_EQ(gen.status, 201) << gen.raw.body;
    json lines = gen.body["lines"];
    for (auto& l : lines) {
        l.erase("amount");
        l.erase("time_entry_id");
    }
    auto patched = call("PATCH", "/api/v1/invoices/" + gen.body["id"].get<std::string>(), billing, {{"lines", lines}});
    EXPECT_EQ(patched.status, 422) << patched.raw.body;
    EXPECT_EQ(patched.body["error"]["code"], "ENTRY_REQUIRED");
    EXPECT_EQ(patched.body["error"]["field"], "lines[0].time_entry_id");
    EXPECT_EQ(call("GET", "/api/v1/time-entries/" + entry, billing).body["invoice_id"], gen.body["id"]);
    auto again = call("POST", "/api/v1/engagements/" + engagement + "/hourly-invoice", billing,
                      {{"period_start", "2026-09-01"}, {"period_end", "2026-09-30"}});
    EXPECT_EQ(again.status, 422);
    EXPECT_EQ(again.body["error"]["code"], "NOTHING_TO_BILL");
    // Typed-in time (no approval behind it) is refused on a new draft too; an adjustment is fine.
    auto typed = call("POST", "/api/v1/invoices", firm.owner_token,
                      {{"client_id", client}, {"lines", {line("24", "150.00", "0", "time")}}});
    EXPECT_EQ(typed.status, 422);
    EXPECT_EQ(typed.body["error"]["code"], "ENTRY_REQUIRED");
    auto expense = call("POST", "/api/v1/invoices", firm.owner_token,
                        {{"client_id", client}, {"lines", {line("1", "99.00", "0", "expense")}}});
    EXPECT_EQ(expense.body["error"]["code"], "ENTRY_REQUIRED");
    EXPECT_EQ(call("POST", "/api/v1/invoices", firm.owner_token,
                   {{"client_id", client}, {"lines", {line("24", "150.00")}}})
                  .status,
              201);
}

// An approver who could edit someone else's hours and then approve them approved their own
// numbers: only the author changes or deletes an entry.
TEST_F(ProbeRegressions, OnlyTheAuthorEditsOrDeletesAnEntry) {
    const std::string entry = log_time(staff, "2.00");
    auto edited = call("PATCH", "/api/v1/time-entries/" + entry, billing, {{"hours", "20"}, {"rate", "500.00"}});
    EXPECT_EQ(edited.status, 403);
    EXPECT_EQ(edited.body["error"]["code"], "NOT_AUTHOR");
    EXPECT_EQ(call("DELETE", "/api/v1/time-entries/" + entry, firm.owner_token).status, 403);
    EXPECT_EQ(call("GET", "/api/v1/time-entries/" + entry, billing).body["hours"], "2.00");
    EXPECT_EQ(call("PATCH", "/api/v1/time-entries/" + entry, staff, {{"hours", "3"}}).status, 200);
    auto ex = call("POST", "/api/v1/expenses", staff,
                   {{"engagement_id", engagement}, {"date", "2026-09-05"}, {"amount", "10.00"},
                    {"markup_percent", "0"}, {"description", "Taxi"}});
    ASSERT_EQ(ex.status, 201) << ex.raw.body;
    EXPECT_EQ(call("PATCH", "/api/v1/expenses/" + ex.body["id"].get<std::string>(), billing, {{"amount", "999.00"}})
                  .body["error"]["code"],
              "NOT_AUTHOR");
}

// The firm's reasons (override, void) are not the client's to read.
TEST_F(ProbeRegressions, ThePortalDoesNotShowInternalReasons) {
    auto created = call("POST", "/api/v1/invoices", firm.owner_token,
                        {{"client_id", client},
                         {"engagement_id", nullptr},
                         {"engagement_override_reason", "INTERNAL: pad this one"},
                         {"lines", {line("1", "100.00")}}});
    ASSERT_EQ(created.status, 201) << created.raw.body;
    const std::string id = created.body["id"];
    ASSERT_EQ(issue(id).status, 200);
    auto portal = make_portal_user(firm, client, "ap@globex.test");
    auto seen = call("GET", "/api/v1/portal/invoices/" + id, portal);
    ASSERT_EQ(seen.status, 200) << seen.raw.body;
    EXPECT_FALSE(seen.body.contains("engagement_override_reason"));
    EXPECT_FALSE(seen.body.contains("void_reason"));
    EXPECT_EQ(seen.raw.body.find("INTERNAL"), std::string::npos);
    auto list = call("GET", "/api/v1/portal/invoices", portal);
    EXPECT_EQ(list.raw.body.find("INTERNAL"), std::string::npos);
    EXPECT_EQ(call("GET", "/api/v1/invoices/" + id, firm.owner_token).body["engagement_override_reason"],
              "INTERNAL: pad this one");
}

// A run dated after today issued post-dated invoices that clients saw at once.
TEST_F(ProbeRegressions, ThePackageRunRefusesAFutureDate) {
    auto r = call("POST", "/api/v1/billing/package-run", firm.owner_token, {{"date", "2099-01-01"}});
    EXPECT_EQ(r.status, 422) << r.raw.body;
    EXPECT_EQ(r.body["error"]["code"], "DATE_IN_FUTURE");
    EXPECT_EQ(call("POST", "/api/v1/billing/package-run", firm.owner_token, {{"dry_run", true}}).status, 200);
}

// Crediting a paid invoice used to leave balance_due -10.00 with no client credit anywhere.
TEST_F(ProbeRegressions, CreditingAPaidAmountBecomesClientCredit) {
    const std::string id = draft({line("1", "50.00")});
    ASSERT_EQ(issue(id).status, 200);
    auto paid = call("POST", "/api/v1/invoices/" + id + "/payments", billing, {{"amount", "50.00"}, {"method", "cash"}});
    ASSERT_EQ(paid.status, 201) << paid.raw.body;
    auto note = call("POST", "/api/v1/invoices/" + id + "/credit-notes", firm.owner_token,
                     {{"reason", "Returned goods"}, {"lines", {line("1", "10.00")}}});
    ASSERT_EQ(note.status, 201) << note.raw.body;
    auto inv = call("GET", "/api/v1/invoices/" + id, firm.owner_token);
    EXPECT_EQ(inv.body["balance_due"], "0.00");
    EXPECT_EQ(inv.body["amount_paid"], "40.00");
    EXPECT_EQ(inv.body["amount_credited"], "10.00");
    EXPECT_EQ(inv.body["status"], "paid");
    auto credits = call("GET", "/api/v1/clients/" + client + "/credits", firm.owner_token);
    ASSERT_EQ(credits.status, 200);
    EXPECT_NE(credits.raw.body.find("\"10.00\""), std::string::npos) << credits.raw.body;
    // An unpaid invoice credited keeps the plain rule: less to pay, no client credit.
    const std::string open = draft({line("1", "50.00")});
    ASSERT_EQ(issue(open).status, 200);
    ASSERT_EQ(call("POST", "/api/v1/invoices/" + open + "/credit-notes", firm.owner_token,
                   {{"reason", "r"}, {"lines", {line("1", "10.00")}}})
                  .status,
              201);
    EXPECT_EQ(call("GET", "/api/v1/invoices/" + open, firm.owner_token).body["balance_due"], "40.00");
}

}  // namespace
}  // namespace cp::test
