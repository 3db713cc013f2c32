// Storage: migrations are recorded and idempotent; SQLite runs with WAL, FULL sync and
// foreign keys; placeholders are numbered for PostgreSQL; constraint errors are typed.
#include "server/storage/migrations/migrations.hpp"
#include "server/storage/postgres/postgres_connection.hpp"
#include "tests/server/support.hpp"

namespace cp::test {
namespace {

class Storage : public ServerTest {};

TEST_F(Storage, MigrationsAreRecordedAndIdempotent) {
    EXPECT_TRUE(storage::migrate(db(), clock->now()).empty());
    storage::Transaction tx(db());
    auto rows = tx.query("SELECT version, name FROM schema_migrations ORDER BY version");
    tx.commit();
    ASSERT_EQ(rows.size(), storage::migrations().size());
    EXPECT_EQ(rows[0].i64("version"), 1);
    EXPECT_EQ(rows.back().i64("version"), storage::migrations().back().version);
}

TEST_F(Storage, SqlitePragmas) {
    if (backend_name() != "sqlite") GTEST_SKIP() << "SQLite only";
    storage::Transaction tx(db());
    EXPECT_EQ(tx.query_one("PRAGMA foreign_keys")->i64("foreign_keys"), 1);
    EXPECT_EQ(tx.query_one("PRAGMA synchronous")->i64("synchronous"), 2);  // FULL
    tx.commit();
    storage::Transaction tx2(db());
    EXPECT_EQ(tx2.query_one("PRAGMA journal_mode")->str("journal_mode"), "wal");
}

TEST_F(Storage, PlaceholdersAreNumbered) {
    EXPECT_EQ(storage::number_placeholders("a = ? AND b = ? AND c = '?'"), "a = $1 AND b = $2 AND c = '?'");
}

TEST_F(Storage, ConstraintViolationsAreTyped) {
    storage::Transaction tx(db());
    try {
        tx.exec(
            "INSERT INTO memberships (id, firm_id, user_id, role, status, created_at, updated_at) "
            "VALUES ('m', 'no-such-firm', 'no-such-user', 'owner', 'active', 0, 0)");
        FAIL() << "foreign keys not enforced";
    } catch (const storage::DbError& e) {
        EXPECT_EQ(e.kind(), storage::DbError::Kind::foreign_key_violation) << e.what();
    }
}

TEST_F(Storage, RollbackOnDestruction) {
    {
        storage::Transaction tx(db());
        tx.exec(
            "INSERT INTO platform_operators (id, email, name, password_hash, can_break_glass, created_at) "
            "VALUES ('op1', 'x@y.test', 'X', 'h', 0, 0)");
    }
    storage::Transaction tx(db());
    EXPECT_FALSE(tx.query_one("SELECT id FROM platform_operators WHERE id = 'op1'"));
}

TEST_F(Storage, ConflictsBecome409NotServerErrors) {
    auto firm = make_firm("acme");
    // Bypass the handler's pre-check: a unique violation at commit time maps to 409.
    storage::Transaction tx(db());
    tx.exec(
        "INSERT INTO clients (id, firm_id, name, status, billing_email, time_zone, portal_enabled, "
        "autopay_enabled, contacts, created_at, updated_at) VALUES ('c1', ?, 'Same', 'active', 'a@b.test', "
        "'UTC', 0, 0, '[]', 0, 0)",
        {firm.id});
    EXPECT_THROW(
        tx.exec("INSERT INTO clients (id, firm_id, name, status, billing_email, time_zone, portal_enabled, "
                "autopay_enabled, contacts, created_at, updated_at) VALUES ('c2', ?, 'Same', 'active', "
                "'a@b.test', 'UTC', 0, 0, '[]', 0, 0)",
                {firm.id}),
        storage::DbError);
}

// The database, not only the handler's state check, allows one renewal per version, so
// two servers renewing at once cannot both create version + 1.
TEST_F(Storage, OneRenewalPerEngagementVersion) {
    auto firm = make_firm("acme");
    const std::string client = make_client(firm, "Client");
    const std::string parent = make_engagement(firm, client);
    const std::string insert =
        "INSERT INTO engagements (id, firm_id, client_id, name, version, parent_id, status, pricing_mode, "
        "package_fee, hourly_rate, currency, schedule, payment_terms_days, start_date, end_date, created_at, "
        "updated_at) VALUES (?, ?, ?, 'Advisory', 2, ?, 'current', 'package', 100000, NULL, 'USD', "
        "'monthly', "
        "30, '2026-01-01', '2026-12-31', 0, 0)";
    storage::Transaction tx(db());
    tx.exec(insert, {"eng_v2_a", firm.id, client, parent});
    try {
        tx.exec(insert, {"eng_v2_b", firm.id, client, parent});
        FAIL() << "a second renewal of the same version was stored";
    } catch (const storage::DbError& e) {
        EXPECT_EQ(e.kind(), storage::DbError::Kind::unique_violation) << e.what();
    }
}

}  // namespace
}  // namespace cp::test
