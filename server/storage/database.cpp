#include "server/storage/database.hpp"

#include <algorithm>

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

Transaction::Transaction(Database& db) : lock_(db.mutex_), conn_(*db.conn_), db_(db) { conn_.begin(); }

Transaction::~Transaction() {
    if (!done_) {
        try {
            conn_.rollback();
        } catch (...) {
            // A failed rollback leaves nothing to do: the connection reports it next time.
        }
    }
}

Rows Transaction::query(std::string_view sql, const Params& params) {
    if (db_.observer_) db_.observer_(sql, params);
    return conn_.query(sql, params);
}

std::optional<Row> Transaction::query_one(std::string_view sql, const Params& params) {
    auto rows = query(sql, params);
    if (rows.empty()) return std::nullopt;
    return std::move(rows.front());
}

void Transaction::commit() {
    conn_.commit();
    done_ = true;
    lock_.unlock();  // the database is free as soon as the work is durable
}

std::string Transaction::backend() const { return conn_.backend(); }

void Database::exec_script(std::string_view sql) {
    std::lock_guard lock(mutex_);
    conn_->exec_script(sql);
}

std::unique_ptr<Database> open_database(const std::string& url, const std::string& pg_schema) {
    if (url.rfind("sqlite:", 0) == 0) {
        return std::make_unique<Database>(open_sqlite(url.substr(7)));
    }
    if (url.rfind("postgresql://", 0) == 0 || url.rfind("postgres://", 0) == 0) {
        return std::make_unique<Database>(open_postgres(url, pg_schema));
    }
    throw std::invalid_argument("unsupported database URL (want sqlite:… or postgresql://…): " + url);
}

}  // namespace cp::storage
