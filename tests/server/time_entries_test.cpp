// Time entries and expenses behind approval gates, and the hourly invoice built from them.
#include <algorithm>

#include "server/http/transport.hpp"
#include "tests/server/billing_support.hpp"

namespace cp::test {
namespace {

class TimeEntries : public BillingTest {};

TEST_F(TimeEntries, CreateChecksHoursDatesAndDefaultsTheRate) {
    auto r = call(
        "POST", "/api/v1/time-entries", staff,
        {{"engagement_id", engagement}, {"date", "2026-09-21"}, {"hours", "1.25"}, {"description", "Call"}});
    ASSERT_EQ(r.status, 201) << r.raw.body;
    EXPECT_EQ(r.body["rate"], "150.00");
    EXPECT_EQ(r.body["hours"], "1.25");
    EXPECT_EQ(r.body["status"], "unapproved");
    EXPECT_EQ(r.body["billable"], true);
    auto code = [&](json body) {
        body["engagement_id"] = engagement;
        if (!body.contains("date")) body["date"] = "2026-09-01";
        auto reply = call("POST", "/api/v1/time-entries", staff, body);
        EXPECT_EQ(reply.status, 422) << body.dump();
        return reply.body["error"]["code"].get<std::string>() + "@" +
               reply.body["error"]["field"].get<std::string>();
    };
    EXPECT_EQ(code({{"hours", "0"}}), "OUT_OF_RANGE@hours");
    EXPECT_EQ(code({{"hours", "24.01"}}), "OUT_OF_RANGE@hours");
    EXPECT_EQ(code({{"hours", "1.005"}}), "TOO_MANY_DECIMALS@hours");
    EXPECT_EQ(code({{"hours", 1.5}}), "INVALID_TYPE@hours");
    EXPECT_EQ(code({{"hours", "1"}, {"date", "2026-09-22"}}), "DATE_IN_FUTURE@date");  // tomorrow in New York
    EXPECT_EQ(code({{"hours", "1"}, {"date", "2025-12-31"}}), "DATE_OUTSIDE_ENGAGEMENT@date");
    EXPECT_EQ(code({{"hours", "1"}, {"rate", "-1"}}), "OUT_OF_RANGE@rate");
    EXPECT_EQ(
        call("POST", "/api/v1/time-entries", staff,
             {{"engagement_id", "eng_000000000000000000000000"}, {"date", "2026-09-01"}, {"hours", "1"}})
            .status,
        404);
}

TEST_F(TimeEntries, NobodyApprovesTheirOwnAndOnlyApproversApprove) {
    const std::string own = log_time(billing, "2.00");
    auto self = approve("time-entries", own, billing);
    EXPECT_EQ(self.status, 403);
    EXPECT_EQ(self.body["error"]["code"], "SELF_APPROVAL");
    const std::string mine = log_time(staff, "1.00");
    auto as_staff = approve("time-entries", mine, staff);
    EXPECT_EQ(as_staff.status, 403);
    EXPECT_EQ(as_staff.body["error"]["code"], "FORBIDDEN");
    auto ok = approve("time-entries", own, firm.owner_token);
    ASSERT_EQ(ok.status, 200) << ok.raw.body;
    EXPECT_EQ(ok.body["status"], "approved");
    EXPECT_NE(ok.body["approved_by"], nullptr);
    auto un = call("POST", "/api/v1/time-entries/" + own + "/unapprove", firm.owner_token, json::object());
    EXPECT_EQ(un.body["status"], "unapproved");
    auto actions = audit_actions();
    EXPECT_NE(std::find(actions.begin(), actions.end(), "time_entry.approve"), actions.end());
    EXPECT_NE(std::find(actions.begin(), actions.end(), "time_entry.unapprove"), actions.end());
}

TEST_F(TimeEntries, BulkApprovalIsAllOrNothing) {
    const std::string a = log_time(staff, "1.00"), b = log_time(staff, "2.00"),
                      own = log_time(billing, "3.00");
    auto refused = call("POST", "/api/v1/time-entries/approve", billing, {{"ids", {a, b, own}}});
    EXPECT_EQ(refused.status, 403);
    EXPECT_EQ(refused.body["error"]["code"], "SELF_APPROVAL");
    EXPECT_EQ(refused.body["error"]["field"], "ids[2]");
    EXPECT_EQ(call("GET", "/api/v1/time-entries/" + a, billing).body["status"], "unapproved");
    auto missing =
        call("POST", "/api/v1/time-entries/approve", billing, {{"ids", {a, "te_000000000000000000000000"}}});
    EXPECT_EQ(missing.status, 404);
    EXPECT_EQ(call("GET", "/api/v1/time-entries/" + a, billing).body["status"], "unapproved");
    EXPECT_EQ(call("POST", "/api/v1/time-entries/approve", billing, {{"ids", json::array()}}).status, 422);
    auto ok = call("POST", "/api/v1/time-entries/approve", billing, {{"ids", {a, b}}});
    ASSERT_EQ(ok.status, 200) << ok.raw.body;
    ASSERT_EQ(ok.body["data"].size(), 2u);
    for (const auto& e : ok.body["data"]) EXPECT_EQ(e["status"], "approved");
}

TEST_F(TimeEntries, StaffSeeOnlyTheirOwn) {
    const std::string other_staff = add_member(firm, "staff", "other@acme.test");
    const std::string mine = log_time(staff, "1.00");
    const std::string theirs = log_time(other_staff, "1.00");
    auto list = call("GET", "/api/v1/time-entries", staff);
    ASSERT_EQ(list.body["data"].size(), 1u);
    EXPECT_EQ(list.body["data"][0]["id"], mine);
    EXPECT_EQ(call("GET", "/api/v1/time-entries/" + theirs, staff).status, 404);
    EXPECT_EQ(call("PATCH", "/api/v1/time-entries/" + theirs, staff, {{"hours", "2"}}).status, 404);
    EXPECT_EQ(call("GET", "/api/v1/time-entries", billing).body["data"].size(), 2u);
    EXPECT_EQ(call("GET", "/api/v1/time-entries?status=unapproved", billing).body["data"].size(), 2u);
}

TEST_F(TimeEntries, HourlyInvoiceBillsApprovedTimeAndFreezesIt) {
    const std::string a = log_time(staff, "1.33", "2026-09-01", {{"rate", "133.33"}});  // 177.3289 -> 177.33
    const std::string b = log_time(staff, "2.00", "2026-09-02");
    const std::string unapproved = log_time(staff, "5.00", "2026-09-03");
    const std::string unbillable = log_time(staff, "1.00", "2026-09-04", {{"billable", false}});
    const std::string outside = log_time(staff, "1.00", "2026-08-31");
    auto ex = call("POST", "/api/v1/expenses", staff,
                   {{"engagement_id", engagement},
                    {"date", "2026-09-05"},
                    {"amount", "100.00"},
                    {"markup_percent", "15"},
                    {"description", "Train"},
                    {"receipt_ref", "rcpt-77"}});
    ASSERT_EQ(ex.status, 201) << ex.raw.body;
    const std::string expense = ex.body["id"];
    for (const auto& id : {a, b, unbillable, outside})
        ASSERT_EQ(approve("time-entries", id, billing).status, 200);
    ASSERT_EQ(approve("expenses", expense, billing).status, 200);

    const std::string path = "/api/v1/engagements/" + engagement + "/hourly-invoice";
    const json period{{"period_start", "2026-09-01"}, {"period_end", "2026-09-30"}};
    auto gen = call("POST", path, billing, period);
    ASSERT_EQ(gen.status, 201) << gen.raw.body;
    ASSERT_EQ(gen.body["lines"].size(), 3u);
    EXPECT_EQ(gen.body["lines"][0]["kind"], "time");
    EXPECT_EQ(gen.body["lines"][0]["time_entry_id"], a);
    EXPECT_EQ(gen.body["lines"][0]["amount"], "177.33");
    EXPECT_EQ(gen.body["lines"][1]["amount"], "300.00");
    EXPECT_EQ(gen.body["lines"][2]["kind"], "expense");
    EXPECT_EQ(gen.body["lines"][2]["amount"], "115.00");
    EXPECT_EQ(gen.body["total"], "592.33");
    EXPECT_EQ(gen.body["engagement_id"], engagement);
    const std::string draft_id = gen.body["id"];
    EXPECT_EQ(call("GET", "/api/v1/time-entries/" + a, billing).body["invoice_id"], draft_id);
    // Taken by the draft: nothing left to bill, and the entry cannot change under it.
    auto nothing = call("POST", path, billing, period);
    EXPECT_EQ(nothing.status, 422);
    EXPECT_EQ(nothing.body["error"]["code"], "NOTHING_TO_BILL");
    EXPECT_EQ(call("PATCH", "/api/v1/time-entries/" + a, staff, {{"hours", "9"}}).body["error"]["code"],
              "ENTRY_ON_DRAFT");
    // A draft's line keeps the entry's quantity; another draft cannot take it.
    json lines = gen.body["lines"];
    for (auto& l : lines) l.erase("amount");
    lines[0]["quantity"] = "2";
    EXPECT_EQ(
        call("PATCH", "/api/v1/invoices/" + draft_id, billing, {{"lines", lines}}).body["error"]["code"],
        "LINE_MISMATCH");
    auto steal = call("POST", "/api/v1/invoices", billing,
                      {{"client_id", client},
                       {"lines",
                        {{{"kind", "time"},
                          {"quantity", "1.33"},
                          {"unit_price", "133.33"},
                          {"tax_rate", "0"},
                          {"time_entry_id", a}}}}});
    EXPECT_EQ(steal.body["error"]["code"], "ENTRY_NOT_AVAILABLE");

    // Deleting the draft releases the entries; generating again takes them again.
    ASSERT_EQ(call("DELETE", "/api/v1/invoices/" + draft_id, billing).status, 204);
    EXPECT_EQ(call("GET", "/api/v1/time-entries/" + a, billing).body["invoice_id"], nullptr);
    auto again = call("POST", path, billing, period);
    ASSERT_EQ(again.status, 201);
    const std::string inv = again.body["id"];

    // Issuing re-checks approval.
    ASSERT_EQ(call("POST", "/api/v1/time-entries/" + b + "/unapprove", billing, json::object()).status, 200);
    auto refused = issue(inv);
    EXPECT_EQ(refused.status, 422);
    EXPECT_EQ(refused.body["error"]["code"], "ENTRY_NOT_APPROVED");
    EXPECT_EQ(refused.body["error"]["field"], "lines[1].time_entry_id");
    ASSERT_EQ(approve("time-entries", b, billing).status, 200);
    auto issued = issue(inv);
    ASSERT_EQ(issued.status, 200) << issued.raw.body;

    // Frozen once invoiced.
    EXPECT_EQ(call("GET", "/api/v1/time-entries/" + a, billing).body["status"], "invoiced");
    for (const auto& [method, suffix, body] :
         std::vector<std::tuple<std::string, std::string, json>>{{"PATCH", "", {{"hours", "9"}}},
                                                                 {"DELETE", "", nullptr},
                                                                 {"POST", "/unapprove", json::object()},
                                                                 {"POST", "/approve", json::object()}}) {
        auto r = call(method, "/api/v1/time-entries/" + a + suffix, firm.owner_token, body);
        EXPECT_EQ(r.status, 409) << method << suffix;
        EXPECT_EQ(r.body["error"]["code"], "ENTRY_INVOICED") << method << suffix;
    }
    EXPECT_EQ(call("PATCH", "/api/v1/expenses/" + expense, staff, {{"amount", "1.00"}}).body["error"]["code"],
              "ENTRY_INVOICED");
    EXPECT_EQ(call("GET", "/api/v1/time-entries/" + unapproved, billing).body["invoice_id"], nullptr);

    // Voiding gives the work back to be billed again.
    ASSERT_EQ(call("POST", "/api/v1/invoices/" + inv + "/void", billing, {{"reason", "wrong period"}}).status,
              200);
    EXPECT_EQ(call("GET", "/api/v1/time-entries/" + a, billing).body["status"], "approved");
    EXPECT_EQ(call("POST", path, billing, period).status, 201);
    EXPECT_TRUE(call("GET", "/api/v1/audit/verify", firm.owner_token).body["ok"]);
}

TEST_F(TimeEntries, ExpensesFollowTheEngagementsCurrency) {
    auto r = call("POST", "/api/v1/expenses", staff,
                  {{"engagement_id", engagement},
                   {"date", "2026-09-01"},
                   {"amount", "10.00"},
                   {"currency", "EUR"},
                   {"description", "Taxi"}});
    EXPECT_EQ(r.status, 422);
    EXPECT_EQ(r.body["error"]["code"], "CURRENCY_MISMATCH");
    auto digits = call("POST", "/api/v1/expenses", staff,
                       {{"engagement_id", engagement},
                        {"date", "2026-09-01"},
                        {"amount", "10.001"},
                        {"description", "Taxi"}});
    EXPECT_EQ(digits.body["error"]["code"], "TOO_MANY_DECIMALS");
    auto self = call("POST", "/api/v1/expenses", billing,
                     {{"engagement_id", engagement},
                      {"date", "2026-09-01"},
                      {"amount", "10.00"},
                      {"description", "Taxi"}});
    ASSERT_EQ(self.status, 201);
    EXPECT_EQ(approve("expenses", self.body["id"], billing).body["error"]["code"], "SELF_APPROVAL");
}

// The issue's "done when", through the API alone over real HTTP.
TEST_F(TimeEntries, TimeToIssuedInvoiceOverLoopbackHttp) {
    http::TestServer server([this](const http::Request& r) { return app->handle(r); });
    auto send = [&](const std::string& method, const std::string& target, const std::string& token,
                    const json& body) {
        auto r = http::request(server.port(), method, target,
                               {{"Authorization", "Bearer " + token}, {"Content-Type", "application/json"}},
                               body.is_null() ? "" : body.dump());
        return std::make_pair(r.status, json::parse(r.body, nullptr, false));
    };
    auto [s1, entry] = send(
        "POST", "/api/v1/time-entries", staff,
        {{"engagement_id", engagement}, {"date", "2026-09-10"}, {"hours", "3.50"}, {"description", "Audit"}});
    ASSERT_EQ(s1, 201);
    auto [s2, approved] = send("POST", "/api/v1/time-entries/" + entry["id"].get<std::string>() + "/approve",
                               billing, json::object());
    ASSERT_EQ(s2, 200);
    auto [s3, drafted] = send("POST", "/api/v1/engagements/" + engagement + "/hourly-invoice", billing,
                              {{"period_start", "2026-09-01"}, {"period_end", "2026-09-30"}});
    ASSERT_EQ(s3, 201);
    auto [s4, issued] = send("POST", "/api/v1/invoices/" + drafted["id"].get<std::string>() + "/issue",
                             billing, json::object());
    ASSERT_EQ(s4, 200);
    EXPECT_EQ(issued["number"], "INV-2026-00001");
    EXPECT_EQ(issued["due_date"], "2026-10-21");
    EXPECT_EQ(issued["total"], "525.00");
    auto [s5, refused] =
        send("PATCH", "/api/v1/invoices/" + drafted["id"].get<std::string>(), billing, {{"notes", "x"}});
    EXPECT_EQ(s5, 409);
    EXPECT_EQ(refused["error"]["code"], "INVOICE_IMMUTABLE");
}

}  // namespace
}  // namespace cp::test
