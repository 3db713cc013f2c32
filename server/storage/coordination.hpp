#pragma once
// What several server processes on one PostgreSQL database must agree on (issue 19):
//   - a dedicated connection per process for short shared-state transactions (the login
//     throttle) and for session advisory locks, apart from the request pool so neither
//     waits for the other and a lock is never lost to a pooled connection's next user;
//   - JobLease: one runner per job (and firm) among the processes, through
//     pg_try_advisory_lock. A killed process's locks die with its connection, so another
//     process takes the job on its next poll.
// Lock keys hash the current schema with the job's name: tests give every test a schema of
// its own on one server, and advisory locks are per database, not per schema.
//
// SQLite stays one process per database file (server/main.cpp warns when a second one
// starts with schedulers on): there a JobLease is always held and nothing is shared.
#include <functional>
#include <memory>
#include <mutex>
#include <set>
#include <string>

#include "server/storage/database.hpp"

namespace cp::storage {

class Coordinator {
public:
    using Factory = std::function<std::unique_ptr<Connection>()>;
    explicit Coordinator(Factory factory) : factory_(std::move(factory)) {}

    // Runs `work` in one write transaction on the dedicated connection (one at a time in this
    // process), committing when it returns and rolling back when it throws.
    void with_transaction(const std::function<void(Connection&)>& work);

    // Session advisory locks on the dedicated connection: true when this process now holds
    // `name` (and no other thread of it does).
    bool try_lock(const std::string& name);
    void unlock(const std::string& name);

private:
    Connection& connection();  // opens on first use and again after a failure
    Factory factory_;
    std::mutex mutex_;
    std::unique_ptr<Connection> conn_;
    std::set<std::string> held_;
};

// The database's coordinator: PostgreSQL databases get one from open_database (its
// dedicated connection opens on first use); null on SQLite (one process per file).
// Kept beside Database rather than in it so database.hpp, included everywhere, stays put.
Coordinator* coordinator(Database& db);
void attach_coordinator(Database& db, Coordinator::Factory factory);
void detach_coordinator(Database& db);

// The advisory-lock key of `name` in the current schema, as SQL over one `?` parameter.
inline constexpr const char* kLockKeySql = "hashtextextended(current_schema() || ':' || ?, 0)";

// One runner per job: take() before a run, keep the lease for the run, let it go after.
// A lease must not outlive its Database.
class JobLease {
public:
    // Held at once on SQLite (single process) and when this process wins the lock on
    // PostgreSQL; not held when another process (or thread) runs the job now.
    static JobLease take(Database& db, const std::string& name);
    JobLease(JobLease&& other) noexcept;
    JobLease& operator=(JobLease&&) = delete;
    JobLease(const JobLease&) = delete;
    ~JobLease();
    bool held() const { return held_; }
    explicit operator bool() const { return held_; }

private:
    JobLease(Coordinator* coordinator, std::string name, bool held)
        : coordinator_(coordinator), name_(std::move(name)), held_(held) {}
    Coordinator* coordinator_;
    std::string name_;
    bool held_;
};

}  // namespace cp::storage
