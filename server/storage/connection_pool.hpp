#pragma once
// A bounded pool of backend connections, opened lazily up to `max` (tests open many
// databases and most of them never need a second connection). acquire() blocks while
// every connection is lent out; the deadline turns a long wait into DbError busy, which
// the API answers with 503 rather than letting requests pile up behind the database.
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <functional>
#include <memory>
#include <mutex>
#include <vector>

#include "server/storage/database.hpp"

namespace cp::storage {

class ConnectionPool {
public:
    using Factory = std::function<std::unique_ptr<Connection>()>;
    ConnectionPool(Factory factory, std::size_t max) : factory_(std::move(factory)), max_(max) {}

    // Hands out an idle connection, opens a new one while under `max`, else waits.
    Connection& acquire(std::chrono::steady_clock::time_point deadline);
    void release(Connection& conn);
    // Adopts an already open connection (the first one, opened eagerly to fail fast).
    void adopt(std::unique_ptr<Connection> conn);
    std::size_t max() const { return max_; }

private:
    Factory factory_;
    const std::size_t max_;
    std::mutex mutex_;
    std::condition_variable freed_;
    std::vector<std::unique_ptr<Connection>> all_;
    std::vector<Connection*> idle_;
    std::size_t opening_ = 0;  // connections being opened outside the lock
};

}  // namespace cp::storage
