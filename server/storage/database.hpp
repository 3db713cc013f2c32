#pragma once
// The one storage interface. Two backends implement it (SQLite, PostgreSQL), chosen by
// URL. SQL is written once, portably, with `?` placeholders (the PostgreSQL backend
// rewrites them to $1..$n); every value is bound, never spliced into SQL text.
//
// Concurrency: write transactions take turns (one at a time per process: SQLite has one
// writer connection; on PostgreSQL the turn keeps the tested single-writer semantics of
// numbering and idempotency inside a process, while FOR UPDATE and unique constraints
// cover other processes). Read transactions run beside them and beside each other on a
// pool of connections (SQLite WAL readers, PostgreSQL pool). The API opens one transaction
// per request, so a change and its audit event commit together.
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace cp::storage {

// A bound value: NULL, an integer or text. A plain struct rather than std::variant:
// g++ 12 reports false "maybe uninitialized" warnings on variants in initializer lists.
struct Param {
    enum class Kind { null, integer, text };
    Kind kind = Kind::null;
    std::int64_t integer = 0;
    std::string text;

    Param(std::nullptr_t = nullptr) {}                              // NOLINT
    Param(std::int64_t v) : kind(Kind::integer), integer(v) {}      // NOLINT
    Param(int v) : kind(Kind::integer), integer(v) {}               // NOLINT
    Param(bool v) : kind(Kind::integer), integer(v ? 1 : 0) {}      // NOLINT
    Param(std::string v) : kind(Kind::text), text(std::move(v)) {}  // NOLINT
    Param(const char* v) : kind(Kind::text), text(v) {}             // NOLINT
    bool is_null() const { return kind == Kind::null; }
};
using Params = std::vector<Param>;

// Optional string params bind NULL when empty.
Param nullable(const std::optional<std::string>& value);

class DbError : public std::runtime_error {
public:
    // busy: the database was locked (SQLITE_BUSY after the busy timeout) or the transaction
    // lost a serialization or deadlock check (PostgreSQL): retrying the whole transaction is safe.
    enum class Kind { unique_violation, foreign_key_violation, busy, other };
    DbError(Kind kind, const std::string& message) : std::runtime_error(message), kind_(kind) {}
    Kind kind() const { return kind_; }

private:
    Kind kind_;
};

// One result row; columns are read by name as text (both backends return text).
class Row {
public:
    Row(std::shared_ptr<const std::vector<std::string>> names, std::vector<std::optional<std::string>> values)
        : names_(std::move(names)), values_(std::move(values)) {}

    bool is_null(std::string_view column) const;
    std::string str(std::string_view column) const;  // "" for NULL
    std::optional<std::string> opt(std::string_view column) const;
    std::int64_t i64(std::string_view column) const;  // 0 for NULL
    std::optional<std::int64_t> opt_i64(std::string_view column) const;
    bool flag(std::string_view column) const { return i64(column) != 0; }
    // Every column in order (exports walk rows generically).
    const std::vector<std::string>& columns() const { return *names_; }
    const std::optional<std::string>& value(std::size_t i) const { return values_[i]; }

private:
    std::size_t index(std::string_view column) const;
    std::shared_ptr<const std::vector<std::string>> names_;
    std::vector<std::optional<std::string>> values_;
};

using Rows = std::vector<Row>;

// A read transaction sees one snapshot and may not change anything; a write transaction
// takes the writer's turn.
enum class TxMode { write, read };

// A read transaction was asked to run a statement that writes. The app answers by running
// the whole request again in a write transaction (see App::handle).
class NeedsWriteTransaction : public std::logic_error {
public:
    using std::logic_error::logic_error;
};

// True for statements that only read (SELECT/WITH/EXPLAIN/PRAGMA/VALUES, no FOR UPDATE).
bool is_read_statement(std::string_view sql);

// A backend connection. Not thread-safe; Database lends it to one transaction at a time.
class Connection {
public:
    virtual ~Connection() = default;
    virtual Rows query(std::string_view sql, const Params& params) = 0;
    // Runs SQL that may hold several statements and no parameters (migrations).
    virtual void exec_script(std::string_view sql) = 0;
    virtual void begin(TxMode mode) = 0;
    virtual void commit() = 0;
    virtual void rollback() = 0;
    virtual std::string backend() const = 0;  // "sqlite" or "postgresql"
};

class Database;
class ConnectionPool;

using Clock = std::chrono::steady_clock;

// A transaction holding a connection (and, for writes, the writer's turn) for its
// lifetime; rolls back unless committed. Waiting for either past `deadline` throws
// DbError busy.
class Transaction {
public:
    explicit Transaction(Database& db, TxMode mode = TxMode::write,
                         Clock::time_point deadline = Clock::time_point::max());
    ~Transaction();
    Transaction(const Transaction&) = delete;
    Transaction& operator=(const Transaction&) = delete;

    Rows query(std::string_view sql, const Params& params = {});
    std::optional<Row> query_one(std::string_view sql, const Params& params = {});
    void exec(std::string_view sql, const Params& params = {}) { query(sql, params); }
    void commit();
    std::string backend() const;
    TxMode mode() const { return mode_; }

private:
    void release();  // gives the connection (and the writer's turn) back, reports timing

    Database& db_;
    TxMode mode_;
    Connection* conn_ = nullptr;
    bool holds_turn_ = false;
    bool from_pool_ = false;
    Clock::time_point acquired_;
    double waited_ = 0;
    bool done_ = false;
};

// Sees every statement a transaction runs (tests: the query-plan check of every route).
using StatementObserver = std::function<void(std::string_view sql, const Params& params)>;

// Sees every finished transaction: how long it waited for a connection or the writer's
// turn, and how long it held it (metrics).
struct TxTiming {
    TxMode mode;
    double wait_seconds;
    double held_seconds;
};
using TimingObserver = std::function<void(const TxTiming&)>;

class Database {
public:
    // One connection for everything: reads and writes take turns on it.
    explicit Database(std::unique_ptr<Connection> conn);
    // `writer` runs every write (SQLite); when null, writes borrow a pooled connection, one
    // at a time (PostgreSQL). Reads borrow from `pool`.
    Database(std::unique_ptr<Connection> writer, std::unique_ptr<ConnectionPool> pool, std::string backend);
    ~Database();
    std::string backend() const { return backend_; }
    // Connections reads may use at once (1 when they share the writer's).
    std::size_t pool_size() const;
    // Outside any transaction: for migrations' multi-statement scripts.
    void exec_script(std::string_view sql);
    // Set before concurrent use; an empty function stops observing.
    void observe_statements(StatementObserver observer) { observer_ = std::move(observer); }
    void observe_timing(TimingObserver observer) { timing_ = std::move(observer); }

private:
    friend class Transaction;
    std::timed_mutex write_turn_;
    std::unique_ptr<Connection> writer_;
    std::unique_ptr<ConnectionPool> pool_;
    std::string backend_;
    StatementObserver observer_;
    TimingObserver timing_;
};

// Read connections (SQLite) or connections (PostgreSQL) per Database unless told:
// twice the cores, at least 4: enough to keep every core busy while others wait on I/O.
std::size_t default_pool_size();

// "sqlite:path/to/file.db", "sqlite::memory:", "postgresql://…" (a libpq URL). For
// PostgreSQL, a non-empty `pg_schema` is created if missing and used as search_path
// (tests give every test its own schema).
// `pool` caps the pooled connections (0: default_pool_size()). "sqlite::memory:" gets one
// connection (each in-memory connection would be its own database).
std::unique_ptr<Database> open_database(const std::string& url, const std::string& pg_schema = "",
                                        std::size_t pool = 0);

}  // namespace cp::storage
