#pragma once
// Many rows into one table with few statements: rows are gathered and written as
// multi-row INSERTs of up to `rows_per_statement` rows. On PostgreSQL each statement is a
// round trip, so a batch of 100 invoices costs one trip instead of a hundred; SQLite saves
// the per-statement VM setup. Both backends accept the same `VALUES (…), (…)` form.
//
// Nothing is written until a chunk is full or flush() is called; the caller flushes before
// reading the rows back or committing. The bound on parameters per statement (SQLite's
// default is 32,766, PostgreSQL's 65,535) caps the chunk size for wide tables.
#include <cstddef>
#include <string>
#include <vector>

#include "server/storage/database.hpp"

namespace cp::storage {

class BulkInsert {
public:
    // `suffix` follows the VALUES list, e.g. "ON CONFLICT (event_key) DO NOTHING".
    BulkInsert(Transaction& tx, std::string table, std::vector<std::string> columns, std::string suffix = {},
               std::size_t rows_per_statement = 200);

    // One row: exactly one value per column, in the constructor's order.
    void add(Params row);
    void flush();
    std::size_t rows_written() const { return written_; }

private:
    Transaction& tx_;
    std::string head_, suffix_, row_placeholders_;
    std::size_t columns_, rows_per_statement_, pending_rows_ = 0, written_ = 0;
    Params pending_;
};

}  // namespace cp::storage
