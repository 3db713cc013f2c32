// POST /api/v1/auth/switch-firm: a member of two firms trades their session for one in the
// other firm. The old token dies, both audit chains record it, and a firm the account is not
// an active member of is as absent as one that does not exist.
#include "tests/server/support.hpp"

namespace cp::test {
namespace {

class SwitchFirm : public ServerTest {
protected:
    void SetUp() override {
        ServerTest::SetUp();
        a = make_firm("switch-a");
        b = make_firm("switch-b");
        // a's owner joins b as billing (an existing account joins with its own password).
        auto r = call("POST", "/api/v1/memberships", b.owner_token,
                      {{"email", a.owner_email}, {"name", "Owner"}, {"role", "billing"}, {"password", kPassword}});
        ASSERT_EQ(r.status, 201) << r.raw.body;
        membership_in_b = r.body["id"];
    }

    std::size_t events(const std::string& token, const std::string& action) {
        return call("GET", "/api/v1/audit?action=" + action, token).body["data"].size();
    }

    Firm a, b;
    std::string membership_in_b;
};

TEST_F(SwitchFirm, GivesASessionInTheOtherFirmAndRevokesTheOldOne) {
    const std::string old_token = a.owner_token;
    auto r = call("POST", "/api/v1/auth/switch-firm", old_token, {{"firm", "switch-b"}});
    ASSERT_EQ(r.status, 200) << r.raw.body;
    const std::string token = r.body["token"];
    EXPECT_EQ(r.body["membership"]["firm"]["slug"], "switch-b");
    EXPECT_EQ(r.body["membership"]["role"], "billing");
    EXPECT_EQ(r.body["user"]["email"], a.owner_email);

    auto me = call("GET", "/api/v1/auth/me", token);
    EXPECT_EQ(me.body["membership"]["firm_id"], b.id);
    EXPECT_EQ(call("GET", "/api/v1/auth/me", old_token).status, 401);

    // Both chains say so, and each is still intact.
    EXPECT_EQ(events(b.owner_token, "auth.switch_firm_in"), 1u);
    auto back = call("POST", "/api/v1/auth/switch-firm", token, {{"firm", a.id}});  // by id, too
    ASSERT_EQ(back.status, 200) << back.raw.body;
    EXPECT_EQ(back.body["membership"]["role"], "owner");
    const std::string home = back.body["token"];
    EXPECT_EQ(events(home, "auth.switch_firm_out"), 1u);
    EXPECT_EQ(events(home, "auth.switch_firm_in"), 1u);
    EXPECT_EQ(call("GET", "/api/v1/auth/me", token).status, 401);
    EXPECT_TRUE(call("GET", "/api/v1/audit/verify", home).body["ok"]);
    EXPECT_TRUE(call("GET", "/api/v1/audit/verify", b.owner_token).body["ok"]);
}

TEST_F(SwitchFirm, AFirmWithoutMembershipIsNotFound) {
    auto c = make_firm("switch-c");
    for (const std::string firm : {std::string("switch-c"), c.id, std::string("no-such-firm")}) {
        auto r = call("POST", "/api/v1/auth/switch-firm", a.owner_token, {{"firm", firm}});
        EXPECT_EQ(r.status, 404) << firm;
        EXPECT_EQ(r.body["error"]["code"], "NOT_FOUND") << firm;
        EXPECT_EQ(r.raw.body.find("switch-c"), std::string::npos) << r.raw.body;
    }
    // The caller's session survives a refused switch.
    EXPECT_EQ(call("GET", "/api/v1/auth/me", a.owner_token).status, 200);
}

TEST_F(SwitchFirm, ADisabledMembershipIsNotFound) {
    ASSERT_EQ(call("PATCH", "/api/v1/memberships/" + membership_in_b, b.owner_token, {{"status", "disabled"}}).status,
              200);
    auto r = call("POST", "/api/v1/auth/switch-firm", a.owner_token, {{"firm", "switch-b"}});
    EXPECT_EQ(r.status, 404) << r.raw.body;
    EXPECT_EQ(call("GET", "/api/v1/auth/me", a.owner_token).status, 200);
}

TEST_F(SwitchFirm, AFirmClosedToItsMembersIsNotFound) {
    {
        storage::Transaction tx(db());
        tx.exec("UPDATE firms SET status = 'canceled' WHERE id = ?", {b.id});
        tx.commit();
    }
    EXPECT_EQ(call("POST", "/api/v1/auth/switch-firm", a.owner_token, {{"firm", "switch-b"}}).status, 404);
}

TEST_F(SwitchFirm, BadBodiesAreNamedAtTheField) {
    auto r = call("POST", "/api/v1/auth/switch-firm", a.owner_token, json::object());
    EXPECT_EQ(r.status, 422);
    EXPECT_EQ(r.body["error"]["field"], "firm");
    r = call("POST", "/api/v1/auth/switch-firm", a.owner_token, {{"firm", std::string(101, 'x')}});
    EXPECT_EQ(r.status, 422);
    EXPECT_EQ(r.body["error"]["field"], "firm");
    r = call("POST", "/api/v1/auth/switch-firm", a.owner_token, {{"firm", "switch-b"}, {"role", "owner"}});
    EXPECT_EQ(r.status, 422);
    EXPECT_EQ(r.body["error"]["field"], "role");
}

TEST_F(SwitchFirm, OnlyMemberSessionsSwitch) {
    EXPECT_EQ(call("POST", "/api/v1/auth/switch-firm", "", {{"firm", "switch-b"}}).status, 401);
    const auto portal = make_portal_user(a, make_client(a, "Acme"), "pu@acme.test");
    auto r = call("POST", "/api/v1/auth/switch-firm", portal, {{"firm", "switch-a"}});
    EXPECT_EQ(r.status, 403);
    EXPECT_EQ(r.body["error"]["code"], "MEMBERS_ONLY");
}

// The login screen's "pick a firm" path: without "firm" the answer names the choices.
TEST_F(SwitchFirm, LoginWithoutAFirmListsTheChoices) {
    auto r = call("POST", "/api/v1/auth/login", "", {{"email", a.owner_email}, {"password", kPassword}});
    ASSERT_EQ(r.status, 409) << r.raw.body;
    EXPECT_EQ(r.body["error"]["code"], "FIRM_SELECTION_REQUIRED");
    ASSERT_EQ(r.body["firms"].size(), 2u);
    EXPECT_EQ(r.body["firms"][0]["slug"], "switch-a");
    EXPECT_EQ(r.body["firms"][1]["slug"], "switch-b");
}

}  // namespace
}  // namespace cp::test
