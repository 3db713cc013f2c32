#pragma once
// What time entries and expenses share: who sees them (the author, or whoever may approve),
// the approval gate (never one's own, only with time.approve, all-or-nothing in bulk), and
// the freeze once an issued invoice bills them. The two resource files add their fields.
#include <string>

#include "server/api/common.hpp"

namespace cp::api {

struct EntryKind {
    const char* table;   // "time_entries"
    const char* object;  // "time_entry": JSON object type and audit action prefix
    const char* view;    // SELECT yielding the table's columns plus invoice_status, aliased x
    json (*to_json)(const storage::Row&);
};

// Firm-scoped and visible to the caller (others' entries need time.approve or
// invoices.read); nullopt = 404.
std::optional<storage::Row> find_entry(Ctx& ctx, const EntryKind& kind, const std::string& id);
// "unapproved" | "approved" | "invoiced" (on an issued invoice).
std::string entry_status(const storage::Row& entry);
// 409 ENTRY_INVOICED on an issued invoice, 409 ENTRY_ON_DRAFT on a draft; nullopt otherwise.
std::optional<Response> entry_locked(const storage::Row& entry);
// 403 NOT_AUTHOR unless the caller logged the entry.
std::optional<Response> not_author(const Ctx& ctx, const storage::Row& entry);
// An audit event (category BILLING) for one entry.
void audit_entry(Ctx& ctx, const EntryKind& kind, const std::string& action, const storage::Row& entry,
                 json metadata = json::object());
// The engagement for a new entry, checked against the entry date (DATE_OUTSIDE_ENGAGEMENT);
// nullopt with `error` set (404 or 422).
std::optional<storage::Row> engagement_for_entry(Ctx& ctx, const json& engagement_id, const std::string& date,
                                                 Response& error);

Response list_entries(Ctx& ctx, const EntryKind& kind);
Response get_entry(Ctx& ctx, const EntryKind& kind);
Response delete_entry(Ctx& ctx, const EntryKind& kind);
Response set_approval(Ctx& ctx, const EntryKind& kind, bool approve);
Response bulk_approve(Ctx& ctx, const EntryKind& kind);

}  // namespace cp::api
