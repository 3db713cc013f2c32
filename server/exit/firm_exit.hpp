#pragma once
// Firm exit (DOMAIN.md Tier 5): background exports, and offboarding — read-only at once,
// an automatic export, 30 days of retention, 7 days of grace in which the owner may still
// cancel, then the purge: every firm row deleted table by table in batches (restartable
// after a crash: it only ever deletes what is left), leaving a tombstone and the
// platform's audit events.
#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "server/storage/database.hpp"
#include "server/util/clock.hpp"

namespace cp::server::exit {

inline constexpr std::int64_t kRetentionSeconds = 30 * 86400;
inline constexpr std::int64_t kPurgeGraceSeconds = 7 * 86400;
inline constexpr std::int64_t kExportLinkSeconds = 7 * 86400;
// An export left `running` this long (its runner died) is started again.
inline constexpr std::int64_t kStaleExportSeconds = 3600;

// A pending export of the firm (its id); the runner picks it up.
std::string request_export(storage::Transaction& tx, const std::string& firm_id, const std::string& requested_by,
                           std::int64_t now);

// Runs every pending (or stale running) export into `dir`; returns how many finished.
int run_pending_exports(storage::Database& db, const std::string& dir, std::int64_t now);

// The archive's path for an export id.
std::string export_path(const std::string& dir, const std::string& export_id);

// Purges every firm whose grace ended; returns how many were purged.
int run_due_purges(storage::Database& db, const std::string& dir, std::int64_t now);

// Deletes the firm's rows (batched, restartable), then leaves the tombstone.
void purge_firm(storage::Database& db, const std::string& firm_id, const std::string& dir, std::int64_t now);

// Runs exports every few seconds and due purges every minute, on its own thread.
class ExitRunner {
public:
    ExitRunner(storage::Database& db, std::string dir, std::shared_ptr<const Clock> clock);
    ~ExitRunner();
    void start();
    void stop();

private:
    void loop();
    storage::Database& db_;
    std::string dir_;
    std::shared_ptr<const Clock> clock_;
    std::mutex mutex_;
    std::condition_variable wake_;
    bool stopping_ = false;
    std::thread thread_;
};

}  // namespace cp::server::exit
