#include "server/payments/autopay_scheduler.hpp"

#include <iostream>

#include "server/storage/coordination.hpp"

namespace cp::server::payments {

AutopayScheduler::AutopayScheduler(storage::Database& db, std::shared_ptr<Processor> processor,
                                   std::shared_ptr<const Clock> clock, std::chrono::seconds interval)
    : db_(db), processor_(std::move(processor)), clock_(std::move(clock)), interval_(interval) {}

AutopayScheduler::~AutopayScheduler() { stop(); }

RunReport AutopayScheduler::tick() {
    // One pass at a time among the server processes (PostgreSQL advisory lock); the pass of
    // a process that dies is taken up by the next tick elsewhere, and each charge's unique
    // attempt key keeps it once.
    auto lease = storage::JobLease::take(db_, "autopay");
    if (!lease) return {};
    RunOptions o;
    o.now = clock_->now();
    o.actor.actor_type = "system";
    o.actor.actor_id = "scheduler:autopay";
    return run_autopay(db_, zones_, *processor_, o);
}

void AutopayScheduler::start() {
    if (thread_.joinable()) return;
    thread_ = std::thread([this] {
        std::unique_lock lock(mutex_);
        while (!stopping_) {
            lock.unlock();
            try {
                auto report = tick();
                if (report.attempted + report.reconciled + report.errors > 0)
                    std::cout << "autopay " << report.to_json().dump() << "\n" << std::flush;
            } catch (const std::exception& e) {
                std::cerr << "autopay scheduler: " << e.what() << "\n";
            }
            lock.lock();
            wake_.wait_for(lock, interval_, [this] { return stopping_; });
        }
    });
}

void AutopayScheduler::stop() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    wake_.notify_all();
    if (thread_.joinable()) thread_.join();
}

}  // namespace cp::server::payments
