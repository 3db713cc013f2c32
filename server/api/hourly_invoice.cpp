// The hourly invoice of an engagement for a period: a draft with one `time` line per
// approved, unbilled, billable time entry (quantity = hours, unit price = rate, so the core
// rounds hours x rate once) and one `expense` line per such expense (its billed amount,
// amount x (1 + markup) rounded once by the core). The entries are taken by the draft:
// deleting the draft (or voiding the invoice) releases them.
#include <fmt/format.h>

#include "server/api/entry_links.hpp"
#include "server/api/handlers.hpp"
#include "server/api/invoice_records.hpp"
#include "shared/billing/billable_amounts.hpp"
#include "shared/money/rounding.hpp"
#include "shared/validation/hourly_invoice_validation.hpp"

namespace cp::api {
namespace {

const char* kSelectBillable =
    " WHERE firm_id = ? AND engagement_id = ? AND approved_at IS NOT NULL AND invoice_id IS NULL AND "
    "billable = 1 "
    "AND entry_date >= ? AND entry_date <= ? ORDER BY entry_date, id";

// Takes the entry for `invoice_id` unless a concurrent request took it first; then the whole
// request rolls back (the dispatcher answers 409 CONFLICT).
void take(Ctx& ctx, const char* table, const std::string& entry_id, const std::string& invoice_id) {
    if (!ctx.tx().query_one(
            fmt::format(
                "UPDATE {} SET invoice_id = ?, updated_at = ? WHERE id = ? AND firm_id = ? AND invoice_id IS "
                "NULL AND approved_at IS NOT NULL RETURNING id",
                table),
            {invoice_id, ctx.now, entry_id, ctx.principal.firm_id})) {
        throw storage::DbError(storage::DbError::Kind::unique_violation, "entry taken by another invoice");
    }
}

}  // namespace

Response create_hourly_invoice(Ctx& ctx) {
    Response err;
    auto body = parse_object(ctx, err);
    if (!body) return err;
    if (auto errors = validation::validate_hourly_invoice(*body); !errors.empty()) return validation_failed(errors);
    Errors errors;
    const auto start = time::parse_iso_date((*body)["period_start"].get<std::string>()).value();
    const auto end = time::parse_iso_date((*body)["period_end"].get<std::string>()).value();
    const std::optional<std::string> notes =
        body->contains("notes") && (*body)["notes"].is_string() ? std::optional((*body)["notes"].get<std::string>())
                                                                : std::nullopt;
    auto eng = ctx.tx().query_one("SELECT * FROM engagements WHERE id = ? AND firm_id = ?",
                                  {ctx.param("id"), ctx.principal.firm_id});
    if (!eng) return not_found();

    const FirmBilling firm = firm_billing(ctx);
    const std::string tax_rate = str_or(*body, "tax_rate", "0");
    const storage::Params select{ctx.principal.firm_id, eng->str("id"), time::format_iso_date(start),
                                 time::format_iso_date(end)};
    auto times = ctx.tx().query(fmt::format("SELECT * FROM time_entries{}", kSelectBillable), select);
    auto expenses = ctx.tx().query(fmt::format("SELECT * FROM expenses{}", kSelectBillable), select);
    if (times.empty() && expenses.empty()) {
        return validation_failed(
            {{"NOTHING_TO_BILL", "", "no approved, unbilled, billable time or expenses in that period"}});
    }
    json lines = json::array();
    for (const auto& t : times) lines.push_back(time_line(t, eng->str("currency"), tax_rate));
    for (std::size_t i = 0; i < expenses.size(); ++i) {
        const auto& x = expenses[i];
        auto billed = billing::expense_billed_amount(x.i64("amount"), x.i64("markup"),
                                                     *money::rounding_from_string(firm.rounding));
        if (!billed) {
            Error e = billed.error();
            e.field = "lines[" + std::to_string(lines.size()) + "].amount";
            return validation_failed({e});
        }
        lines.push_back(expense_line(x, firm.rounding, tax_rate));
    }
    const json calc{{"currency", eng->str("currency")},
                    {"rounding", firm.rounding},
                    {"tax_mode", firm.tax_mode},
                    {"lines", lines}};
    auto totals = core_totals(calc, errors);
    if (!totals) return validation_failed(errors);

    DraftHeader h{
        eng->str("client_id"), eng->str("id"), std::nullopt, notes,
        eng->str("currency"),  firm.tax_mode,  firm.rounding};
    const std::string id = insert_draft(ctx, h, lines, *totals);
    for (const auto& t : times) take(ctx, "time_entries", t.str("id"), id);
    for (const auto& x : expenses) take(ctx, "expenses", x.str("id"), id);
    auto row = find_invoice(ctx, id);
    audit_invoice(ctx, "invoice.create", *row,
                  {{"after", invoice_summary(*row)},
                   {"source", "hourly"},
                   {"period_start", time::format_iso_date(start)},
                   {"period_end", time::format_iso_date(end)},
                   {"time_entries", times.size()},
                   {"expenses", expenses.size()}});
    return json_response(201, invoice_view(ctx, *row, true));
}

}  // namespace cp::api
