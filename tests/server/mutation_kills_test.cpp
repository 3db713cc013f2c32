// Tests written for mutants that survived scripts/mutate (issue 17): each names the rule it
// pins down, on both sides of its boundary where it has one.
#include "tests/server/support.hpp"

namespace cp::test {
namespace {

class MutationKills : public ServerTest {
protected:
    void SetUp() override {
        ServerTest::SetUp();
        firm = make_firm("acme");
    }
    Firm firm;
};

// since is inclusive, until exclusive, both Unix seconds; anything else is 400.
TEST_F(MutationKills, AuditSinceAndUntilOnBothSidesOfAnEvent) {
    clock->advance(100);
    const auto t = clock->now();
    make_client(firm, "At T");  // its audit event is created at t
    clock->advance(100);
    auto count = [&](const std::string& query) {
        auto r = call("GET", "/api/v1/audit?action=client.create&" + query, firm.owner_token);
        EXPECT_EQ(r.status, 200) << query << ": " << r.raw.body;
        return r.body["data"].size();
    };
    EXPECT_EQ(count("since=" + std::to_string(t)), 1u);
    EXPECT_EQ(count("since=" + std::to_string(t + 1)), 0u);
    EXPECT_EQ(count("until=" + std::to_string(t)), 0u);
    EXPECT_EQ(count("until=" + std::to_string(t + 1)), 1u);
    EXPECT_EQ(count("since=" + std::to_string(t) + "&until=" + std::to_string(t + 1)), 1u);
    for (const char* bad : {"since=12x", "since=", "until=1.5", "until=x1"}) {
        auto r = call("GET", std::string("/api/v1/audit?") + bad, firm.owner_token);
        EXPECT_EQ(r.status, 400) << bad;
        EXPECT_EQ(r.body["error"]["code"], "INVALID_FILTER") << bad;
    }
}

// kind narrows the login to one kind of account: a portal user is not found as staff or as
// an operator, a member is not found as a portal user, and operators need kind=operator.
TEST_F(MutationKills, LoginKindSelectsTheAccountTable) {
    auto client = make_client(firm, "Client One");
    make_portal_user(firm, client, "pat@client.test");
    make_operator("op@platform.test");
    auto login_as = [&](const std::string& email, const char* kind) {
        json body{{"email", email}, {"password", kPassword}};
        if (kind) body["kind"] = kind;
        return call("POST", "/api/v1/auth/login", "", body).status;
    };
    EXPECT_EQ(login_as("pat@client.test", nullptr), 200);
    EXPECT_EQ(login_as("pat@client.test", "portal"), 200);
    EXPECT_EQ(login_as("pat@client.test", "staff"), 401);
    EXPECT_EQ(login_as("pat@client.test", "operator"), 401);
    EXPECT_EQ(login_as(firm.owner_email, "staff"), 200);
    EXPECT_EQ(login_as(firm.owner_email, "portal"), 401);
    EXPECT_EQ(login_as(firm.owner_email, "operator"), 401);
    EXPECT_EQ(login_as("op@platform.test", "operator"), 200);
    EXPECT_EQ(login_as("op@platform.test", nullptr), 401);
    EXPECT_EQ(login_as("op@platform.test", "staff"), 401);
}

// /auth/me answers every field of each kind of principal, exactly.
TEST_F(MutationKills, MeDescribesEachKindOfPrincipalCompletely) {
    std::string user_id, portal_id, operator_id;
    auto client = make_client(firm, "Client One");
    auto portal = make_portal_user(firm, client, "pat@client.test", true, false);
    auto op = make_operator("op@platform.test");
    {
        storage::Transaction tx(db());
        user_id = tx.query_one("SELECT user_id FROM memberships WHERE id = ?", {firm.owner_membership_id})
                      ->str("user_id");
        portal_id = tx.query_one("SELECT id FROM portal_users WHERE email = 'pat@client.test'")->str("id");
        operator_id = tx.query_one("SELECT id FROM platform_operators WHERE email = 'op@platform.test'")->str("id");
    }
    auto me = [&](const std::string& token) {
        auto r = call("GET", "/api/v1/auth/me", token);
        EXPECT_EQ(r.status, 200) << r.raw.body;
        return r.body;
    };
    auto member = me(firm.owner_token);
    EXPECT_EQ(member["kind"], "member");
    EXPECT_EQ(member["user"], json({{"id", user_id}, {"email", firm.owner_email}}));
    ASSERT_TRUE(member["membership"].is_object());
    EXPECT_EQ(member["membership"]["id"], firm.owner_membership_id);
    EXPECT_EQ(member["membership"]["role"], "owner");
    EXPECT_EQ(member["membership"]["firm_id"], firm.id);
    EXPECT_TRUE(member["membership"]["capabilities"].is_array());
    EXPECT_FALSE(member["membership"]["capabilities"].empty());
    EXPECT_EQ(member["membership"].size(), 4u);

    EXPECT_EQ(me(portal), json({{"object", "principal"},
                                {"kind", "portal_user"},
                                {"portal_user",
                                 {{"id", portal_id},
                                  {"email", "pat@client.test"},
                                  {"client_id", client},
                                  {"can_view_billing", true},
                                  {"can_view_projects", false}}}}));
    EXPECT_EQ(me(op), json({{"object", "principal"},
                            {"kind", "operator"},
                            {"operator", {{"id", operator_id}, {"email", "op@platform.test"}, {"can_break_glass", true}}}}));
    auto bg = call("POST", "/api/v1/operator/break-glass", op, {{"firm_id", firm.id}, {"reason", "ticket"}});
    ASSERT_EQ(bg.status, 201) << bg.raw.body;
    auto glass = me(bg.body["token"]);
    EXPECT_EQ(glass["kind"], "break_glass");
    EXPECT_EQ(glass["operator"], json({{"id", operator_id}, {"email", "op@platform.test"}}));
    EXPECT_EQ(glass["break_glass"]["id"], bg.body["id"]);
    EXPECT_EQ(glass["break_glass"]["firm_id"], firm.id);
    EXPECT_EQ(glass["break_glass"]["reason"], "ticket");
    EXPECT_EQ(glass["break_glass"]["expires_at"], bg.body["expires_at"]);
    ASSERT_TRUE(glass["break_glass"].contains("impersonated_membership_id"));  // present, as null
    EXPECT_TRUE(glass["break_glass"]["impersonated_membership_id"].is_null());
    EXPECT_EQ(glass["break_glass"]["role"], "break_glass");
    EXPECT_TRUE(glass["break_glass"]["capabilities"].is_array());
}

// An operator's change is audited with the operator as actor (type, id, email), and the
// operator's verification names each problem it finds.
TEST_F(MutationKills, OperatorActionsAreAttributedAndProblemsNamed) {
    auto op = make_operator("op@platform.test");
    std::string operator_id;
    {
        storage::Transaction tx(db());
        operator_id = tx.query_one("SELECT id FROM platform_operators WHERE email = 'op@platform.test'")->str("id");
    }
    auto moved = call("POST", "/api/v1/operator/firms/" + firm.id + "/status", op,
                      {{"status", "suspended"}, {"reason", "unpaid"}});
    ASSERT_EQ(moved.status, 200) << moved.raw.body;
    storage::Transaction tx(db());
    auto row = tx.query_one(
        "SELECT actor_type, actor_id FROM audit_events WHERE firm_id = ? AND action = 'firm.status'", {firm.id});
    ASSERT_TRUE(row);
    EXPECT_EQ(row->str("actor_type"), "operator");
    EXPECT_EQ(row->str("actor_id"), operator_id);
    tx.exec("UPDATE audit_events SET action = 'x' WHERE firm_id = ? AND seq = 1", {firm.id});
    tx.commit();
    auto v = call("GET", "/api/v1/operator/audit/verify", op);
    ASSERT_EQ(v.status, 200) << v.raw.body;
    EXPECT_FALSE(v.body["ok"]);
    bool named = false;
    for (const auto& chain : v.body["chains"]) {
        for (const auto& p : chain["problems"]) {
            if (chain["chain"] == firm.id && p["seq"] == 1 && p.contains("problem") &&
                p["problem"].get<std::string>().find("row edited") != std::string::npos)
                named = true;
        }
    }
    EXPECT_TRUE(named) << v.raw.body;
}

// Serialized objects carry every documented field with its stored value.
TEST_F(MutationKills, PortalUsersAndBreakGlassSessionsSerializeEveryField) {
    auto client = make_client(firm, "Client One");
    auto created = call("POST", "/api/v1/clients/" + client + "/portal-users", firm.owner_token,
                        {{"email", "pat@client.test"},
                         {"name", "Pat"},
                         {"password", kPassword},
                         {"can_view_billing", true},
                         {"can_view_projects", false}});
    ASSERT_EQ(created.status, 201) << created.raw.body;
    auto list = call("GET", "/api/v1/clients/" + client + "/portal-users", firm.owner_token);
    ASSERT_EQ(list.status, 200) << list.raw.body;
    ASSERT_EQ(list.body["data"].size(), 1u);
    for (const auto& u : {created.body, list.body["data"][0]}) {
        EXPECT_EQ(u["can_view_billing"], true);
        EXPECT_EQ(u["can_view_projects"], false);
        EXPECT_EQ(u["email"], "pat@client.test");
        EXPECT_EQ(u["name"], "Pat");
        EXPECT_EQ(u["client_id"], client);
    }
    auto op = make_operator("op@platform.test");
    auto bg = call("POST", "/api/v1/operator/break-glass", op, {{"firm_id", firm.id}, {"reason", "ticket 99"}});
    ASSERT_EQ(bg.status, 201) << bg.raw.body;
    auto got = call("GET", "/api/v1/operator/break-glass/" + bg.body["id"].get<std::string>(), op);
    ASSERT_EQ(got.status, 200) << got.raw.body;
    EXPECT_EQ(got.body["reason"], "ticket 99");
    EXPECT_EQ(got.body["firm_id"], firm.id);
    EXPECT_EQ(bg.body["reason"], "ticket 99");
}

// The documented error shape is exactly what the API sends: an object with code, field and
// message strings, under "error" and as the items of "errors".
TEST_F(MutationKills, OpenApiDescribesTheErrorShape) {
    auto doc = call("GET", "/api/v1/openapi.json");
    ASSERT_EQ(doc.status, 200);
    const json string_type{{"type", "string"}};
    const json error_obj{{"type", "object"},
                         {"properties", {{"code", string_type}, {"field", string_type}, {"message", string_type}}}};
    const auto& schema = doc.body["components"]["schemas"]["Error"];
    EXPECT_EQ(schema["type"], "object");
    EXPECT_EQ(schema["properties"]["error"], error_obj);
    EXPECT_EQ(schema["properties"]["errors"], json({{"type", "array"}, {"items", error_obj}}));
    // And a real error body has that shape.
    auto missing = call("GET", "/api/v1/nope");
    for (const auto& key : {"code", "field", "message"}) EXPECT_TRUE(missing.body["error"][key].is_string()) << key;
}

// Expiring one break-glass session leaves every other session alone.
TEST_F(MutationKills, ExpiringOneBreakGlassSessionLeavesTheOthersActive) {
    auto other = make_firm("other");
    auto op = make_operator("op@platform.test");
    auto open = [&](const std::string& firm_id, int minutes) {
        auto r = call("POST", "/api/v1/operator/break-glass", op,
                      {{"firm_id", firm_id}, {"reason", "ticket"}, {"duration_minutes", minutes}});
        EXPECT_EQ(r.status, 201) << r.raw.body;
        return r.body;
    };
    auto short_one = open(firm.id, 5);
    auto long_same_firm = open(firm.id, 60);
    auto long_other_firm = open(other.id, 60);
    clock->advance(5 * 60);
    EXPECT_EQ(call("GET", "/api/v1/clients", short_one["token"]).status, 401);
    storage::Transaction tx(db());
    auto status = [&](const json& s) {
        return tx.query_one("SELECT status FROM break_glass_sessions WHERE id = ?", {s["id"].get<std::string>()})
            ->str("status");
    };
    EXPECT_EQ(status(short_one), "expired");
    EXPECT_EQ(status(long_same_firm), "active");
    EXPECT_EQ(status(long_other_firm), "active");
}

}  // namespace
}  // namespace cp::test
