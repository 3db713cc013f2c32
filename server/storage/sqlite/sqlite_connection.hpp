#pragma once
#include <memory>
#include <string>

#include "server/storage/database.hpp"

namespace cp::storage {
// Opens (creating) an SQLite file with WAL, synchronous=FULL and foreign keys on (the
// writer), or a query-only reader of it.
std::unique_ptr<Connection> open_sqlite(const std::string& path, TxMode role = TxMode::write);
}  // namespace cp::storage
