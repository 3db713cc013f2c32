#pragma once
// Argon2id is slow on purpose (tens of milliseconds and 64 MiB each): run on the request
// threads, a flood of logins or sign-ups would take every thread and every core, and the
// health check with it. All hashing and verifying goes through this small pool instead:
// a few workers and a short bounded queue. When the queue is full the caller is told at
// once (the API answers 503 with Retry-After) rather than piling up.
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace cp::server {

class PasswordWorkers {
public:
    PasswordWorkers(int workers, std::size_t max_waiting);
    ~PasswordWorkers();
    PasswordWorkers(const PasswordWorkers&) = delete;
    PasswordWorkers& operator=(const PasswordWorkers&) = delete;

    // Runs `job` on a worker and waits for it to finish; false (and `job` never runs) when
    // `max_waiting` jobs are already queued. Exceptions from `job` are rethrown here.
    bool run(const std::function<void()>& job);

private:
    struct Item;
    void work();

    std::mutex mutex_;
    std::condition_variable wake_;
    std::deque<Item*> queue_;
    std::size_t max_waiting_;
    bool stopping_ = false;
    std::vector<std::thread> threads_;
};

}  // namespace cp::server
