#pragma once
// The daily package fee run inside the server: each firm runs once per local day, at its
// `settings.billing_run_time` (default 06:00) on its own wall clock. `tick()` does all that
// is due at the clock's now and is what tests drive with a manual clock; `start()` calls
// it on a background thread every `poll_seconds`.
//
// DST-safe by construction: a day is due once the local wall clock has reached the run
// time (a run time inside a spring-forward gap is reached when the clock jumps past it),
// and `package_run_state.last_run_date` (written in the same transaction as the day's
// invoices) makes it run once even when a fall-back repeats the hour. After downtime the
// missed local dates run in order (catch-up), at most `max_catch_up_days` of them.
//
// Several processes on one PostgreSQL database each run a scheduler: a firm's run is taken
// by one of them at a time (storage::JobLease "package-run:<firm>").
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "server/billing/package_report.hpp"
#include "server/crm/crm_signals.hpp"
#include "server/storage/database.hpp"
#include "server/util/clock.hpp"
#include "server/util/zones.hpp"

namespace cp::server::billing {

struct SchedulerOptions {
    int poll_seconds = 30;
    int max_catch_up_days = 366;
};

class PackageScheduler {
public:
    PackageScheduler(storage::Database& db, Zones& zones, std::shared_ptr<const Clock> clock,
                     SchedulerOptions options = {});
    ~PackageScheduler();
    PackageScheduler(const PackageScheduler&) = delete;
    PackageScheduler& operator=(const PackageScheduler&) = delete;

    // Runs every (firm, local date) that is due and not yet run; one report per run. Then
    // the CRM follow-ups of every firm not yet evaluated for its local today.
    std::vector<RunReport> tick();
    // What the last tick's CRM follow-ups did.
    const crm::SignalReport& last_signals() const { return last_signals_; }

    void start();
    void stop();

private:
    storage::Database& db_;
    Zones& zones_;
    std::shared_ptr<const Clock> clock_;
    SchedulerOptions options_;
    std::thread thread_;
    std::mutex mutex_;
    std::condition_variable wake_;
    bool stopping_ = false;
    crm::SignalReport last_signals_;
};

// The local date whose run is due at `now` in `zone` for a run time "HH:MM": today once
// the wall clock has reached it, else yesterday.
time::Date due_run_date(const time::TimeZone& zone, std::int64_t now, const std::string& run_time);

}  // namespace cp::server::billing
