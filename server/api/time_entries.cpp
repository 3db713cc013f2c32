// Time entries: hours (hundredths, 0 < h <= 24) on a date no later than today in the firm's
// zone, at the engagement's hourly rate unless given. Created unapproved; editing an
// approved entry withdraws its approval (the approver approved what they saw).
#include "server/api/entries.hpp"
#include "server/api/handlers.hpp"
#include "server/api/invoice_records.hpp"
#include "server/api/serializers.hpp"
#include "server/util/crypto.hpp"
#include "shared/money/decimal.hpp"
#include "shared/validation/time_entry_validation.hpp"

namespace cp::api {
namespace {

json time_entry_json(const storage::Row& t) {
    return {{"object", "time_entry"},
            {"id", t.str("id")},
            {"engagement_id", t.str("engagement_id")},
            {"client_id", t.str("client_id")},
            {"author_membership_id", t.str("author_membership_id")},
            {"date", t.str("entry_date")},
            {"hours", money::format_fixed(t.i64("hours"), 2)},
            {"rate", rate_text(t.i64("rate"), 2)},
            {"currency", t.str("engagement_currency")},
            {"description", t.str("description")},
            {"billable", t.flag("billable")},
            {"status", entry_status(t)},
            {"approved_at", t.is_null("approved_at") ? json(nullptr) : json(iso(t.i64("approved_at")))},
            {"approved_by", t.is_null("approved_by") ? json(nullptr) : json(t.str("approved_by"))},
            {"invoice_id", t.is_null("invoice_id") ? json(nullptr) : json(t.str("invoice_id"))},
            {"created_at", iso(t.i64("created_at"))},
            {"updated_at", iso(t.i64("updated_at"))}};
}

const EntryKind kTime{
    "time_entries", "time_entry",
    "SELECT * FROM (SELECT t.*, e.currency AS engagement_currency, inv.status AS invoice_status "
    "FROM time_entries t JOIN engagements e ON e.id = t.engagement_id "
    "LEFT JOIN invoices inv ON inv.id = t.invoice_id) x",
    time_entry_json};

std::int64_t scaled(const json& v, int scale) {
    return money::parse_fixed(v.get<std::string>(), scale).value();
}

}  // namespace

Response list_time_entries(Ctx& ctx) { return list_entries(ctx, kTime); }
Response get_time_entry(Ctx& ctx) { return get_entry(ctx, kTime); }
Response delete_time_entry(Ctx& ctx) { return delete_entry(ctx, kTime); }
Response approve_time_entry(Ctx& ctx) { return set_approval(ctx, kTime, true); }
Response unapprove_time_entry(Ctx& ctx) { return set_approval(ctx, kTime, false); }
Response bulk_approve_time_entries(Ctx& ctx) { return bulk_approve(ctx, kTime); }

Response create_time_entry(Ctx& ctx) {
    Response err;
    auto body = parse_object(ctx, err);
    if (!body) return err;
    const auto today = firm_today(ctx, firm_billing(ctx));
    if (auto errors = validation::validate_time_entry(*body, validation::Mode::create, today);
        !errors.empty())
        return validation_failed(errors);
    const std::string date = (*body)["date"];
    auto eng = engagement_for_entry(ctx, (*body)["engagement_id"], date, err);
    if (!eng) return err;
    if (!body->contains("rate") && eng->is_null("hourly_rate")) {
        return validation_failed(
            {{"VALIDATION_REQUIRED", "rate", "the engagement has no hourly rate; give one"}});
    }
    const std::string id = server::new_id("te");
    ctx.tx().exec(
        "INSERT INTO time_entries (id, firm_id, engagement_id, client_id, author_membership_id, entry_date, "
        "hours, "
        "rate, description, billable, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        {id, ctx.principal.firm_id, eng->str("id"), eng->str("client_id"), ctx.principal.membership_id, date,
         scaled((*body)["hours"], 2),
         body->contains("rate") ? scaled((*body)["rate"], 4) : eng->i64("hourly_rate"),
         str_or(*body, "description"), body->value("billable", true), ctx.now, ctx.now});
    auto row = find_entry(ctx, kTime, id);
    audit_entry(ctx, kTime, "create", *row, {{"after", time_entry_json(*row)}});
    return json_response(201, time_entry_json(*row));
}

Response update_time_entry(Ctx& ctx) {
    Response err;
    auto body = parse_object(ctx, err);
    if (!body) return err;
    const auto today = firm_today(ctx, firm_billing(ctx));
    if (auto errors = validation::validate_time_entry(*body, validation::Mode::update, today);
        !errors.empty())
        return validation_failed(errors);
    auto t = find_entry(ctx, kTime, ctx.param("id"));
    if (!t) return not_found();
    if (auto locked = entry_locked(*t)) return *locked;  // frozen for everyone, author included
    if (auto other = not_author(ctx, *t)) return *other;
    if (body->contains("engagement_id") && (*body)["engagement_id"] != t->str("engagement_id"))
        return validation_failed({{"NOT_UPDATABLE", "engagement_id", "delete the entry and log it again"}});
    const std::string date = str_or(*body, "date", t->str("entry_date"));
    if (!engagement_for_entry(ctx, t->str("engagement_id"), date, err)) return err;
    json before = time_entry_json(*t);
    ctx.tx().exec(
        "UPDATE time_entries SET entry_date = ?, hours = ?, rate = ?, description = ?, billable = ?, "
        "approved_at = NULL, approved_by = NULL, updated_at = ? WHERE id = ? AND firm_id = ?",
        {date, body->contains("hours") ? scaled((*body)["hours"], 2) : t->i64("hours"),
         body->contains("rate") ? scaled((*body)["rate"], 4) : t->i64("rate"),
         str_or(*body, "description", t->str("description")), body->value("billable", t->flag("billable")),
         ctx.now, t->str("id"), ctx.principal.firm_id});
    auto after = find_entry(ctx, kTime, t->str("id"));
    audit_entry(ctx, kTime, "update", *after, {{"before", before}, {"after", time_entry_json(*after)}});
    return json_response(200, time_entry_json(*after));
}

}  // namespace cp::api
