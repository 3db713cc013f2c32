#pragma once
// The autopay runner inside the server: one pass (payment_service.hpp run_autopay) every
// `interval` on its own thread and its own database connection, with the clock it is
// given (the server passes the real one). Tests drive tick() with a manual clock instead
// of starting the thread; `cp_server --no-autopay-scheduler` leaves it off. With several
// processes on one PostgreSQL database one pass runs at a time (storage::JobLease "autopay").
#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <thread>

#include "server/payments/payment_service.hpp"
#include "server/util/clock.hpp"

namespace cp::server::payments {

class AutopayScheduler {
public:
    AutopayScheduler(storage::Database& db, std::shared_ptr<Processor> processor,
                     std::shared_ptr<const Clock> clock, std::chrono::seconds interval = std::chrono::seconds(60));
    ~AutopayScheduler();
    AutopayScheduler(const AutopayScheduler&) = delete;
    AutopayScheduler& operator=(const AutopayScheduler&) = delete;

    RunReport tick();  // one pass at clock->now()
    void start();
    void stop();

private:
    storage::Database& db_;
    std::shared_ptr<Processor> processor_;
    std::shared_ptr<const Clock> clock_;
    std::chrono::seconds interval_;
    Zones zones_;
    std::mutex mutex_;
    std::condition_variable wake_;
    bool stopping_ = false;
    std::thread thread_;
};

}  // namespace cp::server::payments
