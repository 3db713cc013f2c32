#pragma once
// Row -> API JSON for each object type, shared by the firm and portal surfaces. Every
// object carries "object" (its type) and "id"; money is a decimal string in the currency's
// digits; times are ISO 8601 UTC.
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>

#include "server/storage/database.hpp"

namespace cp::api {

nlohmann::json firm_json(const storage::Row& firm);
nlohmann::json firm_metadata_json(const storage::Row& firm);  // operators: no content
nlohmann::json membership_json(const storage::Row& joined_with_user);
nlohmann::json client_json(const storage::Row& client);
nlohmann::json portal_user_json(const storage::Row& portal_user);
nlohmann::json engagement_json(const storage::Row& engagement);
nlohmann::json invoice_json(const storage::Row& invoice);
nlohmann::json invoice_line_json(const storage::Row& line, const std::string& currency);
nlohmann::json break_glass_json(const storage::Row& session);

// Minor units as "12.34" in the currency's digits (2 when the code is unknown).
std::string money_text(std::int64_t minor, const std::string& currency);
// A scale-10^4 rate without needless trailing zeros, keeping at least `min_digits`.
std::string rate_text(std::int64_t scaled, int min_digits);

}  // namespace cp::api
