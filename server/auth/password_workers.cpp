#include "server/auth/password_workers.hpp"

#include <algorithm>
#include <exception>

namespace cp::server {

// Lives on the caller's stack: run() waits until a worker has marked it done.
struct PasswordWorkers::Item {
    const std::function<void()>* job;
    std::exception_ptr error;
    bool done = false;
    std::condition_variable finished;
};

PasswordWorkers::PasswordWorkers(int workers, std::size_t max_waiting) : max_waiting_(max_waiting) {
    for (int i = 0; i < std::max(1, workers); ++i) threads_.emplace_back([this] { work(); });
}

PasswordWorkers::~PasswordWorkers() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    wake_.notify_all();
    for (auto& t : threads_) t.join();
}

bool PasswordWorkers::run(const std::function<void()>& job) {
    Item item{&job, nullptr, false, {}};
    std::unique_lock lock(mutex_);
    if (queue_.size() >= max_waiting_ || stopping_) return false;
    queue_.push_back(&item);
    wake_.notify_one();
    item.finished.wait(lock, [&] { return item.done; });
    if (item.error) std::rethrow_exception(item.error);
    return true;
}

void PasswordWorkers::work() {
    std::unique_lock lock(mutex_);
    for (;;) {
        wake_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
        if (queue_.empty()) return;  // stopping, nothing left to do
        Item* item = queue_.front();
        queue_.pop_front();
        lock.unlock();
        std::exception_ptr error;
        try {
            (*item->job)();
        } catch (...) {
            error = std::current_exception();
        }
        lock.lock();
        item->error = error;
        item->done = true;
        item->finished.notify_one();
    }
}

}  // namespace cp::server
