#include "server/storage/sqlite/sqlite_connection.hpp"

#include <sqlite3.h>

#include <condition_variable>
#include <map>
#include <mutex>
#include <thread>

namespace cp::storage {
namespace {

// Copies the writer's WAL into the database file on a thread of its own, so a writer
// committing large transactions (the package run's batches) does not pay for the copy
// (SQLite's default runs it inside the commit that crosses 1,000 WAL pages). The copy
// is PASSIVE: it never blocks the writer or readers. The WAL only rewinds when a
// checkpoint has caught up with its end as a write transaction begins, so past
// kWriterCheckpointBytes the writer checkpoints the (mostly copied) rest itself and the
// file stays bounded.
class Checkpointer {
public:
    static constexpr std::int64_t kBackgroundBytes = 4 << 20;
    static constexpr std::int64_t kWriterCheckpointBytes = 64 << 20;

    Checkpointer(const std::string& path, std::int64_t page_size)
        : background_pages_(static_cast<int>(kBackgroundBytes / page_size)),
          writer_pages_(static_cast<int>(kWriterCheckpointBytes / page_size)) {
        if (sqlite3_open_v2(path.c_str(), &db_, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, nullptr) != SQLITE_OK) {
            sqlite3_close(db_);
            db_ = nullptr;
            return;
        }
        sqlite3_busy_timeout(db_, 5000);
        thread_ = std::thread([this] { loop(); });
    }
    ~Checkpointer() {
        {
            std::lock_guard lock(mutex_);
            stopping_ = true;
        }
        wake_.notify_all();
        if (thread_.joinable()) thread_.join();
        sqlite3_close(db_);
    }
    bool running() const { return db_ != nullptr; }

    // sqlite3_wal_hook: after each commit of the writer, with the WAL's size in pages.
    static int on_commit(void* self, sqlite3* writer, const char* schema, int pages) {
        auto* c = static_cast<Checkpointer*>(self);
        if (pages >= c->writer_pages_) {
            sqlite3_wal_checkpoint_v2(writer, schema, SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr);
        } else if (pages >= c->background_pages_) {
            {
                std::lock_guard lock(c->mutex_);
                c->due_ = true;
            }
            c->wake_.notify_one();
        }
        return SQLITE_OK;
    }

private:
    const int background_pages_, writer_pages_;
    void loop() {
        std::unique_lock lock(mutex_);
        for (;;) {
            wake_.wait(lock, [this] { return stopping_ || due_; });
            if (stopping_) return;
            due_ = false;
            lock.unlock();
            // Errors (busy, a reader holding old frames) only delay the copy to the next commit.
            sqlite3_wal_checkpoint_v2(db_, nullptr, SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr);
            lock.lock();
        }
    }

    sqlite3* db_ = nullptr;
    std::mutex mutex_;
    std::condition_variable wake_;
    bool due_ = false, stopping_ = false;
    std::thread thread_;
};

class SqliteConnection final : public Connection {
public:
    SqliteConnection(const std::string& path, TxMode role) {
        int rc = sqlite3_open_v2(path.c_str(), &db_,
                                 SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nullptr);
        if (rc != SQLITE_OK) {
            std::string msg = db_ ? sqlite3_errmsg(db_) : "out of memory";
            sqlite3_close(db_);
            throw DbError(DbError::Kind::other, "sqlite open " + path + ": " + msg);
        }
        sqlite3_extended_result_codes(db_, 1);
        // WAL lets readers run beside the writer; FULL syncs the WAL on every commit so a
        // committed audit event survives power loss; foreign keys are off by default.
        // Every connection maps the file (256 MiB): readers share the kernel's page cache
        // instead of each copying pages into its own.
        exec_script("PRAGMA busy_timeout=5000; PRAGMA mmap_size=268435456;");
        if (role == TxMode::read) {
            // A reader never writes (query_only is the backstop behind TxMode::read), and
            // a small private cache suffices beside the shared mapping.
            exec_script("PRAGMA query_only=ON; PRAGMA cache_size=-8192;");
            return;
        }
        // 16 KiB pages for a new file (an existing one keeps its size): a package run's
        // 100,000 invoices touch a dozen indexes each, and bigger pages mean fewer B-tree
        // levels, WAL frames and write calls (measured: 100k cold 6.0 s with 4 KiB, 5.0 s).
        // It must precede WAL mode, which fixes the size once the file has content.
        exec_script(
            "PRAGMA page_size=16384; PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;"
            // 64 MiB of page cache (default 2 MiB): a batch of thousands of invoices stays in
            // memory until its commit instead of spilling pages to the WAL mid-transaction.
            "PRAGMA cache_size=-65536;");
        if (path != ":memory:" && !path.empty()) {
            std::int64_t page_size = 4096;
            sqlite3_stmt* st = nullptr;
            if (sqlite3_prepare_v2(db_, "PRAGMA page_size", -1, &st, nullptr) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW) {
                page_size = sqlite3_column_int64(st, 0);
            }
            sqlite3_finalize(st);
            checkpointer_ = std::make_unique<Checkpointer>(path, page_size > 0 ? page_size : 4096);
            if (checkpointer_->running()) {
                sqlite3_wal_hook(db_, &Checkpointer::on_commit, checkpointer_.get());
            } else {
                checkpointer_.reset();  // SQLite's own checkpoint in the commit stays on
            }
        }
    }

    ~SqliteConnection() override {
        for (auto& [sql, stmt] : cache_) sqlite3_finalize(stmt);
        if (checkpointer_) sqlite3_wal_hook(db_, nullptr, nullptr);
        checkpointer_.reset();
        sqlite3_close(db_);  // the last connection to close checkpoints the rest
    }

    Rows query(std::string_view sql, const Params& params) override {
        sqlite3_stmt* stmt = prepare(sql);
        sqlite3_reset(stmt);
        sqlite3_clear_bindings(stmt);
        for (std::size_t i = 0; i < params.size(); ++i) bind(stmt, static_cast<int>(i + 1), params[i]);

        Rows rows;
        std::shared_ptr<std::vector<std::string>> names;
        for (;;) {
            int rc = sqlite3_step(stmt);
            if (rc == SQLITE_DONE) break;
            if (rc != SQLITE_ROW) {
                DbError e = error(rc);
                sqlite3_reset(stmt);
                sqlite3_clear_bindings(stmt);
                throw e;
            }
            int n = sqlite3_column_count(stmt);
            if (!names) {
                names = std::make_shared<std::vector<std::string>>();
                for (int c = 0; c < n; ++c) names->emplace_back(sqlite3_column_name(stmt, c));
            }
            std::vector<std::optional<std::string>> values;
            values.reserve(static_cast<std::size_t>(n));
            for (int c = 0; c < n; ++c) {
                if (sqlite3_column_type(stmt, c) == SQLITE_NULL) {
                    values.emplace_back(std::nullopt);
                } else {
                    auto* text = reinterpret_cast<const char*>(sqlite3_column_text(stmt, c));
                    values.emplace_back(
                        std::string(text, static_cast<std::size_t>(sqlite3_column_bytes(stmt, c))));
                }
            }
            rows.emplace_back(names, std::move(values));
        }
        sqlite3_reset(stmt);
        sqlite3_clear_bindings(stmt);  // the bound text belongs to `params` (SQLITE_STATIC below)
        return rows;
    }

    void exec_script(std::string_view sql) override {
        char* err = nullptr;
        std::string text(sql);
        if (int rc = sqlite3_exec(db_, text.c_str(), nullptr, nullptr, &err); rc != SQLITE_OK) {
            std::string msg = err ? err : "unknown error";
            sqlite3_free(err);
            throw DbError(kind_of(rc), "sqlite: " + msg);
        }
    }

    // IMMEDIATE takes the write lock up front, so two writers never deadlock upgrading; a
    // reader's deferred BEGIN takes its WAL snapshot at its first read and never blocks.
    void begin(TxMode mode) override { exec_script(mode == TxMode::write ? "BEGIN IMMEDIATE" : "BEGIN"); }
    void commit() override { exec_script("COMMIT"); }
    void rollback() override {
        if (!sqlite3_get_autocommit(db_)) exec_script("ROLLBACK");
    }
    std::string backend() const override { return "sqlite"; }

private:
    sqlite3_stmt* prepare(std::string_view sql) {
        std::string key(sql);
        auto it = cache_.find(key);
        if (it != cache_.end()) return it->second;
        sqlite3_stmt* stmt = nullptr;
        int rc = sqlite3_prepare_v2(db_, key.c_str(), static_cast<int>(key.size()), &stmt, nullptr);
        if (rc != SQLITE_OK) throw error(rc);
        cache_.emplace(std::move(key), stmt);
        return stmt;
    }

    static void bind(sqlite3_stmt* stmt, int index, const Param& p) {
        switch (p.kind) {
            case Param::Kind::null:
                sqlite3_bind_null(stmt, index);
                break;
            case Param::Kind::integer:
                sqlite3_bind_int64(stmt, index, p.integer);
                break;
            case Param::Kind::text:
                // STATIC: SQLite reads the caller's text instead of copying it (a package
                // run binds megabytes of email bodies); query() clears the bindings before
                // `params` goes away.
                sqlite3_bind_text(stmt, index, p.text.data(), static_cast<int>(p.text.size()), SQLITE_STATIC);
                break;
        }
    }

    static DbError::Kind kind_of(int rc) {
        if (rc == SQLITE_CONSTRAINT_UNIQUE || rc == SQLITE_CONSTRAINT_PRIMARYKEY)
            return DbError::Kind::unique_violation;
        if (rc == SQLITE_CONSTRAINT_FOREIGNKEY) return DbError::Kind::foreign_key_violation;
        if ((rc & 0xff) == SQLITE_BUSY || (rc & 0xff) == SQLITE_LOCKED) return DbError::Kind::busy;
        return DbError::Kind::other;
    }

    DbError error(int rc) const { return DbError(kind_of(rc), std::string("sqlite: ") + sqlite3_errmsg(db_)); }

    sqlite3* db_ = nullptr;
    std::map<std::string, sqlite3_stmt*> cache_;
    std::unique_ptr<Checkpointer> checkpointer_;
};

}  // namespace

std::unique_ptr<Connection> open_sqlite(const std::string& path, TxMode role) {
    return std::make_unique<SqliteConnection>(path, role);
}

}  // namespace cp::storage
