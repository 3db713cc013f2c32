#include "server/storage/postgres/postgres_connection.hpp"

#include <libpq-fe.h>

#include <cctype>
#include <cstring>
#include <unordered_map>
#include <vector>

namespace cp::storage {

std::string number_placeholders(std::string_view sql) {
    // Our SQL never holds '?' inside string literals (values are always bound), so a plain
    // scan is enough; quoted text is skipped anyway to be safe.
    std::string out;
    out.reserve(sql.size() + 8);
    int n = 0;
    bool in_quote = false;
    for (char c : sql) {
        if (c == '\'') in_quote = !in_quote;
        if (c == '?' && !in_quote) {
            out += '$';
            out += std::to_string(++n);
        } else {
            out += c;
        }
    }
    return out;
}

namespace {

struct ResultGuard {
    PGresult* r;
    ~ResultGuard() { PQclear(r); }
};

class PostgresConnection final : public Connection {
public:
    PostgresConnection(const std::string& url, const std::string& schema) {
        conn_ = PQconnectdb(url.c_str());
        if (PQstatus(conn_) != CONNECTION_OK) {
            std::string msg = PQerrorMessage(conn_);
            PQfinish(conn_);
            throw DbError(DbError::Kind::other, "postgresql connect: " + msg);
        }
        exec_script("SET client_min_messages TO warning");
        schema_ = schema;
        if (!schema.empty()) {
            // The schema name is ours (tests), but quote it anyway.
            std::string quoted = "\"" + schema + "\"";
            exec_script("CREATE SCHEMA IF NOT EXISTS " + quoted + "; SET search_path TO " + quoted);
        }
    }

    ~PostgresConnection() override { PQfinish(conn_); }

    Rows query(std::string_view sql, const Params& params) override {
        reconnect_if_lost();
        std::vector<std::string> storage;
        storage.reserve(params.size());
        std::vector<const char*> values;
        for (const auto& p : params) {
            if (p.is_null()) {
                values.push_back(nullptr);
                continue;
            }
            storage.push_back(p.kind == Param::Kind::integer ? std::to_string(p.integer) : p.text);
            values.push_back(storage.back().c_str());
        }
        ResultGuard res{execute(sql, values)};
        auto status = PQresultStatus(res.r);
        if (status != PGRES_TUPLES_OK && status != PGRES_COMMAND_OK) throw error(res.r);

        Rows rows;
        int nrows = PQntuples(res.r);
        int ncols = PQnfields(res.r);
        auto names = std::make_shared<std::vector<std::string>>();
        for (int c = 0; c < ncols; ++c) names->emplace_back(PQfname(res.r, c));
        rows.reserve(static_cast<std::size_t>(nrows));
        for (int r = 0; r < nrows; ++r) {
            std::vector<std::optional<std::string>> row;
            row.reserve(static_cast<std::size_t>(ncols));
            for (int c = 0; c < ncols; ++c) {
                if (PQgetisnull(res.r, r, c)) {
                    row.emplace_back(std::nullopt);
                } else {
                    row.emplace_back(std::string(PQgetvalue(res.r, r, c),
                                                 static_cast<std::size_t>(PQgetlength(res.r, r, c))));
                }
            }
            rows.emplace_back(names, std::move(row));
        }
        return rows;
    }

    void exec_script(std::string_view sql) override {
        std::string text(sql);
        ResultGuard res{PQexec(conn_, text.c_str())};
        auto status = PQresultStatus(res.r);
        if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) throw error(res.r);
    }

    void begin(TxMode mode) override {
        reconnect_if_lost();
        // A reader sees one snapshot for the whole request and can change nothing.
        exec_script(mode == TxMode::write ? "BEGIN" : "BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY");
    }
    void commit() override { exec_script("COMMIT"); }
    void rollback() override {
        if (PQtransactionStatus(conn_) != PQTRANS_IDLE) exec_script("ROLLBACK");
    }
    std::string backend() const override { return "postgresql"; }

private:
    // Statements are parsed and planned once per connection: each distinct SQL text gets a
    // named prepared statement on first use. Only plannable statements can be prepared;
    // the cache is bounded because SQL built from filters could in principle vary without end.
    PGresult* execute(std::string_view sql, const std::vector<const char*>& values) {
        const int n = static_cast<int>(values.size());
        std::string key(sql);
        auto it = prepared_.find(key);
        if (it == prepared_.end() && preparable(sql) && prepared_.size() < kMaxPrepared) {
            std::string name = "cp" + std::to_string(prepared_.size() + 1);
            ResultGuard made{PQprepare(conn_, name.c_str(), number_placeholders(sql).c_str(), 0, nullptr)};
            if (PQresultStatus(made.r) != PGRES_COMMAND_OK) throw error(made.r);
            it = prepared_.emplace(std::move(key), std::move(name)).first;
        }
        if (it != prepared_.end()) {
            return PQexecPrepared(conn_, it->second.c_str(), n, values.data(), nullptr, nullptr, 0);
        }
        return PQexecParams(conn_, number_placeholders(sql).c_str(), n, nullptr, values.data(), nullptr, nullptr, 0);
    }

    static bool preparable(std::string_view sql) {
        auto start = sql.find_first_not_of(" \t\r\n(");
        if (start == std::string_view::npos) return false;
        std::string word;
        for (auto i = start; i < sql.size() && std::isalpha(static_cast<unsigned char>(sql[i])); ++i)
            word += static_cast<char>(std::toupper(static_cast<unsigned char>(sql[i])));
        return word == "SELECT" || word == "INSERT" || word == "UPDATE" || word == "DELETE" || word == "WITH";
    }

    static constexpr std::size_t kMaxPrepared = 2000;

    // A restarted database server drops our connection; outside a transaction it is safe
    // to reconnect (the search_path is reapplied), inside one the error must surface.
    void reconnect_if_lost() {
        if (PQstatus(conn_) == CONNECTION_OK) return;
        PQreset(conn_);
        prepared_.clear();  // prepared statements died with the old session
        if (PQstatus(conn_) != CONNECTION_OK) {
            throw DbError(DbError::Kind::other,
                          std::string("postgresql reconnect: ") + PQerrorMessage(conn_));
        }
        if (!schema_.empty()) exec_script("SET search_path TO \"" + schema_ + "\"");
    }

    DbError error(PGresult* res) const {
        const char* state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : nullptr;
        auto kind = DbError::Kind::other;
        if (state && std::strcmp(state, "23505") == 0) kind = DbError::Kind::unique_violation;
        if (state && std::strcmp(state, "23503") == 0) kind = DbError::Kind::foreign_key_violation;
        // serialization_failure, deadlock_detected, lock_not_available: retry the transaction.
        if (state && (std::strcmp(state, "40001") == 0 || std::strcmp(state, "40P01") == 0 ||
                      std::strcmp(state, "55P03") == 0)) {
            kind = DbError::Kind::busy;
        }
        return DbError(kind, std::string("postgresql: ") + PQerrorMessage(conn_));
    }

    PGconn* conn_ = nullptr;
    std::string schema_;
    std::unordered_map<std::string, std::string> prepared_;  // SQL text -> statement name
};

}  // namespace

std::unique_ptr<Connection> open_postgres(const std::string& url, const std::string& schema) {
    return std::make_unique<PostgresConnection>(url, schema);
}

}  // namespace cp::storage
