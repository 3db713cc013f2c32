#pragma once
// A firm ready to bill: a client with a current hourly engagement (150.00/h, 2026), a staff
// member and a billing member, plus shorthands for drafts, lines, time and issuing.
#include <string>

#include "tests/server/support.hpp"

namespace cp::test {

class BillingTest : public ServerTest {
protected:
    void SetUp() override {
        ServerTest::SetUp();
        firm = make_firm("acme");
        client = make_client(firm, "Globex");
        engagement = make_hourly_engagement(client, "2026-01-01");
        staff = add_member(firm, "staff", "staff@acme.test");
        billing = add_member(firm, "billing", "billing@acme.test");
    }

    std::string make_hourly_engagement(const std::string& client_id, const std::string& start,
                                       const std::string& rate = "150.00") {
        auto r = call("POST", "/api/v1/engagements", firm.owner_token,
                      {{"client_id", client_id},
                       {"name", "Hourly " + start},
                       {"pricing_mode", "hourly"},
                       {"hourly_rate", rate},
                       {"start_date", start},
                       {"end_date", "2026-12-31"}});
        EXPECT_EQ(r.status, 201) << r.raw.body;
        return r.body.value("id", "");
    }

    static json line(const std::string& quantity, const std::string& unit_price,
                     const std::string& tax_rate = "0", const std::string& kind = "adjustment") {
        return {{"kind", kind},
                {"description", "Work"},
                {"quantity", quantity},
                {"unit_price", unit_price},
                {"tax_rate", tax_rate}};
    }

    // A draft for `client` (default: the fixture's) with the given lines; its id.
    std::string draft(json lines, const std::string& client_id = "") {
        auto r = call("POST", "/api/v1/invoices", firm.owner_token,
                      {{"client_id", client_id.empty() ? client : client_id}, {"lines", lines}});
        EXPECT_EQ(r.status, 201) << r.raw.body;
        return r.body.value("id", "");
    }

    Reply issue(const std::string& id, const std::string& token = "") {
        return call("POST", "/api/v1/invoices/" + id + "/issue", token.empty() ? billing : token,
                    json::object());
    }

    std::string log_time(const std::string& token, const std::string& hours,
                         const std::string& date = "2026-09-01", json extra = json::object()) {
        json body{
            {"engagement_id", engagement}, {"date", date}, {"hours", hours}, {"description", "Workshop"}};
        for (auto& [k, v] : extra.items()) body[k] = v;
        auto r = call("POST", "/api/v1/time-entries", token, body);
        EXPECT_EQ(r.status, 201) << r.raw.body;
        return r.body.value("id", "");
    }

    Reply approve(const std::string& kind, const std::string& id, const std::string& token) {
        return call("POST", "/api/v1/" + kind + "/" + id + "/approve", token, json::object());
    }

    // Audit actions of the firm's chain, oldest first.
    std::vector<std::string> audit_actions() {
        std::vector<std::string> out;
        auto r = call("GET", "/api/v1/audit?limit=200", firm.owner_token);
        for (const auto& e : r.body["data"]) out.push_back(e["action"]);
        return out;
    }

    Firm firm;
    std::string client, engagement, staff, billing;
};

}  // namespace cp::test
