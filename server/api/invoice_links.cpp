// Signed invoice links (Billing V): a random token (256 bits, shown once, stored as its
// SHA-256) opens one issued invoice read-only, with its PDF and a pay button, without an
// account. Expired: 410 LINK_EXPIRED; revoked or unknown: the one 404. Lookups are
// throttled per address like password attempts (a wrong token counts as a failure), and
// every view is audited without content.
#include <fmt/format.h>

#include "server/api/card_charge.hpp"
#include "server/api/client_payments.hpp"
#include "server/api/handlers.hpp"
#include "server/api/link_tokens.hpp"
#include "server/api/invoice_documents.hpp"
#include "server/api/invoice_records.hpp"
#include "server/api/serializers.hpp"
#include "server/util/crypto.hpp"
#include "shared/validation/invoice_link_validation.hpp"

namespace cp::api {

namespace {

json link_json(const storage::Row& l) { return link_row_json(l, "invoice_link", "invoice_id"); }

server::audit::Event link_actor(const std::string& link_id) {
    server::audit::Event e;
    e.actor_type = "anonymous";
    e.actor_id = "link:" + link_id;
    return e;
}

struct Opened {
    std::optional<storage::Row> link, invoice;
    Response refusal;
};

// The link named by the path's token and its invoice, or the answer to give instead.
Opened open_link(Ctx& ctx, const char* what) {
    Opened o;
    const std::string address = ctx.req.remote_address;
    const std::string account = "link:" + address;
    if (auto wait = ctx.app.throttle().begin_attempt(account, address, ctx.now)) {
        ctx.app.metrics().throttled();
        o.refusal = too_many_attempts(*wait);
        return o;
    }
    const std::string token = ctx.param("token");
    if (is_link_token(token)) {
        o.link = ctx.tx().query_one("SELECT * FROM invoice_links WHERE token_hash = ?", {server::sha256_hex(token)});
    }
    // A revoked link, or one of a firm that is not active (suspended, offboarding), opens nothing.
    if (o.link && !ctx.tx().query_one("SELECT id FROM firms WHERE id = ? AND status IN ('trial', 'active')",
                                      {o.link->str("firm_id")}))
        o.link.reset();
    if (!o.link || !o.link->is_null("revoked_at")) {
        o.link.reset();
        o.refusal = not_found();
        return o;
    }
    ctx.app.throttle().attempt_succeeded(account, address, ctx.now);
    if (o.link->i64("expires_at") <= ctx.now) {
        o.link.reset();
        o.refusal = error_response(410, "LINK_EXPIRED", "This invoice link has expired; ask the sender for a new one.");
        return o;
    }
    o.invoice = ctx.tx().query_one(fmt::format("{} WHERE id = ? AND firm_id = ?", kInvoicesWithZone),
                                   {o.link->str("invoice_id"), o.link->str("firm_id")});
    ctx.tx().exec("UPDATE invoice_links SET views = views + 1, last_viewed_at = ? WHERE id = ?",
                  {ctx.now, o.link->str("id")});
    auto e = link_actor(o.link->str("id"));
    e.firm_id = o.link->str("firm_id");
    e.category = "DATA_ACCESS";
    e.action = "invoice_link.view";
    e.target_type = "invoice";
    e.target_id = o.invoice->str("id");
    e.target_label = o.invoice->str("number");
    e.metadata = {{"link_id", o.link->str("id")}, {"what", what}};
    server::audit::append(ctx.tx(), e, ctx.now);
    return o;
}

}  // namespace

Response create_invoice_link(Ctx& ctx) {
    Response err;
    json body = json::object();
    if (!ctx.req.body.empty()) {
        auto parsed = parse_object(ctx, err);
        if (!parsed) return err;
        body = *parsed;
    }
    if (auto errors = validation::validate_invoice_link(body); !errors.empty()) return validation_failed(errors);
    auto inv = find_invoice(ctx, ctx.param("id"));
    if (!inv) return not_found();
    if (inv->str("status") == "draft")
        return error_response(409, "NOT_ISSUED", "A draft cannot be shared: issue it first.", "status");
    const std::int64_t days = body.value("expires_in_days", validation::kInvoiceLinkDefaultDays);
    const std::string id = server::new_id("lnk");
    const std::string token = server::random_token();
    ctx.tx().exec(
        "INSERT INTO invoice_links (id, firm_id, invoice_id, token_hash, expires_at, created_by, created_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?)",
        {id, ctx.principal.firm_id, inv->str("id"), server::sha256_hex(token), ctx.now + days * 86400,
         ctx.principal.membership_id, ctx.now});
    auto row = ctx.tx().query_one("SELECT * FROM invoice_links WHERE id = ?", {id});
    audit_invoice(ctx, "invoice_link.create", *inv, {{"link_id", id}, {"expires_in_days", days}});
    json out = link_json(*row);
    // The token exists in clear only in this answer.
    out["url"] = "/i/" + token;
    return json_response(201, out);
}

Response list_invoice_links(Ctx& ctx) {
    auto inv = find_invoice(ctx, ctx.param("id"));
    if (!inv) return not_found();
    // An invoice has a handful of links: one page, newest last, at most 200.
    json items = json::array();
    for (const auto& r : ctx.tx().query(
             "SELECT * FROM invoice_links WHERE firm_id = ? AND invoice_id = ? ORDER BY id LIMIT 200",
             {ctx.principal.firm_id, inv->str("id")})) {
        items.push_back(link_json(r));
    }
    return json_response(200, {{"object", "list"}, {"data", items}, {"has_more", false}, {"next_cursor", nullptr}});
}

Response revoke_invoice_link(Ctx& ctx) {
    auto link = ctx.tx().query_one("SELECT * FROM invoice_links WHERE id = ? AND firm_id = ?",
                                   {ctx.param("id"), ctx.principal.firm_id});
    if (!link) return not_found();
    if (!link->is_null("revoked_at"))
        return error_response(409, "ALREADY_REVOKED", "This link is already revoked.", "id");
    ctx.tx().exec("UPDATE invoice_links SET revoked_at = ?, revoked_by = ? WHERE id = ?",
                  {ctx.now, ctx.principal.membership_id, link->str("id")});
    auto inv = find_invoice(ctx, link->str("invoice_id"));
    audit_invoice(ctx, "invoice_link.revoke", *inv, {{"link_id", link->str("id")}}, "WARNING");
    return json_response(200, link_json(*ctx.tx().query_one("SELECT * FROM invoice_links WHERE id = ?",
                                                             {link->str("id")})));
}

Response public_get_invoice(Ctx& ctx) {
    auto o = open_link(ctx, "invoice");
    if (!o.link) return o.refusal;
    auto firm = ctx.tx().query_one("SELECT name FROM firms WHERE id = ?", {o.link->str("firm_id")});
    auto client = ctx.tx().query_one("SELECT name FROM clients WHERE id = ?", {o.invoice->str("client_id")});
    json view = invoice_view(ctx, *o.invoice, true);  // no principal: the client-side view
    const bool payable = !not_payable(ctx, *o.invoice).has_value();
    return json_response(200, {{"object", "public_invoice"},
                               {"invoice", view},
                               {"firm", {{"name", firm->str("name")}}},
                               {"client", {{"name", client->str("name")}}},
                               {"payable", payable},
                               {"expires_at", iso(o.link->i64("expires_at"))}});
}

Response public_get_invoice_pdf(Ctx& ctx) {
    auto o = open_link(ctx, "pdf");
    if (!o.link) return o.refusal;
    return invoice_pdf_response(ctx, *o.invoice);
}

Response public_pay_invoice(Ctx& ctx) {
    auto o = open_link(ctx, "pay");
    if (!o.link) return o.refusal;
    return pay_as_client(ctx, *o.invoice, "link", "link:" + o.link->str("id"), link_actor(o.link->str("id")));
}

Response public_list_payments(Ctx& ctx) {
    auto o = open_link(ctx, "payments");
    if (!o.link) return o.refusal;
    json items = json::array();
    for (const auto& r : ctx.tx().query("SELECT * FROM payments WHERE firm_id = ? AND invoice_id = ? ORDER BY id LIMIT 200",
                                        {o.link->str("firm_id"), o.invoice->str("id")})) {
        items.push_back(client_payment_json(r));
    }
    return json_response(200, {{"object", "list"}, {"data", items}, {"has_more", false}, {"next_cursor", nullptr}});
}

}  // namespace cp::api
