#include "server/api/crm_records.hpp"

#include "server/api/serializers.hpp"
#include "server/util/crypto.hpp"

namespace cp::api {
namespace {

json nullable_text(const storage::Row& r, const char* column) {
    return r.is_null(column) ? json(nullptr) : json(r.str(column));
}

json nullable_money(const storage::Row& r, const char* column) {
    return r.is_null(column) ? json(nullptr) : json(money_text(r.i64(column), r.str("currency")));
}

}  // namespace

json lead_json(const storage::Row& r) {
    return {{"id", r.str("id")},
            {"object", "lead"},
            {"company", r.str("company")},
            {"contact_name", nullable_text(r, "contact_name")},
            {"contact_email", nullable_text(r, "contact_email")},
            {"source", nullable_text(r, "source")},
            {"estimated_value", nullable_money(r, "estimated_value")},
            {"currency", r.str("currency")},
            {"owner_membership_id", nullable_text(r, "owner_membership_id")},
            {"notes", nullable_text(r, "notes")},
            {"status", r.str("status")},
            {"last_activity_at", iso(r.i64("last_activity_at"))},
            {"created_at", iso(r.i64("created_at"))},
            {"updated_at", iso(r.i64("updated_at"))}};
}

json prospect_json(const storage::Row& r) {
    return {{"id", r.str("id")},
            {"object", "prospect"},
            {"lead_id", r.str("lead_id")},
            {"company", r.str("company")},
            {"stage", r.str("stage")},
            {"expected_close_date", r.str("expected_close_date")},
            {"estimated_value", nullable_money(r, "estimated_value")},
            {"currency", r.str("currency")},
            {"owner_membership_id", nullable_text(r, "owner_membership_id")},
            {"closed_at", r.is_null("closed_at") ? json(nullptr) : json(iso(r.i64("closed_at")))},
            {"created_at", iso(r.i64("created_at"))},
            {"updated_at", iso(r.i64("updated_at"))}};
}

json proposal_json(const storage::Row& r) {
    json out = json::parse(r.str("terms"));
    out["id"] = r.str("id");
    out["object"] = "proposal";
    out["version"] = r.i64("version");
    out["parent_id"] = nullable_text(r, "parent_id");
    out["status"] = r.str("status");
    out["subtotal"] = money_text(r.i64("subtotal"), r.str("currency"));
    out["tax"] = money_text(r.i64("tax"), r.str("currency"));
    out["total"] = money_text(r.i64("total"), r.str("currency"));
    out["sent_at"] = r.is_null("sent_at") ? json(nullptr) : json(iso(r.i64("sent_at")));
    out["decided_at"] = r.is_null("decided_at") ? json(nullptr) : json(iso(r.i64("decided_at")));
    out["created_at"] = iso(r.i64("created_at"));
    out["updated_at"] = iso(r.i64("updated_at"));
    return out;
}

json contract_json(const storage::Row& r) {
    return {{"id", r.str("id")},
            {"object", "contract"},
            {"proposal_id", r.str("proposal_id")},
            {"client_id", r.str("client_id")},
            {"engagement_id", r.str("engagement_id")},
            {"portal_user_id", nullable_text(r, "portal_user_id")},
            {"snapshot", json::parse(r.str("snapshot"))},
            {"accepted_by", r.str("accepted_by")},
            {"accepted_via", r.str("accepted_via")},
            {"accepted_at", iso(r.i64("accepted_at"))}};
}

std::optional<storage::Row> find_firm_row(Ctx& ctx, const char* table, const std::string& id) {
    return ctx.tx().query_one(std::string("SELECT * FROM ") + table + " WHERE id = ? AND firm_id = ?",
                              {id, ctx.principal.firm_id});
}

void audit_crm(Ctx& ctx, const std::string& action, const char* target_type, const std::string& target_id,
               const std::string& label, const std::string& lead_id, json before, json after) {
    auto e = audit_event(ctx, "CONFIG", action);
    e.target_type = target_type;
    e.target_id = target_id;
    e.target_label = label;
    if (!before.is_null()) e.metadata["before"] = before;
    if (!after.is_null()) e.metadata["after"] = after;
    record(ctx, e);
    // The timeline keeps what changed in a line a person reads, not the whole record.
    json detail{{"target_type", target_type}, {"target_id", target_id}};
    for (const char* key : {"status", "stage"}) {
        if (after.is_object() && after.contains(key)) detail[key] = after[key];
    }
    ctx.tx().exec("INSERT INTO crm_activities (id, firm_id, lead_id, kind, detail, actor_id, at) "
                  "VALUES (?, ?, ?, ?, ?, ?, ?)",
                  {server::new_id("act"), ctx.principal.firm_id, lead_id, action, detail.dump(),
                   e.actor_id.empty() ? storage::Param(nullptr) : storage::Param(e.actor_id), ctx.now});
    ctx.tx().exec("UPDATE leads SET last_activity_at = ? WHERE id = ? AND firm_id = ?",
                  {ctx.now, lead_id, ctx.principal.firm_id});
}

}  // namespace cp::api
