#include "server/api/entries.hpp"

#include <fmt/format.h>

#include <set>

#include "server/api/serializers.hpp"
#include "shared/time/civil.hpp"

namespace cp::api {
namespace {

using server::Capability;

// Approvers, and whoever reads invoices (which show the entries anyway), see everyone's.
bool sees_all(const Ctx& ctx) {
    return ctx.principal.can(Capability::time_approve) || ctx.principal.can(Capability::invoices_read);
}

std::string approver_id(const Ctx& ctx) {
    return ctx.principal.membership_id.empty() ? ctx.principal.operator_id : ctx.principal.membership_id;
}

// Why `entry` cannot be approved by the caller, or an empty error.
Error approval_problem(const Ctx& ctx, const storage::Row& entry, const std::string& field) {
    if (entry.str("author_membership_id") == ctx.principal.membership_id)
        return {"SELF_APPROVAL", field, "nobody approves their own entries"};
    if (entry_status(entry) == "invoiced")
        return {"ENTRY_INVOICED", field, "the entry is on an issued invoice"};
    return {};
}

std::string ids_path(std::size_t i) { return "ids[" + std::to_string(i) + "]"; }

int status_of(const std::string& code) {
    if (code == "SELF_APPROVAL") return 403;
    if (code == "NOT_FOUND") return 404;
    return 409;
}

void approve_row(Ctx& ctx, const EntryKind& kind, const storage::Row& entry) {
    if (!entry.is_null("approved_at")) return;  // approving twice changes nothing
    ctx.tx().exec(
        fmt::format(
            "UPDATE {} SET approved_at = ?, approved_by = ?, updated_at = ? WHERE id = ? AND firm_id = ?",
            kind.table),
        {ctx.now, approver_id(ctx), ctx.now, entry.str("id"), ctx.principal.firm_id});
    audit_entry(ctx, kind, "approve", entry);
}

}  // namespace

std::optional<Response> not_author(const Ctx& ctx, const storage::Row& entry) {
    // Only the author changes or deletes an entry: an approver who could edit someone else's
    // hours and then approve them would be approving their own numbers.
    if (entry.str("author_membership_id") == ctx.principal.membership_id) return std::nullopt;
    return forbidden("NOT_AUTHOR", "Only the person who logged this entry may change or delete it.");
}

std::optional<storage::Row> find_entry(Ctx& ctx, const EntryKind& kind, const std::string& id) {
    std::string sql = fmt::format("{} WHERE id = ? AND firm_id = ?", kind.view);
    storage::Params params{id, ctx.principal.firm_id};
    if (!sees_all(ctx)) {
        sql += " AND author_membership_id = ?";
        params.push_back(ctx.principal.membership_id);
    }
    return ctx.tx().query_one(sql, params);
}

std::string entry_status(const storage::Row& e) {
    if (!e.is_null("invoice_status") && e.str("invoice_status") != "draft") return "invoiced";
    return e.is_null("approved_at") ? "unapproved" : "approved";
}

std::optional<Response> entry_locked(const storage::Row& e) {
    if (entry_status(e) == "invoiced")
        return error_response(409, "ENTRY_INVOICED", "The entry is on an issued invoice and is frozen.");
    if (!e.is_null("invoice_id"))
        return error_response(409, "ENTRY_ON_DRAFT",
                              "The entry is on a draft invoice; remove it from the draft first.");
    return std::nullopt;
}

void audit_entry(Ctx& ctx, const EntryKind& kind, const std::string& action, const storage::Row& entry,
                 json metadata) {
    auto e = audit_event(ctx, "BILLING", fmt::format("{}.{}", kind.object, action));
    e.target_type = kind.object;
    e.target_id = entry.str("id");
    e.target_label = entry.str("entry_date");
    e.metadata["author_membership_id"] = entry.str("author_membership_id");
    for (auto& [k, v] : metadata.items()) e.metadata[k] = v;
    record(ctx, e);
}

std::optional<storage::Row> engagement_for_entry(Ctx& ctx, const json& engagement_id, const std::string& date,
                                                 Response& error) {
    const std::string id =
        engagement_id.is_string() ? engagement_id.get<std::string>() : engagement_id.dump();
    auto e = ctx.tx().query_one("SELECT * FROM engagements WHERE id = ? AND firm_id = ?",
                                {id, ctx.principal.firm_id});
    if (!e) {
        error = not_found();
        return std::nullopt;
    }
    if (date < e->str("start_date") || (!e->is_null("end_date") && date > e->str("end_date"))) {
        error = validation_failed({{"DATE_OUTSIDE_ENGAGEMENT", "date", "is outside the engagement's dates"}});
        return std::nullopt;
    }
    return e;
}

Response list_entries(Ctx& ctx, const EntryKind& kind) {
    Response err;
    auto page = parse_page(ctx, err);
    if (!page) return err;
    std::string sql = fmt::format("{} WHERE firm_id = ? AND id > ?", kind.view);
    storage::Params params{ctx.principal.firm_id, page->cursor};
    if (!sees_all(ctx)) {
        sql += " AND author_membership_id = ?";
        params.push_back(ctx.principal.membership_id);
    }
    if (!add_exact_filters(ctx, {"engagement_id", "client_id", "author_membership_id", "invoice_id"}, sql,
                           params, err))
        return err;
    if (auto s = ctx.req.query.find("status"); s != ctx.req.query.end()) {
        if (s->second == "unapproved") {
            sql += " AND approved_at IS NULL AND (invoice_status IS NULL OR invoice_status = 'draft')";
        } else if (s->second == "approved") {
            sql += " AND approved_at IS NOT NULL AND (invoice_status IS NULL OR invoice_status = 'draft')";
        } else if (s->second == "invoiced") {
            sql += " AND invoice_status IS NOT NULL AND invoice_status <> 'draft'";
        } else {
            return error_response(400, "INVALID_FILTER", "status is unapproved, approved or invoiced.",
                                  "status");
        }
    }
    sql += " ORDER BY id LIMIT ?";
    params.push_back(page->limit + 1);
    json items = json::array();
    for (const auto& r : ctx.tx().query(sql, params)) items.push_back(kind.to_json(r));
    return json_response(200, list_body(items, *page));
}

Response get_entry(Ctx& ctx, const EntryKind& kind) {
    auto e = find_entry(ctx, kind, ctx.param("id"));
    if (!e) return not_found();
    return json_response(200, kind.to_json(*e));
}

Response delete_entry(Ctx& ctx, const EntryKind& kind) {
    auto e = find_entry(ctx, kind, ctx.param("id"));
    if (!e) return not_found();
    if (auto locked = entry_locked(*e)) return *locked;  // frozen for everyone, author included
    if (auto other = not_author(ctx, *e)) return *other;
    ctx.tx().exec(fmt::format("DELETE FROM {} WHERE id = ? AND firm_id = ?", kind.table),
                  {e->str("id"), ctx.principal.firm_id});
    audit_entry(ctx, kind, "delete", *e, {{"before", kind.to_json(*e)}});
    Response r;
    r.status = 204;
    return r;
}

Response set_approval(Ctx& ctx, const EntryKind& kind, bool approve) {
    if (!ctx.req.body.empty()) {
        Response err;
        auto body = parse_object(ctx, err);
        if (!body) return err;
        if (!body->empty())
            return validation_failed({{"UNKNOWN_FIELD", body->begin().key(), "takes no fields"}});
    }
    auto e = find_entry(ctx, kind, ctx.param("id"));
    if (!e) return not_found();
    if (approve) {
        if (auto problem = approval_problem(ctx, *e, ""); !problem.code.empty())
            return error_response(status_of(problem.code), {problem});
        approve_row(ctx, kind, *e);
    } else {
        if (entry_status(*e) == "invoiced")
            return error_response(409, "ENTRY_INVOICED", "The entry is on an issued invoice and is frozen.");
        if (!e->is_null("approved_at")) {
            // On a draft the entry stays there; issuing that draft re-checks and refuses.
            ctx.tx().exec(fmt::format("UPDATE {} SET approved_at = NULL, approved_by = NULL, updated_at = ? "
                                      "WHERE id = ? AND firm_id = ?",
                                      kind.table),
                          {ctx.now, e->str("id"), ctx.principal.firm_id});
            audit_entry(ctx, kind, "unapprove", *e);
        }
    }
    return json_response(200, kind.to_json(*find_entry(ctx, kind, e->str("id"))));
}

Response bulk_approve(Ctx& ctx, const EntryKind& kind) {
    Response err;
    auto body = parse_object(ctx, err);
    if (!body) return err;
    Errors errors;
    for (const auto& [key, value] : body->items()) {
        if (key != "ids") errors.push_back({"UNKNOWN_FIELD", key, "is not a field of this request"});
    }
    const json ids = body->value("ids", json());
    if (!ids.is_array()) {
        errors.push_back({"VALIDATION_REQUIRED", "ids", "an array of 1 to 200 ids"});
    } else if (ids.empty() || ids.size() > 200) {
        errors.push_back({"OUT_OF_RANGE", "ids", "an array of 1 to 200 ids"});
    } else {
        for (std::size_t i = 0; i < ids.size(); ++i) {
            if (!ids[i].is_string() || ids[i].get<std::string>().empty() ||
                ids[i].get<std::string>().size() > 64)
                errors.push_back({"INVALID_TYPE", ids_path(i), "must be an id"});
        }
    }
    if (!errors.empty()) return validation_failed(errors);
    // All or nothing: every problem is reported and nothing changes unless there is none.
    std::vector<storage::Row> rows;
    std::set<std::string> seen;
    for (std::size_t i = 0; i < ids.size(); ++i) {
        const std::string id = ids[i];
        auto e = find_entry(ctx, kind, id);
        if (!e) {
            errors.push_back({"NOT_FOUND", ids_path(i), "No such object."});
            continue;
        }
        if (auto problem = approval_problem(ctx, *e, ids_path(i)); !problem.code.empty()) {
            errors.push_back(problem);
            continue;
        }
        if (seen.insert(id).second) rows.push_back(*e);
    }
    if (!errors.empty()) return error_response(status_of(errors[0].code), errors);
    json items = json::array();
    for (const auto& e : rows) {
        approve_row(ctx, kind, e);
        items.push_back(kind.to_json(*find_entry(ctx, kind, e.str("id"))));
    }
    return json_response(
        200, {{"object", "list"}, {"data", items}, {"has_more", false}, {"next_cursor", nullptr}});
}

}  // namespace cp::api
