// Processor webhooks (Billing IV). The signature is checked on the raw body before anything
// parses it; rejections say only their code. What an event does is
// server/payments/stripe_events.hpp.
#include "server/api/handlers.hpp"
#include "server/payments/stripe_events.hpp"
#include "server/payments/stripe_signature.hpp"
#include "shared/protocol/json_input.hpp"

namespace cp::api {

namespace {
// Stripe's events are a few KiB; nothing honest comes near this.
constexpr std::size_t kWebhookBodyLimit = 256 * 1024;
}  // namespace

Response stripe_webhook(Ctx& ctx) {
    const std::string& secret = ctx.app.config().stripe_webhook_secret;
    if (secret.empty())
        return error_response(503, "WEBHOOKS_NOT_CONFIGURED", "Webhooks are not configured on this server.");
    if (ctx.req.body.size() > kWebhookBodyLimit)
        return error_response(413, "PAYLOAD_TOO_LARGE", "The request body exceeds the limit.");
    const auto header = ctx.req.header("stripe-signature");
    if (!header || server::payments::verify_stripe_signature(*header, ctx.req.body, secret, ctx.now) !=
                       server::payments::SignatureCheck::valid) {
        return error_response(400, "INVALID_SIGNATURE", "The signature is not valid.");
    }
    auto event = protocol::parse_json_input(ctx.req.body);
    if (!event || !server::payments::is_event(*event))
        return error_response(400, "INVALID_JSON", "The body is not a JSON event.");
    auto receipt = server::payments::receive_stripe_event(ctx.tx(), ctx.app.zones(), *event, ctx.req.body, ctx.now);
    ctx.app.metrics().webhook(receipt.status);
    return json_response(200, {{"received", true}, {"id", (*event)["id"]}, {"status", receipt.status}});
}

Response operator_list_webhook_events(Ctx& ctx) {
    Response err;
    auto page = parse_page(ctx, err);
    if (!page) return err;
    std::string sql = "SELECT * FROM webhook_events WHERE id > ?";
    storage::Params params{page->cursor};
    if (!check_filter_choice(ctx, "status", {"applied", "ignored", "invalid", "parked", "unmatched"}, err) ||
        !add_exact_filters(ctx, {"status", "type"}, sql, params, err)) {
        return err;
    }
    sql += " ORDER BY id LIMIT ?";
    params.push_back(page->limit + 1);
    json items = json::array();
    for (const auto& r : ctx.tx().query(sql, params)) items.push_back(server::payments::webhook_event_json(r));
    return json_response(200, list_body(items, *page));
}

}  // namespace cp::api
