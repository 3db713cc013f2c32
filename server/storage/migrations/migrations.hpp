#pragma once
// Numbered SQL migrations, compiled into the binary and applied at start-up. Each runs in
// its own transaction and is recorded in schema_migrations, so applying twice is a no-op
// and two servers starting at once cannot both apply one (primary key on version).
#include <string>
#include <vector>

#include "server/storage/database.hpp"

namespace cp::storage {

struct Migration {
    int version;
    std::string name;
    std::string sql;
};

const std::vector<Migration>& migrations();
std::vector<std::string> split_statements(const std::string& sql);

// Returns the versions applied by this call (empty when the schema was current).
std::vector<int> migrate(Database& db, std::int64_t now);

}  // namespace cp::storage
