// Concurrent storage: reads run beside the writer and beside each other (SQLite WAL
// readers, PostgreSQL pool), see only committed data, never write, and give up with
// DbError busy at their deadline rather than queueing forever.
#include <chrono>
#include <future>
#include <thread>

#include "tests/server/support.hpp"

namespace cp::test {
namespace {

using namespace std::chrono_literals;

class ConcurrentStorage : public ServerTest {
protected:
    static std::chrono::steady_clock::time_point soon() { return std::chrono::steady_clock::now() + 2s; }
};

TEST_F(ConcurrentStorage, ReadsDoNotWaitForTheWriterAndSeeOnlyCommittedRows) {
    storage::Transaction writer(db());
    writer.exec(
        "INSERT INTO platform_operators (id, email, name, password_hash, can_break_glass, created_at) "
        "VALUES ('op_pending', 'p@x.test', 'P', 'h', 0, 0)");
    // Same thread, writer still open: with one connection behind one lock this would hang.
    storage::Transaction reader(db(), storage::TxMode::read, soon());
    EXPECT_FALSE(reader.query_one("SELECT id FROM platform_operators WHERE id = 'op_pending'"));
    storage::Transaction second_reader(db(), storage::TxMode::read, soon());
    EXPECT_TRUE(second_reader.query_one("SELECT COUNT(*) AS n FROM platform_operators"));
    writer.commit();
    storage::Transaction later(db(), storage::TxMode::read, soon());
    EXPECT_TRUE(later.query_one("SELECT id FROM platform_operators WHERE id = 'op_pending'"));
}

TEST_F(ConcurrentStorage, AReadTransactionRefusesToWrite) {
    storage::Transaction reader(db(), storage::TxMode::read, soon());
    EXPECT_THROW(reader.exec("DELETE FROM platform_operators"), storage::NeedsWriteTransaction);
    EXPECT_THROW(reader.query("SELECT id FROM firms WHERE id = ? FOR UPDATE", {"x"}),
                 storage::NeedsWriteTransaction);
    EXPECT_NO_THROW(reader.query("  select id from firms"));
}

TEST_F(ConcurrentStorage, TheWritersTurnEndsAtTheDeadline) {
    storage::Transaction writer(db());
    std::thread other([&] {
        try {
            storage::Transaction second(db(), storage::TxMode::write,
                                        std::chrono::steady_clock::now() + 100ms);
            ADD_FAILURE() << "two writers at once";
        } catch (const storage::DbError& e) {
            EXPECT_EQ(e.kind(), storage::DbError::Kind::busy) << e.what();
        }
    });
    other.join();
}

TEST_F(ConcurrentStorage, AnExhaustedPoolGivesUpAtTheDeadline) {
    auto small = storage::open_database(database_url(), "", 1);
    storage::Transaction held(*small, storage::TxMode::read, soon());
    const auto started = std::chrono::steady_clock::now();
    try {
        storage::Transaction waiting(*small, storage::TxMode::read, std::chrono::steady_clock::now() + 100ms);
        FAIL() << "a pool of one lent two connections";
    } catch (const storage::DbError& e) {
        EXPECT_EQ(e.kind(), storage::DbError::Kind::busy);
    }
    EXPECT_GE(std::chrono::steady_clock::now() - started, 90ms);
}

TEST_F(ConcurrentStorage, GetRequestsAnswerWhileAWriteIsOpen) {
    auto firm = make_firm("acme");
    auto client = make_client(firm, "Client");
    storage::Transaction writer(db());
    auto r = call("GET", "/api/v1/clients/" + client, firm.owner_token);
    EXPECT_EQ(r.status, 200) << r.raw.body;
    EXPECT_EQ(r.body.value("id", ""), client);
}

TEST_F(ConcurrentStorage, WritesPastTheDeadlineAnswer503WithRetryAfter) {
    auto firm = make_firm("acme");
    config.request_deadline = 200ms;
    auto impatient = std::make_unique<server::App>(storage::open_database(database_url()), clock, config);
    // Another thread holds this app's writer's turn (a timed mutex cannot be re-tried by its owner).
    std::promise<void> held, done;
    std::thread writer([&] {
        storage::Transaction tx(impatient->db());
        held.set_value();
        done.get_future().wait();
    });
    held.get_future().wait();
    http::Request req;
    req.method = "POST";
    req.target = req.path = "/api/v1/clients";
    req.headers = {{"authorization", "Bearer " + firm.owner_token}, {"content-type", "application/json"}};
    req.body = R"({"name":"Late","billing_email":"late@x.test"})";
    auto r = impatient->handle(req);
    EXPECT_EQ(r.status, 503) << r.body;
    EXPECT_NE(r.body.find("SERVICE_BUSY"), std::string::npos) << r.body;
    bool retry_after = false;
    for (const auto& [k, v] : r.headers) retry_after = retry_after || k == "Retry-After";
    EXPECT_TRUE(retry_after);
    done.set_value();
    writer.join();
}

}  // namespace
}  // namespace cp::test
