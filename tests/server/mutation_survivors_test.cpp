// Tests for mutants that survived `scripts/mutate --max 200 --seed 1` in code that landed with
// Billing I–III (each names the rule the mutant broke).
#include <algorithm>

#include "tests/server/billing_support.hpp"

namespace cp::test {
namespace {

class MutationSurvivors : public BillingTest {};

// clients.cpp: LIKE wildcards in the search term match themselves, and case is ignored.
TEST_F(MutationSurvivors, ClientSearchTreatsWildcardsLiterally) {
    make_client(firm, "100% Fun");
    make_client(firm, "Under_Score");
    make_client(firm, "Plain Name");
    auto names = [&](const std::string& q) {
        std::vector<std::string> out;
        auto r = call("GET", "/api/v1/clients?q=" + q, firm.owner_token);
        EXPECT_EQ(r.status, 200) << r.raw.body;
        for (const auto& c : r.body["data"])
            out.push_back(c["company_name"]);
        std::sort(out.begin(), out.end());
        return out;
    };
    EXPECT_EQ(names("%25"), std::vector<std::string>{"100% Fun"});
    EXPECT_EQ(names("_"), std::vector<std::string>{"Under_Score"});
    EXPECT_EQ(names("PLAIN"), std::vector<std::string>{"Plain Name"});
    EXPECT_EQ(names("%5C").size(), 0u);
}

// engagements.cpp: an update records the version before it, and a renewal is audited as one.
TEST_F(MutationSurvivors, EngagementAuditKeepsBeforeAndNamesRenewals) {
    ASSERT_EQ(call("PATCH", "/api/v1/engagements/" + engagement, firm.owner_token, {{"name", "Renamed"}}).status, 200);
    auto update = call("GET", "/api/v1/audit?action=engagement.update", firm.owner_token);
    ASSERT_EQ(update.body["data"].size(), 1u) << update.raw.body;
    EXPECT_EQ(update.body["data"][0]["metadata"]["before"]["name"], "Hourly 2026-01-01");
    EXPECT_EQ(update.body["data"][0]["metadata"]["after"]["name"], "Renamed");
    auto renewed = call("POST", "/api/v1/engagements/" + engagement + "/renew", firm.owner_token, json::object());
    ASSERT_EQ(renewed.status, 201) << renewed.raw.body;
    EXPECT_EQ(call("GET", "/api/v1/audit?action=engagement.renew", firm.owner_token).body["data"].size(), 1u);
    EXPECT_EQ(call("GET", "/api/v1/audit?action=engagement.create", firm.owner_token).body["data"].size(), 1u);
}

// entry_links.cpp: a generated line's description is "<date> <description>", cut to exactly
// the core's 500 code points, never splitting a character.
TEST_F(MutationSurvivors, GeneratedLineDescriptionsAreCutAtTheCoreLimit) {
    std::string long_text;
    for (int i = 0; i < 300; ++i) long_text += "é";  // two bytes each
    long_text += std::string(600, 'x');
    long_text = long_text.substr(0, 1000);  // at most 1000 code points
    const std::string entry = log_time(staff, "1.00", "2026-09-01", {{"description", long_text}});
    ASSERT_EQ(approve("time-entries", entry, billing).status, 200);
    auto gen = call("POST", "/api/v1/engagements/" + engagement + "/hourly-invoice", billing,
                    {{"period_start", "2026-09-01"}, {"period_end", "2026-09-30"}});
    ASSERT_EQ(gen.status, 201) << gen.raw.body.substr(0, 300);
    const std::string d = gen.body["lines"][0]["description"];
    std::size_t points = 0;
    for (unsigned char c : d) points += (c & 0xC0) != 0x80;
    EXPECT_EQ(points, 500u);
    EXPECT_EQ(d.rfind("2026-09-01 é", 0), 0u);
}

// invoices.cpp / invoice_drafts.cpp: lists leave lines out (payload), single answers and
// the answer to an edit include them.
TEST_F(MutationSurvivors, ListsOmitLinesAndEditsReturnThem) {
    const std::string id = draft({line("1", "10.00")});
    auto list = call("GET", "/api/v1/invoices?limit=5", firm.owner_token);
    ASSERT_EQ(list.status, 200);
    ASSERT_FALSE(list.body["data"].empty());
    for (const auto& i : list.body["data"]) EXPECT_FALSE(i.contains("lines")) << i.dump();
    auto edited = call("PATCH", "/api/v1/invoices/" + id, firm.owner_token, {{"lines", {line("2", "10.00")}}});
    ASSERT_EQ(edited.status, 200) << edited.raw.body;
    ASSERT_TRUE(edited.body.contains("lines"));
    EXPECT_EQ(edited.body["lines"].size(), 1u);
    EXPECT_EQ(edited.body["total"], "20.00");
}

// expenses.cpp: the answer carries the description, and an edited amount is checked against
// the expense's own currency (cents for USD, none for JPY).
TEST_F(MutationSurvivors, ExpenseEditsKeepTheirCurrencysDecimals) {
    auto ex = call("POST", "/api/v1/expenses", staff,
                   {{"engagement_id", engagement}, {"date", "2026-09-05"}, {"amount", "10.00"},
                    {"markup_percent", "0"}, {"description", "Taxi to client"}});
    ASSERT_EQ(ex.status, 201) << ex.raw.body;
    EXPECT_EQ(ex.body["description"], "Taxi to client");
    const std::string id = ex.body["id"];
    auto bad = call("PATCH", "/api/v1/expenses/" + id, staff, {{"amount", "10.005"}});
    EXPECT_EQ(bad.status, 422) << bad.raw.body;
    EXPECT_EQ(bad.body["error"]["field"], "amount");
    auto good = call("PATCH", "/api/v1/expenses/" + id, staff, {{"amount", "12.50"}});
    EXPECT_EQ(good.status, 200) << good.raw.body;
    EXPECT_EQ(good.body["amount"], "12.50");
}

}  // namespace
}  // namespace cp::test
