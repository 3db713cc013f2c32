// Health, request ids, error shapes, login and sessions.
#include <cstdlib>

#include "tests/server/support.hpp"

namespace cp::test {
namespace {

class Basics : public ServerTest {};

TEST_F(Basics, HealthReportsBackendAndCarriesRequestId) {
    auto r = call("GET", "/healthz");
    EXPECT_EQ(r.status, 200);
    EXPECT_EQ(r.body["status"], "ok");
    EXPECT_EQ(r.body["database"], backend_name());
    EXPECT_TRUE(r.header("X-Request-Id").has_value());
}

// Liveness never touches storage; readiness needs the database and the current schema.
TEST_F(Basics, ReadinessNeedsTheDatabaseAndTheCurrentSchema) {
    int statements = 0;
    db().observe_statements([&](std::string_view, const storage::Params&) { ++statements; });
    EXPECT_EQ(call("GET", "/healthz").status, 200);
    EXPECT_EQ(statements, 0) << "/healthz ran SQL";
    db().observe_statements(nullptr);
    auto ready = call("GET", "/readyz");
    EXPECT_EQ(ready.status, 200) << ready.raw.body;
    EXPECT_EQ(ready.body["status"], "ready");
    {
        storage::Transaction tx(db());
        tx.exec("DELETE FROM schema_migrations WHERE version = (SELECT MAX(version) FROM schema_migrations)");
        tx.commit();
    }
    auto pending = call("GET", "/readyz");
    EXPECT_EQ(pending.status, 503);
    EXPECT_EQ(pending.body["error"]["code"], "MIGRATIONS_PENDING");
    EXPECT_TRUE(pending.header("Retry-After"));
    EXPECT_EQ(call("GET", "/healthz").status, 200) << "liveness does not depend on the schema";
    if (backend_name() == "postgresql") {
        // The server's connection is cut under it (as when PostgreSQL restarts): not ready.
        std::int64_t pid = 0;
        {
            storage::Transaction mine(db());
            pid = mine.query_one("SELECT pg_backend_pid() AS pid")->i64("pid");
            mine.commit();
        }
        auto admin = storage::open_database(std::getenv("CP_TEST_POSTGRES_URL"));
        storage::Transaction tx(*admin);
        tx.query("SELECT pg_terminate_backend(?)", {pid});
        tx.commit();
        auto down = call("GET", "/readyz");
        EXPECT_EQ(down.status, 503) << down.raw.body;
        EXPECT_EQ(call("GET", "/healthz").status, 200);
    }
}

TEST_F(Basics, CallerRequestIdIsEchoedWhenSafe) {
    auto r = call("GET", "/healthz", "", nullptr, {{"x-request-id", "abc-123"}});
    EXPECT_EQ(r.header("X-Request-Id"), "abc-123");
    auto bad = call("GET", "/healthz", "", nullptr, {{"x-request-id", "bad id\nwith newline"}});
    // An unsafe id is replaced by a generated one, never dropped.
    ASSERT_TRUE(bad.header("X-Request-Id").has_value());
    EXPECT_NE(*bad.header("X-Request-Id"), "bad id\nwith newline");
    EXPECT_FALSE(bad.header("X-Request-Id")->empty());
    EXPECT_EQ(bad.header("X-Request-Id")->find('\n'), std::string::npos);
}

TEST_F(Basics, UnknownRouteIsStable404AndWrongMethodIs405) {
    auto r = call("GET", "/api/v1/nope");
    EXPECT_EQ(r.status, 404);
    EXPECT_EQ(r.body["error"]["code"], "NOT_FOUND");
    EXPECT_EQ(r.body["errors"].size(), 1u);
    EXPECT_EQ(call("DELETE", "/api/v1/clients").status, 405);
}

TEST_F(Basics, SignupLoginMeLogout) {
    auto firm = make_firm("acme");
    ASSERT_FALSE(firm.owner_token.empty());
    auto me = call("GET", "/api/v1/auth/me", firm.owner_token);
    EXPECT_EQ(me.status, 200);
    EXPECT_EQ(me.body["membership"]["role"], "owner");
    EXPECT_EQ(me.body["membership"]["firm_id"], firm.id);
    EXPECT_EQ(call("POST", "/api/v1/auth/logout", firm.owner_token).status, 200);
    EXPECT_EQ(call("GET", "/api/v1/auth/me", firm.owner_token).status, 401);
}

TEST_F(Basics, LoginFailuresDoNotRevealWhichAccountsExist) {
    make_firm("acme");
    auto wrong = call("POST", "/api/v1/auth/login", "", {{"email", "owner@acme.test"}, {"password", "nope"}});
    auto unknown =
        call("POST", "/api/v1/auth/login", "", {{"email", "ghost@acme.test"}, {"password", "nope"}});
    EXPECT_EQ(wrong.status, 401);
    EXPECT_EQ(unknown.status, 401);
    EXPECT_EQ(wrong.raw.body, unknown.raw.body);
}

TEST_F(Basics, LoginResponseCarriesUserAndMembership) {
    make_firm("acme");
    auto r = call("POST", "/api/v1/auth/login", "", {{"email", "OWNER@acme.test"}, {"password", kPassword}});
    ASSERT_EQ(r.status, 200) << r.raw.body;
    EXPECT_EQ(r.body["user"]["email"], "owner@acme.test");
    EXPECT_EQ(r.body["membership"]["role"], "owner");
    EXPECT_EQ(r.body["membership"]["firm"]["slug"], "acme");
    EXPECT_EQ(r.body["token"].get<std::string>().size(), 64u);
}

TEST_F(Basics, TokensAreStoredHashedAndExpire) {
    auto firm = make_firm("acme");
    storage::Transaction tx(db());
    auto rows = tx.query("SELECT token_hash FROM sessions");
    tx.commit();
    for (const auto& r : rows) EXPECT_NE(r.str("token_hash"), firm.owner_token);
    clock->advance(config.session_ttl_seconds + 1);
    EXPECT_EQ(call("GET", "/api/v1/firm", firm.owner_token).status, 401);
}

TEST_F(Basics, ThrottlesPerAccountWithRetryAfter) {
    make_firm("acme");
    for (int i = 0; i < config.throttle.per_account_address; ++i) {
        EXPECT_EQ(call("POST", "/api/v1/auth/login", "", {{"email", "owner@acme.test"}, {"password", "bad"}})
                      .status,
                  401);
    }
    auto blocked =
        call("POST", "/api/v1/auth/login", "", {{"email", "owner@acme.test"}, {"password", kPassword}});
    EXPECT_EQ(blocked.status, 429);
    ASSERT_TRUE(blocked.header("Retry-After"));
    EXPECT_GT(std::stoll(*blocked.header("Retry-After")), 0);
    // An unknown account throttles identically (no enumeration through 429s either).
    for (int i = 0; i < config.throttle.per_account_address; ++i) {
        call("POST", "/api/v1/auth/login", "", {{"email", "ghost@acme.test"}, {"password", "bad"}});
    }
    EXPECT_EQ(
        call("POST", "/api/v1/auth/login", "", {{"email", "ghost@acme.test"}, {"password", "bad"}}).status,
        429);
    clock->advance(config.throttle.window_seconds);
    EXPECT_EQ(call("POST", "/api/v1/auth/login", "", {{"email", "owner@acme.test"}, {"password", kPassword}})
                  .status,
              200);
}

TEST_F(Basics, ThrottlesPerAddress) {
    make_firm("acme");
    for (int i = 0; i < config.throttle.per_address; ++i) {
        call("POST", "/api/v1/auth/login", "",
             {{"email", "u" + std::to_string(i) + "@x.test"}, {"password", "bad"}});
    }
    auto r = call("POST", "/api/v1/auth/login", "", {{"email", "owner@acme.test"}, {"password", kPassword}});
    EXPECT_EQ(r.status, 429);
}

TEST_F(Basics, MalformedJsonIs400) {
    auto r = raw_call("POST", "/api/v1/auth/login", "", "{not json");
    EXPECT_EQ(r.status, 400);
    EXPECT_EQ(r.body["error"]["code"], "INVALID_JSON");
    // A NUL byte would end the JSON parser's input early: a valid object before it is no excuse.
    auto nul = raw_call("POST", "/api/v1/auth/login", "",
                        std::string(R"({"email":"owner@acme.test","password":"x"})") + '\0' + "junk");
    EXPECT_EQ(nul.status, 400);
    EXPECT_EQ(nul.body["error"]["code"], "INVALID_JSON");
}

}  // namespace
}  // namespace cp::test
