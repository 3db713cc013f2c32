#pragma once
// Writing a client row, shared by POST /clients and proposal acceptance so a client made
// from a proposal is made exactly like one typed in (defaults, quota, audit event).
#include "server/api/common.hpp"

namespace cp::api {

// The firm's client with exactly this company name (names are unique per firm).
std::optional<storage::Row> find_client_by_name(Ctx& ctx, const std::string& name);

// Inserts a client from a body that passed validation::validate_client (Mode::create),
// records client.create and returns the client's JSON. The caller checks the name and
// the quota first.
json insert_client(Ctx& ctx, const json& body);

}  // namespace cp::api
