// Every hash, field by field: changing any one covered field must change the outcome.
//  - the audit chain's row hash: each hashed column, edited alone, is reported as an edited
//    header at that row; the payload by its own hash; firm_id by moving a row to another
//    firm's chain (head and links made consistent, so only the hash can tell);
//  - the idempotency request hash (method, path, body) and its scope and 24 h lifetime;
//  - the session token hash: any changed character of a token is a different token.
#include <algorithm>

#include "tests/server/support.hpp"

namespace cp::test {
namespace {

class HashFields : public ServerTest {
protected:
    void SetUp() override {
        ServerTest::SetUp();
        firm = make_firm("acme");
        make_client(firm, "Client One");
        make_client(firm, "Client Two");
    }
    json verify(const std::string& token) {
        auto r = call("GET", "/api/v1/audit/verify", token);
        EXPECT_EQ(r.status, 200) << r.raw.body;
        return r.body;
    }
    void sql(const std::string& statement, const storage::Params& params) {
        storage::Transaction tx(db());
        tx.exec(statement, params);
        tx.commit();
    }
    static bool has_problem(const json& v, std::int64_t seq, const std::string& text) {
        for (const auto& p : v["problems"]) {
            if (p["seq"] == seq && p["problem"].get<std::string>().find(text) != std::string::npos) return true;
        }
        return false;
    }
    Firm firm;
};

// The hashed header's columns, as audit_log.cpp lists them (firm_id and seq have their own
// tests below). Text columns get a character appended, numbers get one added.
struct Column {
    const char* name;
    bool numeric;
};
constexpr Column kHashedColumns[] = {
    {"created_at", true},   {"category", false},     {"action", false},         {"severity", false},
    {"actor_type", false},  {"actor_id", false},     {"actor_role", false},     {"break_glass_id", false},
    {"target_type", false}, {"target_id", false},    {"outcome", false},        {"retain_until", true},
    {"payload_hash", false}, {"prev_hash", false},
};

TEST_F(HashFields, EditingAnyHashedAuditColumnIsDetectedAtThatRow) {
    ASSERT_TRUE(verify(firm.owner_token)["ok"]);
    for (const auto& c : kHashedColumns) {
        SCOPED_TRACE(c.name);
        const std::string col = c.name;
        const std::string change = c.numeric ? col + " + 1" : col + " || 'x'";
        sql("UPDATE audit_events SET " + col + " = " + change + " WHERE firm_id = ? AND seq = 2", {firm.id});
        auto v = verify(firm.owner_token);
        EXPECT_FALSE(v["ok"]);
        EXPECT_TRUE(has_problem(v, 2, "header does not match its hash")) << v.dump();
        // Undo, and the chain verifies again (so each column is tested alone).
        const std::string undo = c.numeric ? col + " - 1" : "SUBSTR(" + col + ", 1, LENGTH(" + col + ") - 1)";
        sql("UPDATE audit_events SET " + col + " = " + undo + " WHERE firm_id = ? AND seq = 2", {firm.id});
        EXPECT_TRUE(verify(firm.owner_token)["ok"]) << "undoing " << col;
    }
}

TEST_F(HashFields, EditingThePayloadIsDetectedByItsHash) {
    sql("UPDATE audit_events SET payload = payload || ' ' WHERE firm_id = ? AND seq = 2", {firm.id});
    auto v = verify(firm.owner_token);
    EXPECT_FALSE(v["ok"]);
    EXPECT_TRUE(has_problem(v, 2, "payload does not match its hash")) << v.dump();
}

TEST_F(HashFields, RenumberingTheNewestRowIsDetectedByItsHash) {
    storage::Transaction tx(db());
    auto head = tx.query_one("SELECT seq FROM audit_chain_heads WHERE firm_id = ?", {firm.id});
    ASSERT_TRUE(head);
    const auto seq = head->i64("seq");
    tx.exec("UPDATE audit_events SET seq = ? WHERE firm_id = ? AND seq = ?", {seq + 1, firm.id, seq});
    tx.exec("UPDATE audit_chain_heads SET seq = ? WHERE firm_id = ?", {seq + 1, firm.id});
    tx.commit();
    auto v = verify(firm.owner_token);
    EXPECT_FALSE(v["ok"]);
    EXPECT_TRUE(has_problem(v, seq + 1, "header does not match its hash")) << v.dump();
}

TEST_F(HashFields, MovingARowToAnotherFirmsChainIsDetectedByItsHash) {
    auto other = make_firm("other");
    storage::Transaction tx(db());
    auto mine = tx.query_one("SELECT seq, hash FROM audit_chain_heads WHERE firm_id = ?", {firm.id});
    auto theirs = tx.query_one("SELECT seq, hash FROM audit_chain_heads WHERE firm_id = ?", {other.id});
    ASSERT_TRUE(mine && theirs);
    auto row = tx.query_one("SELECT hash FROM audit_events WHERE firm_id = ? AND seq = ?",
                            {firm.id, mine->i64("seq")});
    ASSERT_TRUE(row);
    const auto new_seq = theirs->i64("seq") + 1;
    // Everything but the hash itself made consistent with the other chain: the seq follows
    // its head, prev_hash links to it, and the head points at the moved row.
    tx.exec("UPDATE audit_events SET firm_id = ?, seq = ?, prev_hash = ? WHERE firm_id = ? AND seq = ?",
            {other.id, new_seq, theirs->str("hash"), firm.id, mine->i64("seq")});
    tx.exec("UPDATE audit_chain_heads SET seq = ?, hash = ? WHERE firm_id = ?", {new_seq, row->str("hash"), other.id});
    tx.commit();
    auto v = verify(other.owner_token);
    EXPECT_FALSE(v["ok"]);
    EXPECT_TRUE(has_problem(v, new_seq, "header does not match its hash")) << v.dump();
}

// --- idempotency: the request hash covers the path and the body; the key is per caller -------

class IdempotencyHash : public ServerTest {
protected:
    void SetUp() override {
        ServerTest::SetUp();
        firm = make_firm("acme");
        client = make_client(firm, "Client One");
    }
    Reply post_client(const json& body, const std::string& key, const std::string& token = "") {
        return call("POST", "/api/v1/clients", token.empty() ? firm.owner_token : token, body,
                    {{"idempotency-key", key}});
    }
    json body{{"company_name", "Once"}, {"billing_email", "once@client.test"}};
    Firm firm;
    std::string client;
};

TEST_F(IdempotencyHash, TheSameRequestReplaysAndADifferentBodyIsRefused) {
    auto first = post_client(body, "k");
    ASSERT_EQ(first.status, 201) << first.raw.body;
    auto replay = post_client(body, "k");
    EXPECT_EQ(replay.status, 201);
    EXPECT_EQ(replay.header("Idempotent-Replayed"), "true");
    EXPECT_EQ(replay.raw.body, first.raw.body);
    for (const auto& [field, value] : body.items()) {
        json changed = body;
        changed[field] = value.get<std::string>() + "x";
        auto r = post_client(changed, "k");
        EXPECT_EQ(r.status, 422) << field << ": " << r.raw.body;
        EXPECT_EQ(r.body["error"]["code"], "IDEMPOTENCY_KEY_REUSED") << field;
    }
}

TEST_F(IdempotencyHash, TheSameKeyOnAnotherPathIsADifferentRequest) {
    ASSERT_EQ(post_client(body, "k").status, 201);
    json engagement{{"client_id", client},        {"name", "Advisory"},         {"pricing_mode", "package"},
                    {"package_fee", "1500.00"},     {"start_date", "2026-01-01"}, {"end_date", "2026-12-31"}};
    auto r = call("POST", "/api/v1/engagements", firm.owner_token, engagement, {{"idempotency-key", "k"}});
    EXPECT_EQ(r.status, 422) << r.raw.body;
    EXPECT_EQ(r.body["error"]["code"], "IDEMPOTENCY_KEY_REUSED");
}

TEST_F(IdempotencyHash, KeysArePerMemberNotPerFirm) {
    ASSERT_EQ(post_client(body, "k").status, 201);
    auto admin = add_member(firm, "admin", "admin@acme.test");
    json other{{"company_name", "Twice"}, {"billing_email", "twice@client.test"}};
    auto r = post_client(other, "k", admin);
    EXPECT_EQ(r.status, 201) << r.raw.body;
    EXPECT_FALSE(r.header("Idempotent-Replayed"));
}

TEST_F(IdempotencyHash, AKeyLivesTwentyFourHoursToTheSecond) {
    const auto start = clock->now();
    ASSERT_EQ(post_client(body, "k").status, 201);
    // Sessions last 12 hours: the same member signs in again (the key's scope is the member).
    clock->set(start + 24 * 3600 - 1);
    const auto token = login(firm.owner_email);
    auto still = post_client(body, "k", token);
    EXPECT_EQ(still.header("Idempotent-Replayed"), "true");
    EXPECT_EQ(post_client({{"company_name", "Other"}, {"billing_email", "o@client.test"}}, "k", token).status, 422);
    clock->set(start + 24 * 3600);
    auto fresh = post_client({{"company_name", "Other"}, {"billing_email", "o@client.test"}}, "k", token);
    EXPECT_EQ(fresh.status, 201) << fresh.raw.body;
    EXPECT_FALSE(fresh.header("Idempotent-Replayed"));
}

// --- session tokens: looked up by their hash; any changed character is another token --------

class TokenHashes : public ServerTest {};

TEST_F(TokenHashes, AnyChangedCharacterOfATokenIsRefused) {
    auto firm = make_firm("acme");
    const std::string token = firm.owner_token;
    ASSERT_EQ(call("GET", "/api/v1/auth/me", token).status, 200);
    ASSERT_GE(token.size(), 16u);
    for (size_t i : {size_t{0}, token.size() / 2, token.size() - 1}) {
        std::string t = token;
        t[i] = t[i] == 'A' ? 'B' : 'A';
        EXPECT_EQ(call("GET", "/api/v1/auth/me", t).status, 401) << "changed at " << i;
    }
    EXPECT_EQ(call("GET", "/api/v1/auth/me", token + "A").status, 401);
    EXPECT_EQ(call("GET", "/api/v1/auth/me", token.substr(0, token.size() - 1)).status, 401);
    // Stored as a hash: the table never holds the token itself.
    storage::Transaction tx(db());
    EXPECT_FALSE(tx.query_one("SELECT id FROM sessions WHERE token_hash = ?", {token}));
}

}  // namespace
}  // namespace cp::test
