#pragma once
// Many events on one firm's audit chain (the package run's invoices): the head is read
// (and on PostgreSQL locked) once, the events are chained in memory and written as
// multi-row inserts, and the head is updated once in finish() — the same rows and hashes
// as audit::append() one by one, which is itself a one-event ChainAppender. finish() must
// run before anything else appends to this chain in the transaction; an exception before
// it leaves the caller to roll back.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "server/audit/audit_log.hpp"
#include "server/storage/bulk_insert.hpp"

namespace cp::server::audit {

// A chain's head as read in a transaction (genesis when the firm has no events yet).
struct ChainHead {
    bool exists = false;
    std::int64_t seq = 0;
    std::string hash;
};

// Reads (on PostgreSQL: locks) the head of the firm's chain.
ChainHead read_chain_head(storage::Transaction& tx, const std::string& firm_id);

// Events chained in memory from a head, touching no database: the package run builds a
// firm's events on a second thread while the first writes another firm's rows.
class ChainRows {
public:
    ChainRows(std::string firm_id, ChainHead head) : firm_id_(std::move(firm_id)), head_(std::move(head)) {}
    void add(const Event& event, std::int64_t now);
    const ChainHead& head() const { return head_; }
    std::size_t size() const { return rows_.size(); }
    // Writes the rows and moves the stored head to this one; `before` is the head they
    // were chained from (it says whether the head row exists).
    void write(storage::Transaction& tx, const ChainHead& before);

private:
    std::string firm_id_;
    ChainHead head_;
    std::vector<storage::Params> rows_;
};

class ChainAppender {
public:
    ChainAppender(storage::Transaction& tx, const std::string& firm_id);
    void add(const Event& event, std::int64_t now);
    void finish();

private:
    storage::Transaction& tx_;
    ChainHead written_;
    ChainRows rows_;
};

}  // namespace cp::server::audit
