// Expenses: an amount in the engagement's currency (billed as amount x (1 + markup), rounded
// once, by the core), a receipt reference, never the receipt. Created unapproved; the same
// approval gate and freeze as time entries (entries.hpp).
#include "server/api/entries.hpp"
#include "server/api/handlers.hpp"
#include "server/api/invoice_records.hpp"
#include "server/api/serializers.hpp"
#include "server/util/crypto.hpp"
#include "shared/money/currency.hpp"
#include "shared/money/decimal.hpp"
#include "shared/validation/expense_validation.hpp"

namespace cp::api {
namespace {

json opt_text(const storage::Row& r, const char* column) {
    return r.is_null(column) ? json(nullptr) : json(r.str(column));
}

json expense_json(const storage::Row& x) {
    return {{"object", "expense"},
            {"id", x.str("id")},
            {"engagement_id", x.str("engagement_id")},
            {"client_id", x.str("client_id")},
            {"author_membership_id", x.str("author_membership_id")},
            {"date", x.str("entry_date")},
            {"description", x.str("description")},
            {"amount", money_text(x.i64("amount"), x.str("currency"))},
            {"currency", x.str("currency")},
            {"markup_percent", rate_text(x.i64("markup"), 0)},
            {"category", opt_text(x, "category")},
            {"receipt_ref", opt_text(x, "receipt_ref")},
            {"billable", x.flag("billable")},
            {"status", entry_status(x)},
            {"approved_at", x.is_null("approved_at") ? json(nullptr) : json(iso(x.i64("approved_at")))},
            {"approved_by", opt_text(x, "approved_by")},
            {"invoice_id", opt_text(x, "invoice_id")},
            {"created_at", iso(x.i64("created_at"))},
            {"updated_at", iso(x.i64("updated_at"))}};
}

const EntryKind kExpense{"expenses", "expense",
                         "SELECT * FROM (SELECT ex.*, inv.status AS invoice_status FROM expenses ex "
                         "LEFT JOIN invoices inv ON inv.id = ex.invoice_id) x",
                         expense_json};

std::int64_t minor(const json& v, const std::string& currency) {
    return money::parse_fixed(v.get<std::string>(), money::find_currency(currency)->minor_digits).value();
}

storage::Param text_or_null(const json& body, const char* key, const std::optional<std::string>& stored) {
    if (!body.contains(key)) return storage::nullable(stored);
    return body[key].is_string() ? storage::Param(body[key].get<std::string>()) : storage::Param(nullptr);
}

}  // namespace

Response list_expenses(Ctx& ctx) { return list_entries(ctx, kExpense); }
Response get_expense(Ctx& ctx) { return get_entry(ctx, kExpense); }
Response delete_expense(Ctx& ctx) { return delete_entry(ctx, kExpense); }
Response approve_expense(Ctx& ctx) { return set_approval(ctx, kExpense, true); }
Response unapprove_expense(Ctx& ctx) { return set_approval(ctx, kExpense, false); }
Response bulk_approve_expenses(Ctx& ctx) { return bulk_approve(ctx, kExpense); }

Response create_expense(Ctx& ctx) {
    Response err;
    auto body = parse_object(ctx, err);
    if (!body) return err;
    const auto today = firm_today(ctx, firm_billing(ctx));
    if (auto errors = validation::validate_expense(*body, validation::Mode::create, today); !errors.empty())
        return validation_failed(errors);
    const std::string date = (*body)["date"];
    auto eng = engagement_for_entry(ctx, (*body)["engagement_id"], date, err);
    if (!eng) return err;
    // One currency per engagement keeps every invoice line in the invoice's currency.
    const std::string currency = str_or(*body, "currency", eng->str("currency"));
    if (currency != eng->str("currency"))
        return validation_failed({{"CURRENCY_MISMATCH", "currency", "must be the engagement's currency"}});
    if (auto errors = validation::validate_expense({{"amount", (*body)["amount"]}, {"currency", currency}},
                                                   validation::Mode::update);
        !errors.empty())
        return validation_failed(errors);
    const std::string id = server::new_id("exp");
    ctx.tx().exec(
        "INSERT INTO expenses (id, firm_id, engagement_id, client_id, author_membership_id, entry_date, "
        "description, "
        "amount, currency, markup, category, receipt_ref, billable, created_at, updated_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        {id, ctx.principal.firm_id, eng->str("id"), eng->str("client_id"), ctx.principal.membership_id, date,
         (*body)["description"].get<std::string>(), minor((*body)["amount"], currency), currency,
         body->contains("markup_percent")
             ? money::parse_fixed((*body)["markup_percent"].get<std::string>(), 4).value()
             : std::int64_t{0},
         text_or_null(*body, "category", std::nullopt), text_or_null(*body, "receipt_ref", std::nullopt),
         body->value("billable", true), ctx.now, ctx.now});
    auto row = find_entry(ctx, kExpense, id);
    audit_entry(ctx, kExpense, "create", *row, {{"after", expense_json(*row)}});
    return json_response(201, expense_json(*row));
}

Response update_expense(Ctx& ctx) {
    Response err;
    auto body = parse_object(ctx, err);
    if (!body) return err;
    const auto today = firm_today(ctx, firm_billing(ctx));
    if (auto errors = validation::validate_expense(*body, validation::Mode::update, today); !errors.empty())
        return validation_failed(errors);
    auto x = find_entry(ctx, kExpense, ctx.param("id"));
    if (!x) return not_found();
    if (auto locked = entry_locked(*x)) return *locked;  // frozen for everyone, author included
    if (auto other = not_author(ctx, *x)) return *other;
    for (const char* f : {"engagement_id", "currency"}) {
        if (body->contains(f) && (*body)[f] != x->str(f))
            return validation_failed({{"NOT_UPDATABLE", f, "delete the expense and record it again"}});
    }
    const std::string date = str_or(*body, "date", x->str("entry_date"));
    if (!engagement_for_entry(ctx, x->str("engagement_id"), date, err)) return err;
    if (body->contains("amount")) {
        if (auto errors = validation::validate_expense(
                {{"amount", (*body)["amount"]}, {"currency", x->str("currency")}}, validation::Mode::update);
            !errors.empty())
            return validation_failed(errors);
    }
    json before = expense_json(*x);
    ctx.tx().exec(
        "UPDATE expenses SET entry_date = ?, description = ?, amount = ?, markup = ?, category = ?, "
        "receipt_ref = ?, "
        "billable = ?, approved_at = NULL, approved_by = NULL, updated_at = ? WHERE id = ? AND firm_id = ?",
        {date, str_or(*body, "description", x->str("description")),
         body->contains("amount") ? minor((*body)["amount"], x->str("currency")) : x->i64("amount"),
         body->contains("markup_percent")
             ? money::parse_fixed((*body)["markup_percent"].get<std::string>(), 4).value()
             : x->i64("markup"),
         text_or_null(*body, "category", x->opt("category")),
         text_or_null(*body, "receipt_ref", x->opt("receipt_ref")),
         body->value("billable", x->flag("billable")), ctx.now, x->str("id"), ctx.principal.firm_id});
    auto after = find_entry(ctx, kExpense, x->str("id"));
    audit_entry(ctx, kExpense, "update", *after, {{"before", before}, {"after", expense_json(*after)}});
    return json_response(200, expense_json(*after));
}

}  // namespace cp::api
