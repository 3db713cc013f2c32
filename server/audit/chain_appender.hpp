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

#include "server/audit/audit_log.hpp"
#include "server/storage/bulk_insert.hpp"

namespace cp::server::audit {

class ChainAppender {
public:
    ChainAppender(storage::Transaction& tx, const std::string& firm_id);
    void add(const Event& event, std::int64_t now);
    void finish();

private:
    storage::Transaction& tx_;
    std::string firm_id_;
    std::optional<storage::BulkInsert> rows_;
    bool had_head_ = false;
    std::int64_t seq_ = 0, start_seq_ = 0;
    std::string hash_;
};

}  // namespace cp::server::audit
