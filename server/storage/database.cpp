#include "server/storage/database.hpp"

#include <algorithm>
#include <cctype>
#include <thread>

#include "server/storage/connection_pool.hpp"
#include "server/storage/coordination.hpp"

#include "server/storage/postgres/postgres_connection.hpp"
#include "server/storage/sqlite/sqlite_connection.hpp"

namespace cp::storage {

Param nullable(const std::optional<std::string>& value) {
    if (!value) return nullptr;
    return *value;
}

std::size_t Row::index(std::string_view column) const {
    auto it = std::find(names_->begin(), names_->end(), column);
    if (it == names_->end()) throw std::logic_error("no column named " + std::string(column));
    return static_cast<std::size_t>(it - names_->begin());
}

bool Row::is_null(std::string_view column) const { return !values_[index(column)].has_value(); }

std::string Row::str(std::string_view column) const {
    const auto& v = values_[index(column)];
    return v ? *v : std::string();
}

std::optional<std::string> Row::opt(std::string_view column) const { return values_[index(column)]; }

std::int64_t Row::i64(std::string_view column) const { return opt_i64(column).value_or(0); }

std::optional<std::int64_t> Row::opt_i64(std::string_view column) const {
    const auto& v = values_[index(column)];
    if (!v || v->empty()) return std::nullopt;
    return std::stoll(*v);
}

bool is_read_statement(std::string_view sql) {
    std::size_t i = sql.find_first_not_of(" \t\r\n(");
    if (i == std::string_view::npos) return false;
    std::string word;
    for (; i < sql.size() && std::isalpha(static_cast<unsigned char>(sql[i])); ++i)
        word += static_cast<char>(std::toupper(static_cast<unsigned char>(sql[i])));
    if (word != "SELECT" && word != "WITH" && word != "EXPLAIN" && word != "PRAGMA" && word != "VALUES")
        return false;
    // Row locks are for writers (and a PostgreSQL READ ONLY transaction refuses them).
    std::string upper(sql);
    for (auto& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return upper.find("FOR UPDATE") == std::string::npos && upper.find("FOR SHARE") == std::string::npos;
}

Transaction::Transaction(Database& db, TxMode mode, Clock::time_point deadline) : db_(db), mode_(mode) {
    const auto started = Clock::now();
    // Reads use the pool when there is one; writes (and reads without a pool) take the turn.
    const bool pooled_read = mode == TxMode::read && db.pool_;
    if (!pooled_read) {
        if (!db.write_turn_.try_lock_until(deadline))
            throw DbError(DbError::Kind::busy, "the writer's turn did not come before the deadline");
        holds_turn_ = true;
    }
    try {
        if (pooled_read || !db.writer_) {
            conn_ = &db.pool_->acquire(deadline);
            from_pool_ = true;
        } else {
            conn_ = db.writer_.get();
        }
        acquired_ = Clock::now();
        waited_ = std::chrono::duration<double>(acquired_ - started).count();
        conn_->begin(mode);
    } catch (...) {
        release();
        throw;
    }
}

Transaction::~Transaction() {
    if (!done_ && conn_) {
        try {
            conn_->rollback();
        } catch (...) {
            // A failed rollback leaves nothing to do: the connection reports it next time.
        }
    }
    release();
}

void Transaction::release() {
    if (from_pool_ && conn_) db_.pool_->release(*conn_);
    if (holds_turn_) db_.write_turn_.unlock();
    if (conn_ && db_.timing_) {
        db_.timing_({mode_, waited_, std::chrono::duration<double>(Clock::now() - acquired_).count()});
    }
    conn_ = nullptr;
    from_pool_ = holds_turn_ = false;
}

Rows Transaction::query(std::string_view sql, const Params& params) {
    if (!conn_) throw std::logic_error("query on a finished transaction");
    if (mode_ == TxMode::read && !is_read_statement(sql))
        throw NeedsWriteTransaction("a read transaction cannot run: " + std::string(sql.substr(0, 60)));
    if (db_.observer_) db_.observer_(sql, params);
    return conn_->query(sql, params);
}

std::optional<Row> Transaction::query_one(std::string_view sql, const Params& params) {
    auto rows = query(sql, params);
    if (rows.empty()) return std::nullopt;
    return std::move(rows.front());
}

void Transaction::commit() {
    if (!conn_) throw std::logic_error("commit of a finished transaction");
    conn_->commit();
    done_ = true;
    release();  // the connection is free as soon as the work is durable
}

std::string Transaction::backend() const { return db_.backend(); }

Database::Database(std::unique_ptr<Connection> conn) : writer_(std::move(conn)) { backend_ = writer_->backend(); }

Database::Database(std::unique_ptr<Connection> writer, std::unique_ptr<ConnectionPool> pool, std::string backend)
    : writer_(std::move(writer)), pool_(std::move(pool)), backend_(std::move(backend)) {}

Database::~Database() { detach_coordinator(*this); }

std::size_t Database::pool_size() const { return pool_ ? pool_->max() : 1; }

void Database::exec_script(std::string_view sql) {
    std::lock_guard turn(write_turn_);
    if (writer_) return writer_->exec_script(sql);
    Connection& conn = pool_->acquire(Clock::time_point::max());
    try {
        conn.exec_script(sql);
    } catch (...) {
        pool_->release(conn);
        throw;
    }
    pool_->release(conn);
}

std::size_t default_pool_size() {
    return std::max<std::size_t>(4, 2 * std::max(1u, std::thread::hardware_concurrency()));
}

std::unique_ptr<Database> open_database(const std::string& url, const std::string& pg_schema, std::size_t pool) {
    if (pool == 0) pool = default_pool_size();
    if (url.rfind("sqlite:", 0) == 0) {
        const std::string path = url.substr(7);
        auto writer = open_sqlite(path, TxMode::write);
        if (path == ":memory:" || path.empty()) return std::make_unique<Database>(std::move(writer));
        auto readers =
            std::make_unique<ConnectionPool>([path] { return open_sqlite(path, TxMode::read); }, pool);
        return std::make_unique<Database>(std::move(writer), std::move(readers), "sqlite");
    }
    if (url.rfind("postgresql://", 0) == 0 || url.rfind("postgres://", 0) == 0) {
        // The first connection opens now (and creates the schema): a bad URL fails at start.
        auto connections =
            std::make_unique<ConnectionPool>([url, pg_schema] { return open_postgres(url, pg_schema); }, pool);
        connections->adopt(open_postgres(url, pg_schema));
        auto db = std::make_unique<Database>(nullptr, std::move(connections), "postgresql");
        attach_coordinator(*db, [url, pg_schema] { return open_postgres(url, pg_schema); });
        return db;
    }
    throw std::invalid_argument("unsupported database URL (want sqlite:… or postgresql://…): " + url);
}

}  // namespace cp::storage
