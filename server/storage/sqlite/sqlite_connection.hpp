#pragma once
#include <memory>
#include <string>

#include "server/storage/database.hpp"

namespace cp::storage {
// Opens (creating) an SQLite file with WAL, synchronous=FULL and foreign keys on.
std::unique_ptr<Connection> open_sqlite(const std::string& path);
}  // namespace cp::storage
