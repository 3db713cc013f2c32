#include "server/api/client_payments.hpp"

#include <fmt/format.h>

#include <map>

#include "server/api/card_charge.hpp"
#include "server/api/invoice_records.hpp"
#include "server/api/serializers.hpp"
#include "shared/money/currency.hpp"
#include "shared/money/money.hpp"
#include "shared/validation/payment_validation.hpp"

namespace cp::api {

json client_payment_json(const storage::Row& p) {
    const std::string cur = p.str("currency");
    return {{"object", "payment"},
            {"id", p.str("id")},
            {"invoice_id", p.str("invoice_id")},
            {"amount", money_text(p.i64("amount"), cur)},
            {"currency", cur},
            {"method", p.str("method")},
            {"status", p.str("status")},
            {"amount_refunded", money_text(p.i64("amount_refunded"), cur)},
            {"failure_message", p.is_null("failure_message") ? json(nullptr) : json(p.str("failure_message"))},
            {"created_at", iso(p.i64("created_at"))}};
}

Response pay_as_client(Ctx& ctx, const storage::Row& inv, const std::string& source, const std::string& payer,
                       const server::audit::Event& actor) {
    Response err;
    auto body = parse_object(ctx, err);
    if (!body) return err;
    if (auto refused = not_payable(ctx, inv)) return *refused;
    const std::string currency = inv.str("currency");
    const auto* cur = money::find_currency(currency);
    const int32_t digits = cur ? cur->minor_digits : 2;
    if (auto errors = validation::validate_client_payment(*body, digits, inv.i64("balance_due")); !errors.empty())
        return validation_failed(errors);
    CardCharge charge;
    charge.amount = body->contains("amount")
                        ? money::parse_money((*body)["amount"].get<std::string>(), *cur)->minor
                        : inv.i64("balance_due");
    charge.payment_method = (*body)["payment_method"];
    charge.source = source;
    charge.created_by = payer;
    const auto done = charge_card(ctx, inv, charge, actor);
    auto p = ctx.tx().query_one("SELECT * FROM payments WHERE id = ?", {done.payment_id});
    auto after = ctx.tx().query_one(fmt::format("{} WHERE id = ?", kInvoicesWithZone), {inv.str("id")});
    return json_response(done.status == "pending" ? 202 : 201,
                         {{"payment", client_payment_json(*p)}, {"invoice", invoice_view(ctx, *after, false)}});
}

json client_summary(Ctx& ctx, const std::string& firm_id, const std::string& client_id) {
    struct Totals {
        std::int64_t outstanding = 0, overdue = 0;
        int open = 0, overdue_count = 0;
    };
    std::map<std::string, Totals> by_currency;
    json next = nullptr;
    std::string next_key;  // overdue first, then the earliest due date
    for (const auto& r : ctx.tx().query(
             fmt::format("{} WHERE firm_id = ? AND client_id = ? AND document_type = 'invoice' AND status NOT IN "
                         "('draft', 'void') AND balance_due > 0",
                         kInvoicesWithZone),
             {firm_id, client_id})) {
        const json view = invoice_view(ctx, r, false);
        const std::string status = view["status"];
        if (status == "refunded" || status == "charged_back" || status == "disputed") continue;
        auto& t = by_currency[r.str("currency")];
        t.outstanding += r.i64("balance_due");
        ++t.open;
        const bool overdue = status == "overdue";
        if (overdue) {
            t.overdue += r.i64("balance_due");
            ++t.overdue_count;
        }
        const std::string key = (overdue ? "0" : "1") + r.str("due_date") + r.str("id");
        if (next.is_null() || key < next_key) {
            next_key = key;
            next = {{"invoice_id", r.str("id")},
                    {"number", view["number"]},
                    {"due_date", view["due_date"]},
                    {"balance_due", view["balance_due"]},
                    {"currency", r.str("currency")},
                    {"status", status}};
        }
    }
    json currencies = json::object();
    for (const auto& [cur, t] : by_currency) {
        currencies[cur] = {{"outstanding", money_text(t.outstanding, cur)},
                           {"overdue", money_text(t.overdue, cur)},
                           {"open_invoices", t.open},
                           {"overdue_invoices", t.overdue_count}};
    }
    return {{"by_currency", currencies}, {"next_due", next}};
}

}  // namespace cp::api
