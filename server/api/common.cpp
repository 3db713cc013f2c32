#include "server/api/common.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>

#include <fmt/format.h>

#include "server/auth/passwords.hpp"
#include "server/util/clock.hpp"
#include "server/util/zoneinfo.hpp"
#include "shared/protocol/json_input.hpp"
#include "shared/time/zone_name.hpp"

namespace cp::api {

Response json_response(int status, const json& body) {
    Response r;
    r.status = status;
    r.body = body.dump();
    return r;
}

void add_header(Response& response, std::string_view name, std::string_view value) {
    response.headers.emplace_back(std::string(name), std::string(value));
}

Response error_response(int status, const Errors& errors) {
    json list = json::array();
    for (const auto& e : errors)
        list.push_back({{"code", e.code}, {"field", e.field}, {"message", e.message}});
    json body{{"error", list.empty() ? json::object() : list[0]}, {"errors", list}};
    return json_response(status, body);
}

Response error_response(int status, std::string code, std::string message, std::string field) {
    return error_response(status, Errors{{std::move(code), std::move(field), std::move(message)}});
}

Response not_found() { return error_response(404, "NOT_FOUND", "No such object."); }

Response forbidden(std::string code, std::string message) {
    return error_response(403, std::move(code), std::move(message));
}

Response validation_failed(const Errors& errors) { return error_response(422, errors); }

namespace {
// "application/json" with any parameters ("; charset=utf-8"), in any letter case.
bool is_json_media_type(const std::optional<std::string>& header) {
    if (!header) return false;
    std::string type = header->substr(0, header->find(';'));
    while (!type.empty() && (type.back() == ' ' || type.back() == '\t')) type.pop_back();
    std::transform(type.begin(), type.end(), type.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return type == "application/json";
}
}  // namespace

std::optional<json> parse_object(const Ctx& ctx, Response& error) {
    if (!is_json_media_type(ctx.req.header("content-type"))) {
        error = error_response(415, "UNSUPPORTED_MEDIA_TYPE",
                               "The request body must be sent as Content-Type: application/json.");
        return std::nullopt;
    }
    auto body = protocol::parse_json_input(ctx.req.body);
    if (!body) {
        error = error_response(400, body.error().code, "The request body " + body.error().message + ".",
                               body.error().field);
        return std::nullopt;
    }
    if (!body->is_object()) {
        error = error_response(400, "INVALID_JSON", "The request body must be a JSON object.");
        return std::nullopt;
    }
    return std::move(body).value();
}

std::optional<Page> parse_page(const Ctx& ctx, Response& error) {
    Page page;
    auto it = ctx.req.query.find("limit");
    if (it != ctx.req.query.end()) {
        const auto& text = it->second;
        std::int64_t value = 0;
        auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
        if (ec != std::errc() || ptr != text.data() + text.size() || value < 1 || value > 200) {
            error =
                error_response(400, "INVALID_PAGINATION", "limit must be an integer from 1 to 200.", "limit");
            return std::nullopt;
        }
        page.limit = value;
    }
    auto c = ctx.req.query.find("cursor");
    if (c != ctx.req.query.end()) {
        if (c->second.size() > 100) {
            error = error_response(400, "INVALID_PAGINATION", "cursor is malformed.", "cursor");
            return std::nullopt;
        }
        page.cursor = c->second;
    }
    return page;
}

bool check_filter_choice(const Ctx& ctx, const char* name, std::initializer_list<std::string_view> allowed,
                         Response& error) {
    return check_filter_choice(
        ctx, name,
        [&](const std::string& value) -> Result<bool> {
            std::string list;
            for (auto a : allowed) {
                if (value == a) return true;
                list += (list.empty() ? "" : ", ") + std::string(a);
            }
            return Error{"INVALID_ENUM", name, "must be one of: " + list};
        },
        error);
}

bool add_exact_filters(const Ctx& ctx, std::initializer_list<const char*> names, std::string& sql,
                       storage::Params& params, Response& error) {
    for (const char* name : names) {
        auto it = ctx.req.query.find(name);
        if (it == ctx.req.query.end()) continue;
        if (it->second.size() > 100) {
            error = error_response(400, "INVALID_FILTER", std::string(name) + " is at most 100 characters.",
                                   name);
            return false;
        }
        sql += std::string(" AND ") + name + " = ?";
        params.push_back(it->second);
    }
    return true;
}

bool add_search_filter(const Ctx& ctx, const char* column, std::string& sql, storage::Params& params,
                       Response& error) {
    auto q = ctx.req.query.find("q");
    if (q == ctx.req.query.end() || q->second.empty()) return true;
    if (q->second.size() > 100) {
        error = error_response(400, "INVALID_FILTER", "q is at most 100 characters.", "q");
        return false;
    }
    std::string pattern = "%";
    for (char ch : q->second) {
        if (ch == '%' || ch == '_' || ch == '\\') pattern += '\\';
        pattern += static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    }
    pattern += "%";
    // fmt rather than operator+: g++ 12 -O2 raises false -Warray-bounds on short concatenations.
    sql += fmt::format(" AND LOWER({}) LIKE ? ESCAPE '\\'", column);
    params.push_back(pattern);
    return true;
}

std::optional<Response> begin_password_attempt(Ctx& ctx, const std::string& account) {
    auto wait = ctx.app.throttle().begin_attempt(account, ctx.req.remote_address, ctx.now);
    if (!wait) return std::nullopt;
    return too_many_attempts(*wait);
}

Response too_many_attempts(std::int64_t wait_seconds) {
    // The wait is in the message too: the portal shows messages as they come.
    const std::string when = wait_seconds < 60 ? std::to_string(wait_seconds) + (wait_seconds == 1 ? " second" : " seconds")
                                               : std::to_string((wait_seconds + 59) / 60) + " minutes";
    auto r = error_response(429, "TOO_MANY_ATTEMPTS", "Too many attempts. Try again in " + when + ".");
    add_header(r, "Retry-After", std::to_string(wait_seconds));
    return r;
}

namespace {
Response passwords_busy() {
    auto r = error_response(503, "PASSWORD_CHECKS_BUSY",
                            "Too many sign-ins are being checked right now. Try again in a few seconds.");
    add_header(r, "Retry-After", "2");
    return r;
}
}  // namespace

std::optional<std::string> hash_password(Ctx& ctx, std::string_view password, Response& busy) {
    std::string hash;
    const auto& params = ctx.app.config().passwords;
    if (!ctx.app.password_workers().run([&] { hash = server::hash_password(password, params); })) {
        busy = passwords_busy();
        ctx.app.metrics().password_busy();
        return std::nullopt;
    }
    return hash;
}

std::optional<bool> verify_password(Ctx& ctx, const std::string& stored_hash, std::string_view password,
                                    Response& busy) {
    bool ok = false;
    if (!ctx.app.password_workers().run([&] { ok = server::verify_password(stored_hash, password); })) {
        busy = passwords_busy();
        ctx.app.metrics().password_busy();
        return std::nullopt;
    }
    return ok;
}

void check_time_zone_installed(const json& body, Errors& errors) {
    auto it = body.find("time_zone");
    if (it == body.end() || !it->is_string()) return;
    for (const auto& e : errors) {
        if (e.field == "time_zone") return;
    }
    const auto& name = it->get_ref<const std::string&>();
    if (time::is_iana_zone_name(name) && !server::time_zone_installed(name)) {
        errors.push_back({"UNKNOWN_TIME_ZONE", "time_zone", "is not a known IANA time zone"});
    }
}

json list_body(json items, const Page& page, const std::string& cursor_field) {
    bool has_more = static_cast<std::int64_t>(items.size()) > page.limit;
    if (has_more) items.erase(items.end() - 1);
    json next = nullptr;
    if (has_more && !items.empty()) {
        const auto& v = items.back()[cursor_field];
        next = v.is_string() ? v : json(v.dump());
    }
    return {{"object", "list"}, {"data", items}, {"has_more", has_more}, {"next_cursor", next}};
}

std::string str_or(const json& body, const char* key, std::string fallback) {
    auto it = body.find(key);
    if (it == body.end() || !it->is_string()) return fallback;
    return it->get<std::string>();
}

std::string iso(std::int64_t unix_seconds) { return server::iso_time(unix_seconds); }

json opt_string(const std::optional<std::string>& s) { return s ? json(*s) : json(nullptr); }

}  // namespace cp::api

namespace cp::api {

server::audit::Event audit_event(const Ctx& ctx, std::string category, std::string action,
                                 std::string severity) {
    using server::PrincipalKind;
    const auto& p = ctx.principal;
    server::audit::Event e;
    e.firm_id = p.firm_id.empty() ? server::audit::kPlatformChain : p.firm_id;
    e.category = std::move(category);
    e.action = std::move(action);
    e.severity = std::move(severity);
    switch (p.kind) {
        case PrincipalKind::member:
            e.actor_type = "member";
            e.actor_id = p.user_id;
            e.actor_role = p.role;
            e.actor_email = p.email;
            break;
        case PrincipalKind::portal_user:
            e.actor_type = "portal_user";
            e.actor_id = p.portal_user_id;
            e.actor_email = p.email;
            break;
        case PrincipalKind::operator_:
        case PrincipalKind::break_glass:
            e.actor_type = "operator";
            e.actor_id = p.operator_id;
            e.actor_email = p.operator_email;
            e.actor_role = p.role;
            e.break_glass_id = p.break_glass_id;
            // Under break-glass every change is CRITICAL, whatever it is.
            if (p.kind == PrincipalKind::break_glass) e.severity = "CRITICAL";
            break;
        case PrincipalKind::anonymous:
            e.actor_type = "anonymous";
            break;
    }
    e.metadata = {{"request_id", ctx.request_id}};
    return e;
}

void record(Ctx& ctx, const server::audit::Event& event) {
    server::audit::append(ctx.tx(), event, ctx.now);
    ctx.app.metrics().audit_append();
}

}  // namespace cp::api
