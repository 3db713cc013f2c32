// Expiry seconds, on both sides of each boundary: a member's session token (valid for
// session_ttl_seconds, refused from that second on) and a break-glass session, whose expiry
// is found by the next request made with its own token (401 BREAK_GLASS_CLOSED, the session
// marked expired at expires_at, one CRITICAL break_glass.expire audit event).
#include "tests/server/support.hpp"

namespace cp::test {
namespace {

class ExpiryBoundaries : public ServerTest {
protected:
    void SetUp() override {
        ServerTest::SetUp();
        firm = make_firm("acme");
        client = make_client(firm, "Client One");
        op = make_operator("op@platform.test");
    }
    Reply open_break_glass(int minutes) {
        return call("POST", "/api/v1/operator/break-glass", op,
                    {{"firm_id", firm.id}, {"reason", "ticket 7"}, {"duration_minutes", minutes}});
    }
    json expire_events() {
        auto r = call("GET", "/api/v1/audit?action=break_glass.expire", firm.owner_token);
        EXPECT_EQ(r.status, 200) << r.raw.body;
        return r.body["data"];
    }
    std::string session_status(const std::string& id) {
        storage::Transaction tx(db());
        auto row = tx.query_one("SELECT status FROM break_glass_sessions WHERE id = ?", {id});
        return row ? row->str("status") : "missing";
    }
    Firm firm;
    std::string client, op;
};

TEST_F(ExpiryBoundaries, MemberTokenIsValidUntilTheLastSecondOfItsTtl) {
    const auto start = clock->now();
    auto token = login(firm.owner_email);
    const auto ttl = config.session_ttl_seconds;
    clock->set(start + ttl - 1);
    EXPECT_EQ(call("GET", "/api/v1/clients", token).status, 200);
    clock->set(start + ttl);
    auto r = call("GET", "/api/v1/clients", token);
    EXPECT_EQ(r.status, 401) << r.raw.body;
    EXPECT_NE(r.body["error"]["code"], "BREAK_GLASS_CLOSED");
}

TEST_F(ExpiryBoundaries, BreakGlassIsActiveOneSecondBeforeExpiry) {
    auto s = open_break_glass(5);
    ASSERT_EQ(s.status, 201) << s.raw.body;
    clock->advance(5 * 60 - 1);
    EXPECT_EQ(call("GET", "/api/v1/clients", s.body["token"].get<std::string>()).status, 200);
    EXPECT_EQ(session_status(s.body["id"]), "active");
    EXPECT_TRUE(expire_events().empty());
}

TEST_F(ExpiryBoundaries, TheTokensOwnRequestExpiresTheSessionAndAuditsIt) {
    auto s = open_break_glass(5);
    ASSERT_EQ(s.status, 201) << s.raw.body;
    const std::string id = s.body["id"], token = s.body["token"];
    const auto expires_at = clock->now() + 5 * 60;
    clock->advance(5 * 60);
    // Nobody has read the session's status: the request itself must find the expiry.
    auto r = call("GET", "/api/v1/clients", token);
    EXPECT_EQ(r.status, 401) << r.raw.body;
    EXPECT_EQ(r.body["error"]["code"], "BREAK_GLASS_CLOSED") << r.raw.body;
    {
        storage::Transaction tx(db());
        auto row = tx.query_one("SELECT status, closed_at FROM break_glass_sessions WHERE id = ?", {id});
        ASSERT_TRUE(row);
        EXPECT_EQ(row->str("status"), "expired");
        EXPECT_EQ(row->i64("closed_at"), expires_at);
        auto events = tx.query(
            "SELECT actor_type, actor_id, severity, target_type, target_id, break_glass_id FROM audit_events "
            "WHERE firm_id = ? AND action = 'break_glass.expire'",
            {firm.id});
        ASSERT_EQ(events.size(), 1u);
        EXPECT_EQ(events[0].str("actor_type"), "system");
        EXPECT_FALSE(events[0].str("actor_id").empty());
        EXPECT_EQ(events[0].str("severity"), "CRITICAL");
        EXPECT_EQ(events[0].str("target_type"), "break_glass_session");
        EXPECT_EQ(events[0].str("target_id"), id);
        EXPECT_EQ(events[0].str("break_glass_id"), id);
    }
    // Later requests are refused the same way and audited as expired only once.
    clock->advance(3600);
    auto again = call("GET", "/api/v1/clients", token);
    EXPECT_EQ(again.status, 401);
    EXPECT_EQ(again.body["error"]["code"], "BREAK_GLASS_CLOSED");
    EXPECT_EQ(expire_events().size(), 1u);
    // The chain still verifies with the system's event in it.
    EXPECT_TRUE(call("GET", "/api/v1/audit/verify", firm.owner_token).body["ok"]);
}

TEST_F(ExpiryBoundaries, AnExpiredBreakGlassTokenIsNeverAccepted) {
    auto s = open_break_glass(5);
    ASSERT_EQ(s.status, 201) << s.raw.body;
    const std::string token = s.body["token"];
    // Reading the status first expires the session (the other path to the same rule).
    clock->advance(5 * 60);
    auto status = call("GET", "/api/v1/operator/break-glass/" + s.body["id"].get<std::string>(), op);
    EXPECT_EQ(status.body["status"], "expired");
    EXPECT_EQ(call("GET", "/api/v1/clients", token).status, 401);
    EXPECT_EQ(call("GET", "/api/v1/auth/me", token).status, 401);
    EXPECT_EQ(expire_events().size(), 1u);
}

}  // namespace
}  // namespace cp::test
