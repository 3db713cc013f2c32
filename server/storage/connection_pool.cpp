#include "server/storage/connection_pool.hpp"

namespace cp::storage {

Connection& ConnectionPool::acquire(std::chrono::steady_clock::time_point deadline) {
    std::unique_lock lock(mutex_);
    for (;;) {
        if (!idle_.empty()) {
            Connection* conn = idle_.back();
            idle_.pop_back();
            return *conn;
        }
        if (all_.size() + opening_ < max_) break;
        if (freed_.wait_until(lock, deadline) == std::cv_status::timeout && idle_.empty()) {
            throw DbError(DbError::Kind::busy, "no database connection became free before the deadline");
        }
    }
    // Opening a connection (a TCP handshake for PostgreSQL) must not hold up the others.
    ++opening_;
    lock.unlock();
    std::unique_ptr<Connection> conn;
    try {
        conn = factory_();
    } catch (...) {
        lock.lock();
        --opening_;
        freed_.notify_one();  // a waiter may open one in our place
        throw;
    }
    lock.lock();
    --opening_;
    Connection& out = *conn;
    all_.push_back(std::move(conn));
    return out;
}

void ConnectionPool::release(Connection& conn) {
    {
        std::lock_guard lock(mutex_);
        idle_.push_back(&conn);
    }
    freed_.notify_one();
}

void ConnectionPool::adopt(std::unique_ptr<Connection> conn) {
    std::lock_guard lock(mutex_);
    idle_.push_back(conn.get());
    all_.push_back(std::move(conn));
}

}  // namespace cp::storage
