// Break-glass: open (reason, expiry <= 4 h, optional impersonation), banner, per-request
// CRITICAL audit, expiry enforced per request, revoke by operator or firm owner/admin,
// end, review.
#include "tests/server/support.hpp"

namespace cp::test {
namespace {

class BreakGlass : public ServerTest {
protected:
    void SetUp() override {
        ServerTest::SetUp();
        firm = make_firm("acme");
        client = make_client(firm, "Client One");
        op = make_operator("op@platform.test");
    }
    Reply open(json extra = json::object()) {
        json body{{"firm_id", firm.id}, {"reason", "ticket 42: invoice totals look wrong"}};
        for (const auto& [k, v] : extra.items()) body[k] = v;
        return call("POST", "/api/v1/operator/break-glass", op, body);
    }
    std::string iso_time_after(std::int64_t seconds) const {
        return server::iso_time(clock->now() + seconds);
    }
    Firm firm;
    std::string client, op;
};

TEST_F(BreakGlass, OpenDefaultsToThirtyMinutesAndNeedsAReason) {
    auto r = open();
    ASSERT_EQ(r.status, 201) << r.raw.body;
    EXPECT_EQ(r.body["object"], "break_glass_session");  // as every API object says what it is
    EXPECT_EQ(r.body["status"], "active");
    EXPECT_EQ(r.body["expires_at"], iso_time_after(1800));
    auto no_reason =
        call("POST", "/api/v1/operator/break-glass", op, {{"firm_id", firm.id}, {"reason", " "}});
    EXPECT_EQ(no_reason.status, 422);
    EXPECT_EQ(open({{"duration_minutes", 241}}).status, 422);
    EXPECT_EQ(open({{"duration_minutes", 240}}).status, 201);
}

TEST_F(BreakGlass, RequiresTheCapability) {
    auto plain = make_operator("plain@platform.test", false);
    EXPECT_EQ(
        call("POST", "/api/v1/operator/break-glass", plain, {{"firm_id", firm.id}, {"reason", "x"}}).status,
        403);
}

TEST_F(BreakGlass, SessionReadsFirmDataAndEveryRequestIsAuditedCritical) {
    auto s = open();
    std::string token = s.body["token"];
    EXPECT_EQ(call("GET", "/api/v1/clients/" + client, token).status, 200);
    // Read-only without impersonation.
    EXPECT_EQ(
        call("POST", "/api/v1/clients", token, {{"company_name", "X"}, {"billing_email", "x@x.test"}}).status,
        403);
    auto audit =
        call("GET", "/api/v1/audit?category=BREAK_GLASS&action=break_glass.request", firm.owner_token);
    ASSERT_EQ(audit.body["data"].size(), 2u) << audit.raw.body;
    EXPECT_EQ(audit.body["data"][0]["severity"], "CRITICAL");
    EXPECT_EQ(audit.body["data"][0]["metadata"]["path"], "/api/v1/clients/" + client);
    EXPECT_EQ(audit.body["data"][0]["metadata"]["status"], 200);
    EXPECT_EQ(audit.body["data"][1]["metadata"]["status"], 403);
    // Whether the operator's request was carried out, at a glance (the write was refused).
    EXPECT_EQ(audit.body["data"][0]["outcome"], "success");
    EXPECT_EQ(audit.body["data"][1]["outcome"], "failure");
    EXPECT_EQ(audit.body["data"][0]["actor"]["break_glass_session_id"], s.body["id"]);
}

// Requests no route audits itself (unknown paths, public routes) are audited all the same.
TEST_F(BreakGlass, RequestsOutsideTheFirmRoutesAreAuditedToo) {
    auto s = open();
    std::string token = s.body["token"];
    auto missing = call("GET", "/api/v1/no-such-thing", token);
    EXPECT_EQ(missing.status, 404);
    EXPECT_TRUE(missing.header("X-Break-Glass"));
    EXPECT_EQ(call("POST", "/api/v1/firms", token, {{"name", ""}}).status, 422);
    // A token that is not break-glass leaves no such event behind.
    EXPECT_EQ(call("GET", "/api/v1/no-such-thing", firm.owner_token).status, 404);
    auto audit =
        call("GET", "/api/v1/audit?category=BREAK_GLASS&action=break_glass.request", firm.owner_token);
    ASSERT_EQ(audit.body["data"].size(), 2u) << audit.raw.body;
    EXPECT_EQ(audit.body["data"][0]["metadata"]["path"], "/api/v1/no-such-thing");
    EXPECT_EQ(audit.body["data"][0]["metadata"]["status"], 404);
    EXPECT_EQ(audit.body["data"][1]["metadata"]["path"], "/api/v1/firms");
    EXPECT_EQ(audit.body["data"][1]["metadata"]["status"], 422);
}

TEST_F(BreakGlass, FirmUsersSeeTheBanner) {
    EXPECT_FALSE(call("GET", "/api/v1/clients", firm.owner_token).header("X-Break-Glass"));
    auto s = open();
    auto r = call("GET", "/api/v1/clients", firm.owner_token);
    ASSERT_TRUE(r.header("X-Break-Glass"));
    auto banner = json::parse(*r.header("X-Break-Glass"));
    EXPECT_EQ(banner["session_id"], s.body["id"]);
    EXPECT_EQ(banner["operator"], "op@platform.test");
    EXPECT_TRUE(banner["operator_name"].is_string());
    EXPECT_EQ(banner["reason"], "ticket 42: invoice totals look wrong");
    // Client portal users of the firm never do: the operator's address and reason are internal.
    auto portal = make_portal_user(firm, client, "p@client.test");
    auto portal_answer = call("GET", "/api/v1/portal/me", portal);
    EXPECT_EQ(portal_answer.status, 200);
    EXPECT_FALSE(portal_answer.header("X-Break-Glass"));
    // Another firm's users see nothing.
    auto other = make_firm("other");
    EXPECT_FALSE(call("GET", "/api/v1/clients", other.owner_token).header("X-Break-Glass"));
}

TEST_F(BreakGlass, ExpiryIsEnforcedOnTheNextRequest) {
    auto s = open({{"duration_minutes", 5}});
    std::string token = s.body["token"];
    EXPECT_EQ(call("GET", "/api/v1/clients", token).status, 200);
    clock->advance(5 * 60);
    auto r = call("GET", "/api/v1/clients", token);
    EXPECT_EQ(r.status, 401);
    auto status = call("GET", "/api/v1/operator/break-glass/" + s.body["id"].get<std::string>(), op);
    EXPECT_EQ(status.body["status"], "expired");
    EXPECT_FALSE(call("GET", "/api/v1/clients", firm.owner_token).header("X-Break-Glass"));
    auto audit = call("GET", "/api/v1/audit?action=break_glass.expire", firm.owner_token);
    EXPECT_EQ(audit.body["data"].size(), 1u);
}

TEST_F(BreakGlass, ImpersonationActsAsTheMemberAndIsStillAudited) {
    auto billing_token = add_member(firm, "billing", "bill@acme.test");
    auto me = call("GET", "/api/v1/auth/me", billing_token);
    auto s = open({{"impersonate_user_id", me.body["user"]["id"]}});
    ASSERT_EQ(s.status, 201) << s.raw.body;
    std::string token = s.body["token"];
    auto who = call("GET", "/api/v1/auth/me", token);
    EXPECT_EQ(who.body["break_glass"]["role"], "billing");
    EXPECT_EQ(who.body["break_glass"]["impersonated_membership_id"], me.body["membership"]["id"]);
    EXPECT_EQ(call("GET", "/api/v1/invoices", token).status, 200);
    EXPECT_EQ(call("GET", "/api/v1/audit", token).status, 403);  // billing cannot read audit
}

TEST_F(BreakGlass, FirmOwnerRevokesWithReasonAndOperatorReviews) {
    auto s = open();
    std::string id = s.body["id"], token = s.body["token"];
    EXPECT_EQ(call("POST", "/api/v1/break-glass/" + id + "/revoke", firm.owner_token, json::object()).status,
              422);
    auto r = call("POST", "/api/v1/break-glass/" + id + "/revoke", firm.owner_token,
                  {{"reason", "not authorised by us"}});
    ASSERT_EQ(r.status, 200) << r.raw.body;
    EXPECT_EQ(r.body["status"], "revoked");
    EXPECT_EQ(call("GET", "/api/v1/clients", token).status, 401);
    EXPECT_EQ(
        call("POST", "/api/v1/break-glass/" + id + "/revoke", firm.owner_token, {{"reason", "again"}}).status,
        409);
    // Four eyes: not by the operator who used the session, nor by one without the capability.
    auto self = call("POST", "/api/v1/operator/break-glass/" + id + "/review", op, {{"notes", "fine by me"}});
    EXPECT_EQ(self.status, 403);
    EXPECT_EQ(self.body["error"]["code"], "SELF_REVIEW");
    auto plain = make_operator("plain@platform.test", false);
    EXPECT_EQ(call("POST", "/api/v1/operator/break-glass/" + id + "/review", plain, json::object()).status,
              403);
    auto reviewer = make_operator("reviewer@platform.test");
    auto review =
        call("POST", "/api/v1/operator/break-glass/" + id + "/review", reviewer, {{"notes", "checked"}});
    ASSERT_EQ(review.status, 200) << review.raw.body;
    EXPECT_FALSE(review.body["reviewed_at"].is_null());
    EXPECT_EQ(call("POST", "/api/v1/operator/break-glass/" + id + "/review", reviewer, json::object()).status,
              409);
    auto audit = call("GET", "/api/v1/audit?category=BREAK_GLASS", firm.owner_token);
    for (const auto& e : audit.body["data"]) EXPECT_EQ(e["severity"], "CRITICAL");
    EXPECT_GE(audit.body["data"].size(), 3u);  // open, revoke, review
}

TEST_F(BreakGlass, ActiveSessionCannotBeReviewedAndOperatorCanEndOrRevoke) {
    auto s = open();
    std::string id = s.body["id"];
    EXPECT_EQ(call("POST", "/api/v1/operator/break-glass/" + id + "/review", op, json::object()).status, 409);
    auto other_op = make_operator("other@platform.test");
    EXPECT_EQ(call("POST", "/api/v1/operator/break-glass/" + id + "/end", other_op).status, 403);
    EXPECT_EQ(call("POST", "/api/v1/operator/break-glass/" + id + "/end", op).body["status"], "revoked");
    auto s2 = open();
    auto plain = make_operator("plain@platform.test", false);
    EXPECT_EQ(call("POST", "/api/v1/operator/break-glass/" + s2.body["id"].get<std::string>() + "/revoke",
                   plain, {{"reason", "not mine to revoke"}})
                  .status,
              403);
    auto rv = call("POST", "/api/v1/operator/break-glass/" + s2.body["id"].get<std::string>() + "/revoke", op,
                   {{"reason", "done"}});
    EXPECT_EQ(rv.body["close_reason"], "done");
}

TEST_F(BreakGlass, StaffCannotRevoke) {
    auto s = open();
    auto staff = add_member(firm, "staff", "staff@acme.test");
    EXPECT_EQ(call("POST", "/api/v1/break-glass/" + s.body["id"].get<std::string>() + "/revoke", staff,
                   {{"reason", "x"}})
                  .status,
              403);
}

}  // namespace
}  // namespace cp::test
