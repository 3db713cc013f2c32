#include "server/billing/package_scheduler.hpp"

#include <iostream>

#include "server/billing/firm_billing.hpp"
#include "server/billing/package_run.hpp"
#include "server/crm/crm_signals.hpp"
#include "server/storage/coordination.hpp"

namespace cp::server::billing {

time::Date due_run_date(const time::TimeZone& zone, std::int64_t now, const std::string& run_time) {
    int minutes = 6 * 60;
    if (run_time.size() == 5 && run_time[2] == ':') {
        try {
            minutes = std::stoi(run_time.substr(0, 2)) * 60 + std::stoi(run_time.substr(3, 2));
        } catch (const std::exception&) {
            // settings are validated when written; keep the default otherwise
        }
    }
    const time::LocalSeconds local = zone.to_local(now);
    const std::int64_t day = time::floor_div(local, 86400);
    const std::int64_t second_of_day = local - day * 86400;
    return time::civil_from_days(second_of_day >= minutes * 60 ? day : day - 1);
}

PackageScheduler::PackageScheduler(storage::Database& db, Zones& zones, std::shared_ptr<const Clock> clock,
                                   SchedulerOptions options)
    : db_(db), zones_(zones), clock_(std::move(clock)), options_(options) {}

PackageScheduler::~PackageScheduler() { stop(); }

std::vector<RunReport> PackageScheduler::tick() {
    const std::int64_t now = clock_->now();
    struct Pending {
        std::string firm_id;
        time::Date due;
        std::optional<time::Date> last;
    };
    std::vector<Pending> pending;
    with_busy_retry(200, [&] {
        pending.clear();
        storage::Transaction tx(db_);
        for (const auto& r : tx.query(
                 "SELECT f.id, f.time_zone, f.currency, f.settings, s.last_run_date FROM firms f LEFT JOIN "
                 "package_run_state s ON s.firm_id = f.id WHERE f.status IN ('trial', 'active') ORDER BY f.id")) {
            const FirmBilling fb = firm_billing_from(r.str("time_zone"), r.str("currency"), r.str("settings"));
            Pending p{r.str("id"), due_run_date(zones_.zone(fb.time_zone), now, fb.billing_run_time), std::nullopt};
            if (auto last = r.opt("last_run_date")) p.last = time::parse_iso_date(*last).value();
            if (!p.last || *p.last < p.due) pending.push_back(std::move(p));
        }
    });
    std::vector<RunReport> reports;
    RunOptions o;
    o.now = now;
    o.actor.actor_type = "system";
    o.actor.actor_id = "package-scheduler";
    for (const auto& p : pending) {
        // One runner per firm among the server processes (PostgreSQL advisory lock): another
        // process running this firm now is left to it; should it die, its lock goes with its
        // connection and the next tick here takes over (unique keys keep each period once).
        auto lease = storage::JobLease::take(db_, "package-run:" + p.firm_id);
        if (!lease) continue;
        // A firm the scheduler never ran starts with its due date; otherwise every missed date.
        std::int64_t first = time::days_from_civil(p.due);
        if (p.last) first = std::max(time::days_from_civil(*p.last) + 1,
                                     time::days_from_civil(p.due) - options_.max_catch_up_days + 1);
        for (std::int64_t d = first; d <= time::days_from_civil(p.due); ++d) {
            const time::Date date = time::civil_from_days(d);
            const std::string date_text = time::format_iso_date(date);
            try {
                reports.push_back(run_firm_date(db_, p.firm_id, date, o, [&](storage::Transaction& tx) {
                    tx.exec(
                        "INSERT INTO package_run_state (firm_id, last_run_date, updated_at) VALUES (?, ?, ?) "
                        "ON CONFLICT (firm_id) DO UPDATE SET last_run_date = excluded.last_run_date, "
                        "updated_at = excluded.updated_at WHERE package_run_state.last_run_date < "
                        "excluded.last_run_date",
                        {p.firm_id, date_text, now});
                }));
            } catch (const std::exception& e) {
                // Left for the next tick: the date is not recorded as run.
                std::cerr << "package scheduler: firm " << p.firm_id << " date " << date_text << ": " << e.what()
                          << "\n";
                break;
            }
        }
    }
    // CRM follow-ups ride on the same daily loop: each firm once per local day (from its
    // local midnight), each alert once (server/crm/crm_signals.hpp).
    try {
        crm::SignalOptions signals;
        signals.now = now;
        signals.daily = true;
        signals.actor_id = "package-scheduler";
        last_signals_ = crm::run_crm_signals(db_, zones_, signals);
        for (const auto& e : last_signals_.errors) std::cerr << "crm signals: " << e.dump() << "\n";
    } catch (const std::exception& e) {
        std::cerr << "crm signals: " << e.what() << "\n";
    }
    return reports;
}

void PackageScheduler::start() {
    if (thread_.joinable()) return;
    stopping_ = false;
    thread_ = std::thread([this] {
        std::unique_lock lock(mutex_);
        while (!stopping_) {
            lock.unlock();
            try {
                for (const auto& r : tick()) {
                    if (r.created > 0 || r.failed()) std::cout << "package run " << r.to_json().dump() << "\n"
                                                               << std::flush;
                }
            } catch (const std::exception& e) {
                std::cerr << "package scheduler: " << e.what() << "\n";
            }
            lock.lock();
            wake_.wait_for(lock, std::chrono::seconds(options_.poll_seconds), [this] { return stopping_; });
        }
    });
}

void PackageScheduler::stop() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    wake_.notify_all();
    if (thread_.joinable()) thread_.join();
}

}  // namespace cp::server::billing
