// The audit log: written with each change, hash-chained per firm, tamper-evident
// (edited, deleted and truncated rows are all found), readable with filters and
// pagination by owners/admins, redacted (not deleted) at the end of retention.
#include "server/audit/audit_log.hpp"
#include "tests/server/support.hpp"

namespace cp::test {
namespace {

class Audit : public ServerTest {
protected:
    void SetUp() override {
        ServerTest::SetUp();
        firm = make_firm("acme");
        make_client(firm, "Client One");
        make_client(firm, "Client Two");
    }
    json verify() {
        auto r = call("GET", "/api/v1/audit/verify", firm.owner_token);
        EXPECT_EQ(r.status, 200) << r.raw.body;
        return r.body;
    }
    void sql(const std::string& statement, const storage::Params& params) {
        storage::Transaction tx(db());
        tx.exec(statement, params);
        tx.commit();
    }
    Firm firm;
};

TEST_F(Audit, ChangesAreAuditedWithActorAndTarget) {
    auto r = call("GET", "/api/v1/audit?category=CONFIG&action=client.create", firm.owner_token);
    ASSERT_EQ(r.status, 200) << r.raw.body;
    ASSERT_EQ(r.body["data"].size(), 2u);
    const auto& e = r.body["data"][0];
    EXPECT_EQ(e["actor"]["email"], firm.owner_email);
    EXPECT_EQ(e["actor"]["role"], "owner");
    EXPECT_EQ(e["target"]["type"], "client");
    EXPECT_EQ(e["target"]["label"], "Client One");
    EXPECT_EQ(e["severity"], "INFO");
}

TEST_F(Audit, ChainVerifiesWhenUntouched) {
    auto v = verify();
    EXPECT_TRUE(v["ok"]) << v.dump();
    EXPECT_GE(v["checked"].get<int>(), 5);
}

TEST_F(Audit, EditedRowIsDetected) {
    sql("UPDATE audit_events SET action = 'client.delete' WHERE firm_id = ? AND seq = 4", {firm.id});
    auto v = verify();
    EXPECT_FALSE(v["ok"]);
    ASSERT_FALSE(v["problems"].empty());
    EXPECT_EQ(v["problems"][0]["seq"], 4);
}

TEST_F(Audit, EditedPayloadIsDetected) {
    sql("UPDATE audit_events SET payload = REPLACE(payload, 'Client One', 'Someone Else') WHERE firm_id = ?",
        {firm.id});
    EXPECT_FALSE(verify()["ok"]);
}

TEST_F(Audit, RehashedRowStillBreaksTheChain) {
    // A forger who recomputes the edited row's own hash still breaks the next row's link.
    {
        storage::Transaction tx(db());
        tx.exec("UPDATE audit_events SET hash = ? WHERE firm_id = ? AND seq = 3",
                {std::string(64, 'a'), firm.id});
        tx.commit();
    }
    auto v = verify();
    EXPECT_FALSE(v["ok"]);
}

TEST_F(Audit, DeletedRowIsDetected) {
    sql("DELETE FROM audit_events WHERE firm_id = ? AND seq = 2", {firm.id});
    auto v = verify();
    EXPECT_FALSE(v["ok"]);
    EXPECT_NE(v["problems"].dump().find("gap"), std::string::npos) << v.dump();
}

TEST_F(Audit, DeletedNewestRowIsDetected) {
    storage::Transaction tx(db());
    auto head = tx.query_one("SELECT MAX(seq) AS s FROM audit_events WHERE firm_id = ?", {firm.id});
    tx.exec("DELETE FROM audit_events WHERE firm_id = ? AND seq = ?", {firm.id, head->i64("s")});
    tx.commit();
    EXPECT_FALSE(verify()["ok"]);
}

TEST_F(Audit, OperatorVerifiesEveryChain) {
    auto op = make_operator("op@platform.test");
    auto all = call("GET", "/api/v1/operator/audit/verify", op);
    EXPECT_TRUE(all.body["ok"]) << all.raw.body;
    {
        // The tamper must really change the row: seq 1 is not CRITICAL before it.
        storage::Transaction tx(db());
        auto row = tx.query_one("SELECT severity FROM audit_events WHERE firm_id = ? AND seq = 1", {firm.id});
        ASSERT_TRUE(row);
        ASSERT_NE(row->str("severity"), "CRITICAL");
    }
    sql("UPDATE audit_events SET severity = 'CRITICAL' WHERE firm_id = ? AND seq = 1", {firm.id});
    auto tampered = call("GET", "/api/v1/operator/audit/verify", op);
    ASSERT_EQ(tampered.status, 200) << tampered.raw.body;
    EXPECT_FALSE(tampered.body["ok"]) << tampered.raw.body;
}

TEST_F(Audit, PaginationAndFilters) {
    auto page1 = call("GET", "/api/v1/audit?limit=2", firm.owner_token);
    ASSERT_EQ(page1.status, 200);
    EXPECT_EQ(page1.body["data"].size(), 2u);
    EXPECT_TRUE(page1.body["has_more"]);
    auto cursor = page1.body["next_cursor"].get<std::string>();
    auto page2 = call("GET", "/api/v1/audit?limit=2&cursor=" + cursor, firm.owner_token);
    EXPECT_GT(page2.body["data"][0]["seq"].get<int>(), page1.body["data"][1]["seq"].get<int>());
    EXPECT_EQ(call("GET", "/api/v1/audit?limit=201", firm.owner_token).status, 400);
    EXPECT_EQ(call("GET", "/api/v1/audit?limit=0", firm.owner_token).status, 400);
    auto perms = call("GET", "/api/v1/audit?category=PERMISSIONS", firm.owner_token);
    ASSERT_EQ(perms.status, 200) << perms.raw.body;
    ASSERT_FALSE(perms.body["data"].empty()) << "the firm's creation grants the owner role (PERMISSIONS)";
    for (const auto& e : perms.body["data"]) EXPECT_EQ(e["category"], "PERMISSIONS");
    auto since = call("GET", "/api/v1/audit?since=" + std::to_string(clock->now() + 1), firm.owner_token);
    ASSERT_EQ(since.status, 200) << since.raw.body;  // an error body has no data either
    EXPECT_TRUE(since.body["data"].empty());
}

TEST_F(Audit, ShorteningRetentionIsTampering) {
    sql("UPDATE audit_events SET retain_until = 0 WHERE firm_id = ?", {firm.id});
    EXPECT_FALSE(verify()["ok"]);
}

TEST_F(Audit, RetentionRedactionVerifies) {
    storage::Transaction tx(db());
    auto n = server::audit::apply_retention(tx, clock->now() + 2 * 365 * 86400);  // AUTH, CONFIG expired
    EXPECT_GT(n, 0);
    auto v = server::audit::verify_chain(tx, firm.id, clock->now() + 2 * 365 * 86400);
    tx.commit();
    EXPECT_TRUE(v.ok()) << (v.problems.empty() ? "" : v.problems[0].problem);
    auto listed = call("GET", "/api/v1/audit?category=CONFIG", firm.owner_token);
    EXPECT_TRUE(listed.body["data"][0]["redacted"]);
    EXPECT_TRUE(listed.body["data"][0]["target"]["label"].is_null());
    // PERMISSIONS (3 y) kept in full.
    auto perms = call("GET", "/api/v1/audit?category=PERMISSIONS", firm.owner_token);
    EXPECT_FALSE(perms.body["data"][0]["redacted"]);
}

TEST_F(Audit, RedactingEarlyIsTampering) {
    sql("UPDATE audit_events SET payload = NULL, redacted_at = ? WHERE firm_id = ? AND seq = 1",
        {clock->now(), firm.id});
    EXPECT_FALSE(verify()["ok"]);
}

TEST_F(Audit, NoRouteChangesAuditRows) {
    for (const auto& r : server::route_table()) {
        std::string p = r.pattern;
        if (p.find("/audit") == std::string::npos) continue;
        EXPECT_EQ(std::string(r.method), "GET") << p;
    }
}

TEST_F(Audit, FirmSettingsChangeRecordsBeforeAfterAndRollsBack) {
    auto changed =
        call("PATCH", "/api/v1/firm/settings", firm.owner_token,
             {{"name", "Acme Two"}, {"settings", {{"payment_terms_days", 45}}}, {"reason", "new terms"}});
    ASSERT_EQ(changed.status, 200) << changed.raw.body;
    EXPECT_EQ(changed.body["settings"]["payment_terms_days"], 45);
    auto ev = call("GET", "/api/v1/audit?action=firm.settings.update", firm.owner_token);
    ASSERT_EQ(ev.body["data"].size(), 1u);
    EXPECT_EQ(ev.body["data"][0]["metadata"]["before"]["name"], "Firm acme");
    EXPECT_EQ(ev.body["data"][0]["metadata"]["after"]["name"], "Acme Two");
    EXPECT_EQ(ev.body["data"][0]["reason"], "new terms");

    auto snaps = call("GET", "/api/v1/firm/settings/snapshots", firm.owner_token);
    ASSERT_EQ(snaps.body["data"].size(), 1u);
    auto rolled = call(
        "POST",
        "/api/v1/firm/settings/snapshots/" + changed.body["snapshot_id"].get<std::string>() + "/rollback",
        firm.owner_token, {{"reason", "oops"}});
    ASSERT_EQ(rolled.status, 200) << rolled.raw.body;
    EXPECT_EQ(rolled.body["name"], "Firm acme");
    EXPECT_EQ(rolled.body["settings"]["payment_terms_days"], 30);
    auto rb = call("GET", "/api/v1/audit?action=firm.settings.rollback", firm.owner_token);
    ASSERT_EQ(rb.body["data"].size(), 1u);
    EXPECT_EQ(rb.body["data"][0]["metadata"]["after"]["name"], "Firm acme");
    EXPECT_TRUE(verify()["ok"]);
}

TEST_F(Audit, SettingsAreAllowlisted) {
    auto r = call("PATCH", "/api/v1/firm/settings", firm.owner_token,
                  {{"slug", "new"}, {"settings", {{"colour", "red"}}}});
    EXPECT_EQ(r.status, 422);
    EXPECT_EQ(r.body["errors"].size(), 2u);
}

}  // namespace
}  // namespace cp::test

namespace cp::test {
namespace {

class AuditAtomicity : public ServerTest {};

// An audit write is part of the change's transaction: when it fails, the change is gone too.
TEST_F(AuditAtomicity, FailedAuditWriteRollsBackTheChange) {
    auto firm = make_firm("acme");
    {
        // Occupy the next sequence number so the next append collides on (firm_id, seq).
        storage::Transaction tx(db());
        auto head = tx.query_one("SELECT seq FROM audit_chain_heads WHERE firm_id = ?", {firm.id});
        tx.exec(
            "INSERT INTO audit_events (id, firm_id, seq, created_at, category, action, severity, actor_type, "
            "actor_id, actor_role, break_glass_id, target_type, target_id, outcome, retain_until, payload, "
            "payload_hash, prev_hash, hash) VALUES ('evt_blocker', ?, ?, 0, 'SYSTEM', 'x', 'INFO', 'system', "
            "'', '', "
            "'', '', '', 'success', 0, NULL, '', '', '')",
            {firm.id, head->i64("seq") + 1});
        tx.commit();
    }
    auto r = call("POST", "/api/v1/clients", firm.owner_token,
                  {{"company_name", "Ghost"}, {"billing_email", "g@g.test"}});
    // A unique-key collision in the audit write is a 409 CONFLICT, never a 500.
    EXPECT_EQ(r.status, 409) << r.raw.body;
    EXPECT_EQ(r.body["error"]["code"], "CONFLICT") << r.raw.body;
    storage::Transaction tx(db());
    EXPECT_FALSE(tx.query_one("SELECT id FROM clients WHERE name = 'Ghost'"));
}

}  // namespace
}  // namespace cp::test
