#pragma once
// The append-only audit log with one SHA-256 hash chain per firm ("platform" for events
// outside any firm). Appends run inside the caller's transaction: if the audit write
// fails, the change it records rolls back with it — an audit write cannot silently fail.
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "server/storage/database.hpp"

namespace cp::server::audit {

inline constexpr const char* kPlatformChain = "platform";

struct Event {
    std::string firm_id;            // chain key
    std::string category;           // AUTH PERMISSIONS BREAK_GLASS BILLING PURGE CONFIG DATA_ACCESS SYSTEM
    std::string action;             // "client.create", "auth.login", ...
    std::string severity = "INFO";  // INFO WARNING CRITICAL
    std::string actor_type = "system";  // member portal_user operator system anonymous
    std::string actor_id;
    std::string actor_role;
    std::string actor_email;
    std::string break_glass_id;
    std::string target_type, target_id, target_label;
    std::string reason;
    std::string outcome = "success";
    nlohmann::json metadata = nlohmann::json::object();  // never document content
};

// Seconds an event of `category` is kept in full (AUTH 1 y, PERMISSIONS 3 y, ...).
std::int64_t retention_seconds(const std::string& category);
bool is_category(const std::string& category);

// Appends within `tx`; throws (rolling the caller back) on any failure.
void append(storage::Transaction& tx, const Event& event, std::int64_t now);

struct Problem {
    std::int64_t seq;
    std::string problem;
};
struct Verification {
    std::string firm_id;
    std::int64_t checked = 0;
    std::vector<Problem> problems;
    bool ok() const { return problems.empty(); }
};

// Recomputes every hash of one chain: detects edited, deleted, inserted or reordered rows,
// and events redacted before their retention ended.
Verification verify_chain(storage::Transaction& tx, const std::string& firm_id, std::int64_t now);
std::vector<std::string> chain_ids(storage::Transaction& tx);

// Redacts the payload (emails, labels, reason, metadata) of events past retention; the
// header and payload hash stay, so chains keep verifying. Returns how many were redacted.
std::int64_t apply_retention(storage::Transaction& tx, std::int64_t now);

nlohmann::json to_json(const storage::Row& row);

// The hash of an audit row as an export writes it (columns as JSON, integers as numbers):
// a firm's chain verifies offline, from its export alone.
std::string exported_event_hash(const nlohmann::json& row);
// The prev_hash of a chain's first event.
std::string genesis_hash();

}  // namespace cp::server::audit
