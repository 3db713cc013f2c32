#include "server/storage/coordination.hpp"

#include <fmt/format.h>

#include <iostream>
#include <map>

namespace cp::storage {

namespace {
std::mutex registry_mutex;
std::map<const Database*, std::shared_ptr<Coordinator>>& registry() {
    static std::map<const Database*, std::shared_ptr<Coordinator>> r;
    return r;
}
}  // namespace

Coordinator* coordinator(Database& db) {
    std::lock_guard lock(registry_mutex);
    auto it = registry().find(&db);
    return it == registry().end() ? nullptr : it->second.get();
}

void attach_coordinator(Database& db, Coordinator::Factory factory) {
    std::lock_guard lock(registry_mutex);
    registry()[&db] = std::make_shared<Coordinator>(std::move(factory));
}

void detach_coordinator(Database& db) {
    std::shared_ptr<Coordinator> gone;  // closed outside the registry's lock
    std::lock_guard lock(registry_mutex);
    auto it = registry().find(&db);
    if (it == registry().end()) return;
    gone = std::move(it->second);
    registry().erase(it);
}

Connection& Coordinator::connection() {
    if (!conn_) conn_ = factory_();
    return *conn_;
}

void Coordinator::with_transaction(const std::function<void(Connection&)>& work) {
    std::lock_guard lock(mutex_);
    Connection& c = connection();
    c.begin(TxMode::write);
    try {
        work(c);
        c.commit();
    } catch (...) {
        try {
            c.rollback();
        } catch (const std::exception&) {
            // The connection is gone: so are its session locks; open a new one next time.
            conn_.reset();
            held_.clear();
        }
        throw;
    }
}

bool Coordinator::try_lock(const std::string& name) {
    std::lock_guard lock(mutex_);
    if (held_.count(name)) return false;  // another thread of this process runs it
    try {
        auto rows = connection().query(
            fmt::format("SELECT CASE WHEN pg_try_advisory_lock({}) THEN 1 ELSE 0 END AS ok", kLockKeySql), {name});
        if (rows.empty() || rows.front().i64("ok") != 1) return false;
    } catch (const std::exception& e) {
        std::cerr << "coordination: lock " << name << ": " << e.what() << "\n";
        conn_.reset();
        held_.clear();
        return false;
    }
    held_.insert(name);
    return true;
}

void Coordinator::unlock(const std::string& name) {
    std::lock_guard lock(mutex_);
    if (!held_.erase(name) || !conn_) return;
    try {
        conn_->query(fmt::format("SELECT pg_advisory_unlock({}) AS ok", kLockKeySql), {name});
    } catch (const std::exception& e) {
        // A lost connection released it already.
        std::cerr << "coordination: unlock " << name << ": " << e.what() << "\n";
        conn_.reset();
        held_.clear();
    }
}

JobLease JobLease::take(Database& db, const std::string& name) {
    Coordinator* c = coordinator(db);
    if (!c) return JobLease(nullptr, name, true);
    return JobLease(c, name, c->try_lock(name));
}

JobLease::JobLease(JobLease&& other) noexcept
    : coordinator_(other.coordinator_), name_(std::move(other.name_)), held_(other.held_) {
    other.held_ = false;
}

JobLease::~JobLease() {
    if (held_ && coordinator_) coordinator_->unlock(name_);
}

}  // namespace cp::storage
