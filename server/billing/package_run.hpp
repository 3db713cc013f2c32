#pragma once
// The package fee run over many firms: the one entry point of the CLI
// (`cp_server run-package-invoices`) and the in-server scheduler; the API runs one firm
// through run_firm (package_firm_run.hpp) inside its request transaction.
//
// Firms go in batches: one transaction holds whole firms until about `batch_engagements`
// engagements (a durable commit costs milliseconds of fsync, so one commit per invoice
// cannot bill 100,000 engagements in seconds). A batch that meets a locked database
// (SQLite busy, a PostgreSQL deadlock) is rolled back and retried; a batch that fails
// otherwise is re-run firm by firm so one broken firm cannot hold back the others.
#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include "server/audit/audit_log.hpp"
#include "server/billing/package_report.hpp"
#include "server/storage/database.hpp"
#include "server/util/zones.hpp"

namespace cp::server::billing {

struct RunOptions {
    std::optional<time::Date> date;        // absent: each firm's local today at `now`
    std::optional<std::string> firm_id;    // only this firm (FIRM_NOT_FOUND error when missing)
    bool dry_run = false;
    std::int64_t now = 0;
    audit::Event actor;                    // actor fields for the audit events
    std::int64_t batch_engagements = 5000;
    int busy_attempts = 200;               // tries of one batch while the database is locked
};

RunReport run_package_invoices(storage::Database& db, Zones& zones, const RunOptions& options);

// One firm for one date in its own transaction (busy-retried); `also` runs in the same
// transaction before the commit (the scheduler records the date it finished there).
RunReport run_firm_date(storage::Database& db, const std::string& firm_id, const time::Date& date,
                        const RunOptions& options,
                        const std::function<void(storage::Transaction&)>& also = nullptr);

// Runs `work` (one transaction's worth) again while it throws DbError busy, sleeping a
// little longer each time; rethrows after `attempts` tries.
void with_busy_retry(int attempts, const std::function<void()>& work);

}  // namespace cp::server::billing
