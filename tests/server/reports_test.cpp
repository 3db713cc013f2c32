// Reports (Billing V), each cross-checked against sums over the raw invoices, payments and
// lines computed here independently of the report code; CSV output; access.
#include <map>

#include "server/util/clock.hpp"
#include "shared/time/civil.hpp"
#include "tests/server/billing_support.hpp"

namespace cp::test {
namespace {

class Reports : public BillingTest {
protected:
    // An issued invoice of `amount` for `client_id` with its due date moved to `due`.
    std::string issued(const std::string& client_id, const std::string& amount, const std::string& due,
                       const std::string& currency = "") {
        json body{{"client_id", client_id}, {"lines", json::array({line("1", amount)})}};
        if (!currency.empty()) body["currency"] = currency;
        auto d = call("POST", "/api/v1/invoices", firm.owner_token, body);
        EXPECT_EQ(d.status, 201) << d.raw.body;
        const std::string id = d.body["id"];
        EXPECT_EQ(issue(id).status, 200);
        storage::Transaction tx(db());
        tx.exec("UPDATE invoices SET due_date = ? WHERE id = ?", {due, id});
        tx.commit();
        return id;
    }
    void pay(const std::string& id, const std::string& amount, const std::string& method = "bank_transfer") {
        auto r = call("POST", "/api/v1/invoices/" + id + "/payments", firm.owner_token,
                      {{"amount", amount}, {"method", method}});
        EXPECT_EQ(r.status, 201) << r.raw.body;
    }
};

// Days late -> bucket, written out here rather than taken from the core.
std::string bucket_by_hand(const std::string& due, const std::string& as_of) {
    const auto late = time::days_from_civil(*time::parse_iso_date(as_of)) - time::days_from_civil(*time::parse_iso_date(due));
    if (late <= 0) return "current";
    if (late <= 30) return "1_30";
    if (late <= 60) return "31_60";
    if (late <= 90) return "61_90";
    return "over_90";
}

TEST_F(Reports, ArAgingMatchesTheOpenInvoicesBucketByBucket) {
    const std::string as_of = "2026-09-21";
    auto other = make_client(firm, "=HYPERLINK(\"x\")");  // a name a spreadsheet would run
    auto euro = make_client(firm, "Euro GmbH");
    const std::vector<std::pair<std::string, std::string>> plan = {
        {"2026-09-21", "100.00"}, {"2026-09-20", "110.00"}, {"2026-08-22", "120.00"}, {"2026-08-21", "130.00"},
        {"2026-07-23", "140.00"}, {"2026-07-22", "150.00"}, {"2026-06-23", "160.00"}, {"2026-06-22", "170.00"},
        {"2025-12-01", "180.00"}, {"2026-10-30", "190.00"}};
    int n = 0;
    for (const auto& [due, amount] : plan) issued(++n % 2 ? client : other, amount, due);
    auto part = issued(client, "200.00", "2026-09-01");
    pay(part, "50.00");
    auto voided = issued(client, "999.00", "2026-01-01");
    EXPECT_EQ(call("POST", "/api/v1/invoices/" + voided + "/void", firm.owner_token, {{"reason", "wrong"}}).status, 200);
    auto paid = issued(other, "75.00", "2026-01-01");
    pay(paid, "75.00");
    issued(euro, "300.00", "2026-05-01", "EUR");
    draft({line("1", "5000.00")});  // drafts owe nothing

    auto r = call("GET", "/api/v1/reports/ar-aging?as_of=" + as_of, firm.owner_token);
    ASSERT_EQ(r.status, 200) << r.raw.body;
    // The same figures by hand, from the raw rows.
    std::map<std::string, std::map<std::string, std::int64_t>> want;  // currency|client -> bucket -> minor
    {
        storage::Transaction tx(db());
        for (const auto& row : tx.query(
                 "SELECT client_id, currency, due_date, balance_due, status, document_type FROM invoices WHERE firm_id = ?",
                 {firm.id})) {
            if (row.str("status") == "draft" || row.str("status") == "void" || row.i64("balance_due") <= 0) continue;
            const std::string key = row.str("currency") + "|" + row.str("client_id");
            want[key][bucket_by_hand(row.str("due_date"), as_of)] += row.i64("balance_due");
            want[key]["total"] += row.i64("balance_due");
        }
    }
    std::size_t clients_seen = 0;
    for (const auto& cur : r.body["currencies"]) {
        std::map<std::string, std::int64_t> currency_total;
        for (const auto& c : cur["clients"]) {
            ++clients_seen;
            const auto& expected = want[cur["currency"].get<std::string>() + "|" + c["client_id"].get<std::string>()];
            const std::int64_t scale = cur["currency"] == "JPY" ? 1 : 100;
            for (const char* b : {"current", "1_30", "31_60", "61_90", "over_90", "total"}) {
                const std::string text = c[b];
                const auto minor = static_cast<std::int64_t>(std::llround(std::stod(text) * static_cast<double>(scale)));
                EXPECT_EQ(minor, expected.count(b) ? expected.at(b) : 0) << b << " " << c.dump();
                currency_total[b] += minor;
            }
        }
        for (const char* b : {"current", "1_30", "31_60", "61_90", "over_90", "total"}) {
            EXPECT_EQ(static_cast<std::int64_t>(std::llround(std::stod(cur["total"][b].get<std::string>()) * 100)),
                      currency_total[b])
                << b;
        }
    }
    EXPECT_EQ(clients_seen, want.size());
    ASSERT_EQ(r.body["currencies"].size(), 2u);
    const auto& usd = r.body["currencies"][1];
    ASSERT_EQ(usd["currency"], "USD");
    // The boundaries: due today is current, 30 days late 1_30, 31 days 31_60, 91 over 90.
    EXPECT_EQ(usd["total"]["current"], "290.00");   // due today (100) + due next month (190)
    EXPECT_EQ(usd["total"]["1_30"], "380.00");      // 1 day (110), 30 days (120), 20 days (200 - 50 paid)
    EXPECT_EQ(usd["total"]["31_60"], "270.00");     // 31 (130), 60 (140)
    EXPECT_EQ(usd["total"]["61_90"], "310.00");     // 61 (150), 90 (160)
    EXPECT_EQ(usd["total"]["over_90"], "350.00");   // 91 (170), 294 (180)
    EXPECT_EQ(usd["total"]["total"], "1600.00");

    // Paying part moves the report.
    pay(part, "100.00");
    auto moved = call("GET", "/api/v1/reports/ar-aging?as_of=" + as_of, firm.owner_token);
    EXPECT_EQ(moved.body["currencies"][1]["total"]["1_30"], "280.00");

    // CSV: one row per client and a total per currency; formulas defused.
    auto csv = call("GET", "/api/v1/reports/ar-aging?as_of=" + as_of, firm.owner_token, nullptr,
                    {{"accept", "text/csv"}});
    ASSERT_EQ(csv.status, 200);
    EXPECT_EQ(csv.raw.content_type, "text/csv; charset=utf-8");
    EXPECT_EQ(csv.raw.body.rfind("currency,client_id,client_name,current,1_30,31_60,61_90,over_90,total\r\n", 0), 0u);
    EXPECT_NE(csv.raw.body.find("\"'=HYPERLINK(\"\"x\"\")\""), std::string::npos) << csv.raw.body;
    EXPECT_NE(csv.raw.body.find("USD,,TOTAL,290.00,280.00,270.00,310.00,350.00,1500.00"), std::string::npos)
        << csv.raw.body;

    EXPECT_EQ(call("GET", "/api/v1/reports/ar-aging?as_of=2026-13-01", firm.owner_token).body["error"]["field"], "as_of");
    EXPECT_EQ(call("GET", "/api/v1/reports/ar-aging", staff).status, 403);
    EXPECT_EQ(call("GET", "/api/v1/reports/ar-aging", billing).status, 200);
}

TEST_F(Reports, RevenueAndEngagementMixEqualTheRawSums) {
    auto a = issued(client, "1000.00", "2026-10-01");
    auto b = issued(client, "250.50", "2026-10-01");
    pay(a, "400.00", "cash");
    pay(b, "250.50", "check");
    auto refund_target = call("GET", "/api/v1/payments?invoice_id=" + a, firm.owner_token).body["data"][0]["id"];
    ASSERT_EQ(call("POST", "/api/v1/payments/" + refund_target.get<std::string>() + "/refunds", firm.owner_token,
                   {{"amount", "40.00"}, {"reason", "goodwill"}})
                  .status,
              201);
    auto v = issued(client, "77.00", "2026-10-01");
    EXPECT_EQ(call("POST", "/api/v1/invoices/" + v + "/void", firm.owner_token, {{"reason", "dup"}}).status, 200);
    // Approved time billed hourly, so the mix has two kinds.
    auto entry = log_time(staff, "2.00", "2026-09-02");
    ASSERT_EQ(approve("time-entries", entry, billing).status, 200);
    auto hourly = call("POST", "/api/v1/engagements/" + engagement + "/hourly-invoice", firm.owner_token,
                       {{"period_start", "2026-09-01"}, {"period_end", "2026-09-30"}});
    ASSERT_LT(hourly.status, 300) << hourly.raw.body;
    if (hourly.body.contains("id")) issue(hourly.body["id"]);

    auto r = call("GET", "/api/v1/reports/revenue?from=2026-08-01&to=2026-09-30&interval=month", firm.owner_token);
    ASSERT_EQ(r.status, 200) << r.raw.body;
    ASSERT_EQ(r.body["currencies"].size(), 1u);
    const auto& usd = r.body["currencies"][0];
    ASSERT_EQ(usd["periods"].size(), 2u);
    EXPECT_EQ(usd["periods"][0]["period"], "2026-08");
    EXPECT_EQ(usd["periods"][0]["issued"], "0.00");
    std::int64_t issued_sum = 0, collected_sum = 0, refunded_sum = 0;
    {
        storage::Transaction tx(db());
        for (const auto& row : tx.query("SELECT total, status FROM invoices WHERE firm_id = ? AND document_type = 'invoice'",
                                        {firm.id}))
            if (row.str("status") != "draft" && row.str("status") != "void") issued_sum += row.i64("total");
        for (const auto& row : tx.query("SELECT amount, status, method FROM payments WHERE firm_id = ?", {firm.id}))
            if (row.str("method") != "credit" && row.str("status") != "failed" && row.str("status") != "pending")
                collected_sum += row.i64("amount");
        for (const auto& row : tx.query("SELECT amount FROM refunds WHERE firm_id = ?", {firm.id})) refunded_sum += row.i64("amount");
    }
    auto minor = [](const json& v) { return static_cast<std::int64_t>(std::llround(std::stod(v.get<std::string>()) * 100)); };
    EXPECT_EQ(minor(usd["periods"][1]["issued"]), issued_sum);
    EXPECT_EQ(minor(usd["total"]["collected"]), collected_sum);
    EXPECT_EQ(minor(usd["total"]["refunded"]), refunded_sum);
    EXPECT_EQ(usd["total"]["collected"], "650.50");
    EXPECT_EQ(usd["total"]["refunded"], "40.00");

    auto mix = call("GET", "/api/v1/reports/engagement-mix", firm.owner_token);
    ASSERT_EQ(mix.status, 200) << mix.raw.body;
    std::int64_t line_sum = 0;
    {
        storage::Transaction tx(db());
        for (const auto& row : tx.query(
                 "SELECT l.amount FROM invoice_lines l JOIN invoices i ON i.id = l.invoice_id WHERE i.firm_id = ? AND "
                 "i.status NOT IN ('draft', 'void') AND i.document_type = 'invoice'",
                 {firm.id}))
            line_sum += row.i64("amount");
    }
    EXPECT_EQ(minor(mix.body["totals"]["USD"]["total"]), line_sum);
    std::int64_t hourly_total = 0;
    for (const auto& row : mix.body["rows"]) hourly_total += minor(row["hourly"]);
    EXPECT_EQ(hourly_total, 30000);  // 2 h at 150.00
    auto csv = call("GET", "/api/v1/reports/revenue?from=2026-09-01&to=2026-09-30", firm.owner_token, nullptr,
                    {{"accept", "text/csv"}});
    EXPECT_NE(csv.raw.body.find("USD,2026-09,2026-09-01,2026-09-30,"), std::string::npos) << csv.raw.body;

    auto bad = call("GET", "/api/v1/reports/revenue?from=2026-09-01&to=2026-08-01", firm.owner_token);
    EXPECT_EQ(bad.status, 400);
    EXPECT_EQ(bad.body["error"]["field"], "to");
    EXPECT_EQ(call("GET", "/api/v1/reports/revenue?from=2026-09-01&to=2026-09-30&interval=week", firm.owner_token)
                  .body["error"]["field"],
              "interval");
    EXPECT_EQ(call("GET", "/api/v1/reports/revenue?to=2026-09-30", firm.owner_token).body["error"]["field"], "from");
}

}  // namespace
}  // namespace cp::test
