#include "server/api/card_charge.hpp"

#include <fmt/format.h>

#include "server/api/invoice_records.hpp"
#include "server/api/serializers.hpp"
#include "server/payments/payment_service.hpp"
#include "server/util/crypto.hpp"

namespace cp::api {

namespace pay = server::payments;

// Only an issued invoice (not void, not a credit note) with something due takes payments.
std::optional<Response> not_payable(Ctx& ctx, const storage::Row& inv) {
    const std::string status = invoice_view(ctx, inv, false)["status"];
    if (inv.str("document_type") != "invoice" || status == "draft" || status == "void" ||
        status == "refunded" || status == "charged_back" || status == "disputed") {
        return error_response(409, "NOT_PAYABLE", "invoice in status '" + status + "' does not take payments",
                              "status");
    }
    if (inv.i64("balance_due") <= 0)
        return error_response(409, "NOT_PAYABLE", "nothing is due on this invoice", "amount");
    return std::nullopt;
}

CardChargeResult charge_card(Ctx& ctx, const storage::Row& inv, const CardCharge& c, const server::audit::Event& actor) {
    const std::string id = server::new_id("pay");
    const std::string currency = inv.str("currency");
    auto client = ctx.tx().query_one("SELECT processor_customer_ref FROM clients WHERE id = ?", {inv.str("client_id")});
    std::string key = "cp_pay_" + id;
    if (auto http_key = ctx.req.header("idempotency-key"); http_key && !http_key->empty()) {
        key = "cp_req_" + server::sha256_hex(fmt::format("{}\n{}\n{}\n{}", inv.str("firm_id"), c.created_by,
                                                         inv.str("id"), *http_key))
                              .substr(0, 40);
    }
    ctx.tx().exec(
        "INSERT INTO payments (id, firm_id, invoice_id, client_id, amount, currency, method, source, status, "
        "payment_method_ref, reference, processor, processor_key, created_by, claimed_until, created_at, "
        "updated_at) VALUES (?, ?, ?, ?, ?, ?, 'card', ?, 'pending', ?, ?, ?, ?, ?, ?, ?, ?)",
        {id, inv.str("firm_id"), inv.str("id"), inv.str("client_id"), c.amount, currency, c.source, c.payment_method,
         storage::nullable(c.reference), ctx.app.processor().name(), key, c.created_by, ctx.now + pay::kClaimSeconds,
         ctx.now, ctx.now});
    {
        auto e = actor;
        e.firm_id = inv.str("firm_id");
        e.category = "BILLING";
        e.action = "payment.create";
        e.severity = "INFO";
        e.target_type = "payment";
        e.target_id = id;
        e.target_label = inv.is_null("number") ? "" : inv.str("number");
        e.metadata = {{"invoice_id", inv.str("id")},
                      {"method", "card"},
                      {"source", c.source},
                      {"amount", money_text(c.amount, currency)},
                      {"idempotency_key", key}};
        server::audit::append(ctx.tx(), e, ctx.now);
    }
    // The pending row is durable before the processor hears of the payment.
    ctx.commit();
    pay::ChargeRequest req;
    req.idempotency_key = key;
    req.firm_id = inv.str("firm_id");
    req.invoice_id = inv.str("id");
    req.payment_id = id;
    req.customer = client ? client->str("processor_customer_ref") : "";
    req.payment_method = c.payment_method;
    req.currency = currency;
    req.amount = c.amount;
    pay::ChargeResult result;
    try {
        result = ctx.app.processor().charge(req);
    } catch (const std::exception& e) {
        result.outcome = pay::Outcome::unknown;
        result.failure_message = e.what();
    }
    auto settle_actor = actor;
    settle_actor.firm_id = inv.str("firm_id");
    settle_actor.category = "BILLING";
    return {id, pay::settle_charge_status(ctx.tx(), ctx.app.zones(), id, result, ctx.now, settle_actor)};
}

}  // namespace cp::api
