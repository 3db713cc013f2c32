#pragma once
// Walks a firm's lead through the pipeline to a sent proposal (the CRM tests and the
// tenancy matrix both need one).
#include <functional>

#include "tests/server/support.hpp"

namespace cp::test {

struct Pipeline {
    std::string lead, prospect, proposal;
};

// A package proposal of 1,500.00 a month from 2026-10-01, expiring on `expires_on`;
// `send` leaves it sent rather than draft.
// `call(method, target, body)` calls the app as a member allowed to write clients and
// engagements (tests pass a lambda over ServerTest::call with their token).
using Caller = std::function<Reply(const std::string&, const std::string&, const json&)>;
inline Pipeline make_pipeline(const Caller& call, const std::string& company,
                              const std::string& expires_on = "2026-12-31", bool send = true) {
    Pipeline p;
    auto lead = call("POST", "/api/v1/leads",
                     {{"company", company}, {"contact_name", "Dana"}, {"contact_email", "dana@prospect.test"},
                      {"source", "referral"}, {"estimated_value", "18000.00"}});
    EXPECT_EQ(lead.status, 201) << lead.raw.body;
    p.lead = lead.body.value("id", "");
    EXPECT_EQ(call("PATCH", "/api/v1/leads/" + p.lead, {{"status", "contacted"}}).status, 200);
    EXPECT_EQ(call("PATCH", "/api/v1/leads/" + p.lead, {{"status", "qualified"}}).status, 200);
    auto prospect = call("POST", "/api/v1/leads/" + p.lead + "/convert", {{"expected_close_date", "2026-10-15"}});
    EXPECT_EQ(prospect.status, 201) << prospect.raw.body;
    p.prospect = prospect.body.value("id", "");
    auto proposal = call("POST", "/api/v1/proposals",
                         {{"prospect_id", p.prospect},
                          {"title", company + " advisory"},
                          {"expires_on", expires_on},
                          {"pricing_mode", "package"},
                          {"package_fee", "1500.00"},
                          {"schedule", "monthly"},
                          {"start_date", "2026-10-01"},
                          {"end_date", "2027-09-30"},
                          {"lines",
                           {{{"kind", "package_fee"}, {"description", "Monthly advisory"}, {"quantity", "12"},
                             {"unit_price", "1500.00"}, {"tax_rate", "10"}}}}});
    EXPECT_EQ(proposal.status, 201) << proposal.raw.body;
    p.proposal = proposal.body.value("id", "");
    if (send) EXPECT_EQ(call("POST", "/api/v1/proposals/" + p.proposal + "/send", json::object()).status, 200);
    return p;
}

}  // namespace cp::test
