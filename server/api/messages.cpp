// Client emails as the firm sees them: the outbox's messages with their delivery state
// (queued, sent, failed, suppressed) and why, a resend, and the preview of the firm's
// subject templates (settings key "email", validated by the core).
#include "server/api/handlers.hpp"
#include "server/api/message_handlers.hpp"
#include "server/email/message_composer.hpp"
#include "server/email/outbox.hpp"
#include "shared/messaging/email_settings.hpp"

namespace cp::api {

namespace {

json message_view(Ctx& ctx, const storage::Row& r, bool with_text) {
    json out = server::email::message_json(r, server::email::email_configured());
    if (with_text) {
        // The body as sent, without the link's token (it exists in clear only in the email).
        std::string text = r.str("text_body");
        for (auto [mark, value] : {std::pair<std::string, std::string>{server::email::kBaseUrlMark, ""},
                                   {server::email::kLinkTokenMark, "<signed link token, not shown>"}}) {
            for (auto pos = text.find(mark); pos != std::string::npos; pos = text.find(mark, pos + value.size()))
                text.replace(pos, mark.size(), value);
        }
        out["text"] = text;
    }
    return out;
}

std::optional<storage::Row> find_message(Ctx& ctx, const std::string& id) {
    return ctx.tx().query_one("SELECT * FROM email_messages WHERE id = ? AND firm_id = ?",
                              {id, ctx.principal.firm_id});
}

}  // namespace

Response list_messages(Ctx& ctx) {
    Response err;
    auto page = parse_page(ctx, err);
    if (!page) return err;
    // A status or kind outside its set is named, not an empty page that reads as "nothing was sent".
    if (!check_filter_choice(ctx, "status", {"queued", "sent", "failed", "suppressed"}, err) ||
        !check_filter_choice(ctx, "kind",
                             {"invoice_issued", "credit_note", "payment_receipt", "autopay_failed", "final_notice",
                              "reminder"},
                             err)) {
        return err;
    }
    std::string sql = "SELECT * FROM email_messages WHERE firm_id = ? AND id > ?";
    storage::Params params{ctx.principal.firm_id, page->cursor};
    // `invoice` and `client` are accepted as short names of the two id filters.
    for (auto [name, column] : {std::pair<const char*, const char*>{"invoice_id", "invoice_id"},
                                {"invoice", "invoice_id"},
                                {"client_id", "client_id"},
                                {"client", "client_id"},
                                {"status", "status"},
                                {"kind", "kind"}}) {
        auto it = ctx.req.query.find(name);
        if (it == ctx.req.query.end()) continue;
        if (it->second.size() > 100)
            return error_response(400, "INVALID_FILTER", std::string(name) + " is at most 100 characters.", name);
        sql += std::string(" AND ") + column + " = ?";
        params.push_back(it->second);
    }
    sql += " ORDER BY id LIMIT ?";
    params.push_back(page->limit + 1);
    json items = json::array();
    for (const auto& r : ctx.tx().query(sql, params)) items.push_back(message_view(ctx, r, false));
    return json_response(200, list_body(items, *page));
}

Response get_message(Ctx& ctx) {
    auto m = find_message(ctx, ctx.param("id"));
    if (!m) return not_found();
    return json_response(200, message_view(ctx, *m, true));
}

Response resend_message(Ctx& ctx) {
    if (!ctx.req.body.empty()) {
        Response err;
        auto body = parse_object(ctx, err);
        if (!body) return err;
        if (!body->empty()) return validation_failed({{"UNKNOWN_FIELD", body->begin().key(), "is not accepted"}});
    }
    auto m = find_message(ctx, ctx.param("id"));
    if (!m) return not_found();
    auto id = server::email::compose_resend(ctx.tx(), ctx.principal.firm_id, m->str("id"), ctx.now,
                                            ctx.principal.membership_id);
    if (!id) return error_response(409, "NOT_SENDABLE", "This firm cannot send client email now.", "status");
    auto e = audit_event(ctx, "BILLING", "message.resend");
    e.target_type = "message";
    e.target_id = *id;
    e.target_label = m->str("kind");
    e.metadata = {{"resend_of", m->str("id")}, {"invoice_id", m->is_null("invoice_id") ? json(nullptr) : json(m->str("invoice_id"))}};
    record(ctx, e);
    return json_response(201, message_view(ctx, *find_message(ctx, *id), true));
}

Response preview_email_subjects(Ctx& ctx) {
    Response err;
    json body = json::object();
    if (!ctx.req.body.empty()) {
        auto parsed = parse_object(ctx, err);
        if (!parsed) return err;
        body = *parsed;
    }
    Errors errors;
    for (const auto& [key, value] : body.items()) {
        if (key != "settings") errors.push_back({"UNKNOWN_FIELD", key, "is not accepted"});
    }
    auto firm = ctx.tx().query_one("SELECT name, settings FROM firms WHERE id = ?", {ctx.principal.firm_id});
    json stored = json::parse(firm->str("settings"), nullptr, false);
    json email = stored.is_object() && stored.contains("email") ? stored["email"] : json::object();
    // The proposal goes over what is stored, as the PATCH would apply it.
    if (body.contains("settings")) {
        for (auto& e : messaging::validate_email_settings(body["settings"], "settings")) errors.push_back(e);
        if (errors.empty())
            for (const auto& [k, v] : body["settings"].items()) email[k] = v;
    }
    if (!errors.empty()) return validation_failed(errors);
    const json effective = messaging::effective_email_settings(email);
    const auto vars = messaging::sample_subject_vars(firm->str("name"));
    json subjects = json::object();
    for (const auto& kind : messaging::message_kinds())
        subjects[kind] = messaging::render_subject(effective["subjects"][kind].get<std::string>(), vars);
    return json_response(200, {{"object", "email_preview"}, {"settings", effective}, {"subjects", subjects}});
}

}  // namespace cp::api
