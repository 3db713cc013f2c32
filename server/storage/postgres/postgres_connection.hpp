#pragma once
#include <memory>
#include <string>

#include "server/storage/database.hpp"

namespace cp::storage {
std::unique_ptr<Connection> open_postgres(const std::string& url, const std::string& schema);
// PostgreSQL numbers placeholders: "a = ? AND b = ?" -> "a = $1 AND b = $2". Exposed for tests.
std::string number_placeholders(std::string_view sql);
}  // namespace cp::storage
