#pragma once
// The one storage interface. Two backends implement it (SQLite, PostgreSQL), chosen by
// URL. SQL is written once, portably, with `?` placeholders (the PostgreSQL backend
// rewrites them to $1..$n); every value is bound, never spliced into SQL text.
//
// Concurrency: a Database serialises transactions (one connection behind a mutex). The
// API opens one transaction per request, so a change and its audit event commit together.
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

private:
    std::size_t index(std::string_view column) const;
    std::shared_ptr<const std::vector<std::string>> names_;
    std::vector<std::optional<std::string>> values_;
};

using Rows = std::vector<Row>;

// A backend connection. Not thread-safe; Database guards it.
class Connection {
public:
    virtual ~Connection() = default;
    virtual Rows query(std::string_view sql, const Params& params) = 0;
    // Runs SQL that may hold several statements and no parameters (migrations).
    virtual void exec_script(std::string_view sql) = 0;
    virtual void begin() = 0;
    virtual void commit() = 0;
    virtual void rollback() = 0;
    virtual std::string backend() const = 0;  // "sqlite" or "postgresql"
};

class Database;

// A transaction holding the database for its lifetime; rolls back unless committed.
class Transaction {
public:
    explicit Transaction(Database& db);
    ~Transaction();
    Transaction(const Transaction&) = delete;
    Transaction& operator=(const Transaction&) = delete;

    Rows query(std::string_view sql, const Params& params = {});
    std::optional<Row> query_one(std::string_view sql, const Params& params = {});
    void exec(std::string_view sql, const Params& params = {}) { query(sql, params); }
    void commit();
    std::string backend() const;

private:
    std::unique_lock<std::mutex> lock_;
    Connection& conn_;
    const Database& db_;
    bool done_ = false;
};

// Sees every statement a transaction runs (tests: the query-plan check of every route).
using StatementObserver = std::function<void(std::string_view sql, const Params& params)>;

class Database {
public:
    explicit Database(std::unique_ptr<Connection> conn) : conn_(std::move(conn)) {}
    std::string backend() const { return conn_->backend(); }
    // Outside any transaction: for migrations' multi-statement scripts.
    void exec_script(std::string_view sql);
    // Set before concurrent use; an empty function stops observing.
    void observe_statements(StatementObserver observer) { observer_ = std::move(observer); }

private:
    friend class Transaction;
    std::mutex mutex_;
    std::unique_ptr<Connection> conn_;
    StatementObserver observer_;
};

// "sqlite:path/to/file.db", "sqlite::memory:", "postgresql://…" (a libpq URL). For
// PostgreSQL, a non-empty `pg_schema` is created if missing and used as search_path
// (tests give every test its own schema).
std::unique_ptr<Database> open_database(const std::string& url, const std::string& pg_schema = "");

}  // namespace cp::storage
