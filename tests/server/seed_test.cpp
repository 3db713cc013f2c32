// The demo seed: runs once on an empty database, its logins work, and its invoice totals
// are the core's (a preview of the same lines gives the same numbers).
#include <set>

#include "server/seed/demo_seed.hpp"
#include "tests/server/support.hpp"

namespace cp::test {
namespace {

class Seed : public ServerTest {};

TEST_F(Seed, SeedsOnceAndLoginsWork) {
    auto logins = server::seed_demo_if_empty(db(), clock->now(), config.passwords);
    ASSERT_EQ(logins.size(), 6u);
    EXPECT_TRUE(server::seed_demo_if_empty(db(), clock->now(), config.passwords).empty());
    auto owner = login("owner@demo.test", server::kDemoPassword);
    auto billing = login("billing@demo.test", server::kDemoPassword);
    auto portal = login("client@demo.test", server::kDemoPassword);
    auto op = login("operator@demo.test", server::kDemoPassword, {{"kind", "operator"}});
    EXPECT_EQ(call("GET", "/api/v1/invoices", billing).body["data"].size(), 7u);  // 5 for Northwind, 2 for the autopay clients (Billing III)
    auto portal_list = call("GET", "/api/v1/portal/invoices", portal);
    EXPECT_EQ(portal_list.body["data"].size(), 4u);  // no draft
    for (const auto& inv : portal_list.body["data"]) EXPECT_NE(inv["status"], "draft");
    EXPECT_EQ(call("GET", "/api/v1/operator/firms", op).body["data"].size(), 2u);  // demo and partner
    EXPECT_TRUE(call("GET", "/api/v1/audit/verify", owner).body["ok"]);
}

// partner@demo.test is the demo's account in two firms: login asks which, switch-firm moves.
TEST_F(Seed, ThePartnerAccountBelongsToTwoFirms) {
    server::seed_demo_if_empty(db(), clock->now(), config.passwords);
    auto choose = call("POST", "/api/v1/auth/login", "",
                       {{"email", "partner@demo.test"}, {"password", server::kDemoPassword}});
    ASSERT_EQ(choose.status, 409) << choose.raw.body;
    ASSERT_EQ(choose.body["firms"].size(), 2u);
    auto demo = login("partner@demo.test", server::kDemoPassword, {{"firm", "demo"}});
    auto firms = call("GET", "/api/v1/firms", demo);
    ASSERT_EQ(firms.body["data"].size(), 2u) << firms.raw.body;
    auto moved = call("POST", "/api/v1/auth/switch-firm", demo, {{"firm", "partner"}});
    ASSERT_EQ(moved.status, 200) << moved.raw.body;
    EXPECT_EQ(moved.body["membership"]["role"], "owner");
    const std::string partner = moved.body["token"];
    auto clients = call("GET", "/api/v1/clients", partner);
    ASSERT_EQ(clients.body["data"].size(), 1u);
    EXPECT_EQ(clients.body["data"][0]["company_name"], "Thames Logistics");
    EXPECT_TRUE(call("GET", "/api/v1/audit/verify", partner).body["ok"]);
    // The single-firm demo logins are unchanged.
    EXPECT_FALSE(login("owner@demo.test", server::kDemoPassword).empty());
}

// Issue 14's "done when": a person takes the demo lead to an accepted proposal (here the
// client accepts through the signed link) and finds the new client and engagement ready.
TEST_F(Seed, TheDemoLeadBecomesAClientWithAnEngagementToBill) {
    server::seed_demo_if_empty(db(), clock->now(), config.passwords);
    auto owner = login("owner@demo.test", server::kDemoPassword);
    auto leads = call("GET", "/api/v1/leads?status=new", owner);
    ASSERT_EQ(leads.body["data"].size(), 1u) << leads.raw.body;
    const std::string lead = leads.body["data"][0]["id"];
    EXPECT_EQ(leads.body["data"][0]["company"], "Contoso Advisory");
    ASSERT_EQ(call("PATCH", "/api/v1/leads/" + lead, owner, {{"status", "contacted"}}).status, 200);
    ASSERT_EQ(call("PATCH", "/api/v1/leads/" + lead, owner, {{"status", "qualified"}}).status, 200);
    auto prospect = call("POST", "/api/v1/leads/" + lead + "/convert", owner, {{"expected_close_date", "2026-10-31"}});
    ASSERT_EQ(prospect.status, 201) << prospect.raw.body;
    auto proposal = call("POST", "/api/v1/proposals", owner,
                         {{"prospect_id", prospect.body["id"]},
                          {"title", "Finance package"},
                          {"expires_on", "2026-10-31"},
                          {"pricing_mode", "package"},
                          {"package_fee", "2000.00"},
                          {"schedule", "monthly"},
                          {"start_date", "2026-10-01"},
                          {"lines",
                           {{{"kind", "package_fee"}, {"description", "Monthly finance package"}, {"quantity", "12"},
                             {"unit_price", "2000.00"}, {"tax_rate", "0"}}}}});
    ASSERT_EQ(proposal.status, 201) << proposal.raw.body;
    const std::string id = proposal.body["id"];
    ASSERT_EQ(call("POST", "/api/v1/proposals/" + id + "/send", owner, json::object()).status, 200);
    auto link = call("POST", "/api/v1/proposals/" + id + "/links", owner, json::object());
    ASSERT_EQ(link.status, 201) << link.raw.body;
    auto accepted = call("POST", link.body["url"].get<std::string>() + "/accept", "", json::object());
    ASSERT_EQ(accepted.status, 201) << accepted.raw.body;
    EXPECT_EQ(accepted.body["accepted_by"], "carla@contoso.test");  // the lead's contact
    auto clients = call("GET", "/api/v1/clients?q=Contoso", owner);
    ASSERT_EQ(clients.body["data"].size(), 1u) << clients.raw.body;
    auto engagements =
        call("GET", "/api/v1/engagements?client_id=" + clients.body["data"][0]["id"].get<std::string>(), owner);
    ASSERT_EQ(engagements.body["data"].size(), 1u);
    EXPECT_EQ(engagements.body["data"][0]["status"], "current");
    EXPECT_EQ(engagements.body["data"][0]["package_fee"], "2000.00");
    clock->set(1'790'942'400);  // 2026-10-02T12:00Z: October's fee can be billed
    owner = login("owner@demo.test", server::kDemoPassword);
    auto dry = call("POST", "/api/v1/billing/package-run", owner, {{"date", "2026-10-01"}, {"dry_run", true}});
    ASSERT_EQ(dry.status, 200) << dry.raw.body;
    bool billed = false;
    for (const auto& inv : dry.body["invoices"])
        billed = billed || inv["engagement_id"] == engagements.body["data"][0]["id"];
    EXPECT_TRUE(billed) << dry.raw.body;
    EXPECT_TRUE(call("GET", "/api/v1/audit/verify", owner).body["ok"]);
}

TEST_F(Seed, InvoiceTotalsMatchTheCorePreview) {
    server::seed_demo_if_empty(db(), clock->now(), config.passwords);
    auto owner = login("owner@demo.test", server::kDemoPassword);
    auto list = call("GET", "/api/v1/invoices?limit=200", owner);
    std::set<std::string> statuses;
    for (const auto& summary : list.body["data"]) {
        statuses.insert(summary["status"].get<std::string>());
        auto inv = call("GET", "/api/v1/invoices/" + summary["id"].get<std::string>(), owner).body;
        json draft{{"currency", inv["currency"]},
                   {"tax_mode", inv["tax_mode"]},
                   {"amount_paid", inv["amount_paid"]},
                   {"lines", json::array()}};
        for (const auto& l : inv["lines"]) {
            draft["lines"].push_back({{"kind", l["kind"]},
                                      {"description", l["description"]},
                                      {"quantity", l["quantity"]},
                                      {"unit_price", l["unit_price"]},
                                      {"tax_rate", l["tax_rate"]}});
        }
        auto preview = call("POST", "/api/v1/invoices/preview", owner, draft);
        ASSERT_EQ(preview.status, 200) << preview.raw.body;
        for (const char* k : {"subtotal", "tax", "total", "amount_paid", "balance_due"}) {
            EXPECT_EQ(preview.body[k], inv[k]) << k << " of " << inv["number"];
        }
        for (std::size_t i = 0; i < inv["lines"].size(); ++i) {
            EXPECT_EQ(preview.body["lines"][i]["amount"], inv["lines"][i]["amount"]);
        }
    }
    // The partial INV-0003 was due 2026-07-31: on this clock (2026-09-21) it is reported
    // overdue, computed on read in the client's zone.
    EXPECT_EQ(statuses, (std::set<std::string>{"draft", "sent", "paid", "overdue"}));
    auto overdue = call("GET", "/api/v1/invoices?status=overdue", owner);
    ASSERT_EQ(overdue.body["data"].size(), 2u) << overdue.raw.body;
    EXPECT_EQ(call("GET", "/api/v1/invoices?status=partial", owner).body["data"].size(), 0u);
}

// The "done when" on the demo data: staff logs time, billing approves it, the hourly
// invoice is generated and issued with a number, due date and totals, and then frozen.
TEST_F(Seed, DemoStaffTimeBecomesAnIssuedInvoice) {
    server::seed_demo_if_empty(db(), clock->now(), config.passwords);
    auto staff = login("staff@demo.test", server::kDemoPassword);
    auto billing = login("billing@demo.test", server::kDemoPassword);
    auto engagements = call("GET", "/api/v1/engagements", billing);
    ASSERT_EQ(engagements.body["data"].size(), 1u);
    const std::string engagement = engagements.body["data"][0]["id"];
    auto entry = call(
        "POST", "/api/v1/time-entries", staff,
        {{"engagement_id", engagement}, {"date", "2026-09-15"}, {"hours", "2.50"}, {"description", "Close"}});
    ASSERT_EQ(entry.status, 201) << entry.raw.body;
    ASSERT_EQ(call("POST", "/api/v1/time-entries/" + entry.body["id"].get<std::string>() + "/approve",
                   billing, json::object())
                  .status,
              200);
    auto draft = call("POST", "/api/v1/engagements/" + engagement + "/hourly-invoice", billing,
                      {{"period_start", "2026-09-01"}, {"period_end", "2026-09-30"}});
    ASSERT_EQ(draft.status, 201) << draft.raw.body;
    auto issued = call("POST", "/api/v1/invoices/" + draft.body["id"].get<std::string>() + "/issue", billing,
                       json::object());
    ASSERT_EQ(issued.status, 200) << issued.raw.body;
    EXPECT_EQ(issued.body["number"], "INV-2026-00001");
    EXPECT_EQ(issued.body["due_date"], "2026-10-21");
    EXPECT_EQ(issued.body["total"], "375.00");
    EXPECT_EQ(
        call("PATCH", "/api/v1/invoices/" + draft.body["id"].get<std::string>(), billing, {{"notes", "x"}})
            .body["error"]["code"],
        "INVOICE_IMMUTABLE");
}

}  // namespace
}  // namespace cp::test
