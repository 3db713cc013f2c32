#include "server/exit/firm_exit.hpp"

#include <algorithm>
#include <filesystem>
#include <iostream>

#include "server/audit/audit_log.hpp"
#include "server/exit/export_archive.hpp"
#include "server/exit/firm_tables.hpp"
#include "server/storage/coordination.hpp"
#include "server/util/crypto.hpp"

namespace cp::server::exit {

namespace {
constexpr std::int64_t kPurgeBatch = 1000;
}

std::string export_path(const std::string& dir, const std::string& export_id) {
    return (std::filesystem::path(dir) / (export_id + ".tar.gz")).string();
}

std::string request_export(storage::Transaction& tx, const std::string& firm_id, const std::string& requested_by,
                           std::int64_t now) {
    const std::string id = new_id("exp");
    tx.exec("INSERT INTO firm_exports (id, firm_id, status, requested_by, created_at) VALUES (?, ?, 'pending', ?, ?)",
            {id, firm_id, requested_by, now});
    return id;
}

int run_pending_exports(storage::Database& db, const std::string& dir, std::int64_t now) {
    std::filesystem::create_directories(dir);
    int finished = 0;
    for (;;) {
        std::string id, firm_id;
        {
            // Claim one: a compare-and-set on its status, so two runners never take the same.
            storage::Transaction tx(db);
            auto next = tx.query_one(
                "SELECT id, firm_id FROM firm_exports WHERE status = 'pending' OR (status = 'running' AND "
                "started_at < ?) ORDER BY id LIMIT 1",
                {now - kStaleExportSeconds});
            if (!next) return finished;
            id = next->str("id");
            firm_id = next->str("firm_id");
            tx.exec("UPDATE firm_exports SET status = 'running', started_at = ?, rows_done = 0 WHERE id = ?",
                    {now, id});
            tx.commit();
        }
        try {
            auto result = write_firm_export(db, firm_id, export_path(dir, id), now, [&](std::int64_t done, std::int64_t total) {
                storage::Transaction tx(db);
                tx.exec("UPDATE firm_exports SET rows_done = ?, rows_total = ? WHERE id = ?", {done, total, id});
                tx.commit();
            });
            storage::Transaction tx(db);
            // The export offboarding made is the firm's copy of its data: downloadable until the purge,
            // not only for the usual 7 days.
            std::int64_t expires = now + kExportLinkSeconds;
            if (auto off = tx.query_one("SELECT purge_after FROM firm_offboarding WHERE firm_id = ? AND export_id = ?",
                                        {firm_id, id})) {
                expires = std::max(expires, off->i64("purge_after"));
            }
            tx.exec(
                "UPDATE firm_exports SET status = 'done', rows_done = ?, rows_total = ?, file_name = ?, bytes = ?, "
                "sha256 = ?, manifest_sha256 = ?, finished_at = ?, expires_at = ? WHERE id = ?",
                {result.rows, result.rows, id + ".tar.gz", result.bytes, result.sha256, result.manifest_sha256, now,
                 expires, id});
            audit::Event e;
            e.firm_id = firm_id;
            e.category = "DATA_ACCESS";
            e.action = "firm.export.done";
            e.severity = "WARNING";
            e.actor_id = "exit-runner";
            e.target_type = "firm_export";
            e.target_id = id;
            e.metadata = {{"rows", result.rows}, {"bytes", result.bytes}, {"sha256", result.sha256}};
            audit::append(tx, e, now);
            tx.commit();
            ++finished;
        } catch (const std::exception& ex) {
            std::cerr << "export " << id << " failed: " << ex.what() << "\n";
            storage::Transaction tx(db);
            tx.exec("UPDATE firm_exports SET status = 'failed', error = ?, finished_at = ? WHERE id = ?",
                    {std::string(ex.what()).substr(0, 500), now, id});
            tx.commit();
        }
    }
}

void purge_firm(storage::Database& db, const std::string& firm_id, const std::string& dir, std::int64_t now) {
    std::vector<std::string> exports, portal_users;
    {
        storage::Transaction tx(db);
        for (const auto& r : tx.query("SELECT id FROM firm_exports WHERE firm_id = ?", {firm_id}))
            exports.push_back(r.str("id"));
        for (const auto& r : tx.query("SELECT id FROM portal_users WHERE firm_id = ?", {firm_id}))
            portal_users.push_back(r.str("id"));
        // Idempotency records hold answers: the firm's members' and its portal users'.
        tx.exec("DELETE FROM idempotency_keys WHERE scope LIKE ?", {"firm:" + firm_id + ":%"});
        for (const auto& p : portal_users) tx.exec("DELETE FROM idempotency_keys WHERE scope = ?", {"portal:" + p});
        tx.commit();
    }
    for (const auto& t : firm_tables()) {
        if (*t.self_parent) {
            storage::Transaction tx(db);
            tx.exec(std::string("UPDATE ") + t.name + " SET " + t.self_parent + " = NULL WHERE firm_id = ?", {firm_id});
            tx.commit();
        }
        // One transaction per batch: a crash loses at most the batch in flight, and the
        // next run deletes whatever is left.
        for (;;) {
            storage::Transaction tx(db);
            auto keys = tx.query(std::string("SELECT ") + t.key + " AS k FROM " + t.name + " WHERE firm_id = ? LIMIT ?",
                                 {firm_id, kPurgeBatch});
            if (keys.empty()) break;
            std::string in;
            storage::Params params{firm_id};
            for (const auto& k : keys) {
                in += in.empty() ? "?" : ", ?";
                params.push_back(k.str("k"));
            }
            tx.exec(std::string("DELETE FROM ") + t.name + " WHERE firm_id = ? AND " + t.key + " IN (" + in + ")",
                    params);
            tx.commit();
        }
    }
    storage::Transaction tx(db);
    auto firm = tx.query_one("SELECT name, created_at FROM firms WHERE id = ?", {firm_id});
    auto off = tx.query_one("SELECT * FROM firm_offboarding WHERE firm_id = ?", {firm_id});
    auto last_export = off && !off->is_null("export_id") ? off->str("export_id") : std::string();
    std::optional<std::string> export_sha;
    if (!exports.empty()) {
        // The export's checksum outlives it (the row was purged with the firm's tables).
        const std::string p = export_path(dir, last_export.empty() ? exports.back() : last_export);
        if (std::filesystem::exists(p)) export_sha = file_sha256(p);
    }
    if (firm) {
        tx.exec(
            "INSERT INTO firm_tombstones (firm_id, name_hash, created_at, offboarded_at, purged_at, export_sha256, "
            "reason, requested_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            {firm_id, sha256_hex(firm->str("name")), firm->i64("created_at"), off ? off->i64("requested_at") : now,
             now, storage::nullable(export_sha), off ? off->str("reason") : std::string("purge"),
             off ? off->str("requested_by") : std::string("system")});
    }
    tx.exec("DELETE FROM firm_offboarding WHERE firm_id = ?", {firm_id});
    tx.exec("DELETE FROM firms WHERE id = ?", {firm_id});
    // Accounts left with no firm at all hold nothing but personal data.
    tx.exec("DELETE FROM users WHERE id NOT IN (SELECT user_id FROM memberships)");
    audit::Event e;
    e.firm_id = audit::kPlatformChain;
    e.category = "PURGE";
    e.action = "firm.purge";
    e.severity = "CRITICAL";
    e.actor_id = "exit-runner";
    e.target_type = "firm";
    e.target_id = firm_id;
    e.reason = off ? off->str("reason") : "";
    e.metadata = {{"requested_by", off ? off->str("requested_by") : ""},
                  {"export_sha256", export_sha ? nlohmann::json(*export_sha) : nlohmann::json(nullptr)}};
    audit::append(tx, e, now);
    tx.commit();
    for (const auto& id : exports) {
        std::error_code ec;
        std::filesystem::remove(export_path(dir, id), ec);
    }
}

int run_due_purges(storage::Database& db, const std::string& dir, std::int64_t now) {
    std::vector<std::string> due;
    {
        storage::Transaction tx(db);
        for (const auto& r : tx.query(
                 "SELECT firm_id FROM firm_offboarding WHERE status IN ('scheduled', 'purging') AND purge_after <= ?",
                 {now}))
            due.push_back(r.str("firm_id"));
        for (const auto& f : due)
            tx.exec("UPDATE firm_offboarding SET status = 'purging', purge_started_at = COALESCE(purge_started_at, ?) "
                    "WHERE firm_id = ?",
                    {now, f});
        tx.commit();
    }
    for (const auto& f : due) purge_firm(db, f, dir, now);
    return static_cast<int>(due.size());
}

ExitRunner::ExitRunner(storage::Database& db, std::string dir, std::shared_ptr<const Clock> clock)
    : db_(db), dir_(std::move(dir)), clock_(std::move(clock)) {}

ExitRunner::~ExitRunner() { stop(); }

void ExitRunner::start() { thread_ = std::thread([this] { loop(); }); }

void ExitRunner::stop() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    wake_.notify_all();
    if (thread_.joinable()) thread_.join();
}

void ExitRunner::loop() {
    std::int64_t last_purge_check = 0;
    std::unique_lock lock(mutex_);
    while (!stopping_) {
        lock.unlock();
        try {
            const auto now = clock_->now();
            // One runner among the server processes (PostgreSQL advisory lock).
            if (auto lease = storage::JobLease::take(db_, "firm-exit")) {
                run_pending_exports(db_, dir_, now);
                if (now - last_purge_check >= 60) {
                    run_due_purges(db_, dir_, now);
                    last_purge_check = now;
                }
            }
        } catch (const std::exception& e) {
            std::cerr << "exit runner: " << e.what() << "\n";
        }
        lock.lock();
        wake_.wait_for(lock, std::chrono::seconds(2), [this] { return stopping_; });
    }
}

}  // namespace cp::server::exit
