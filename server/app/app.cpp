#include <chrono>
#include <iostream>
#include <set>
#include <regex>

#include "server/api/common.hpp"
#include "server/api/handlers.hpp"
#include "server/app/break_glass_banner.hpp"
#include "server/app/context.hpp"
#include "server/app/idempotency.hpp"
#include "server/audit/audit_log.hpp"
#include "server/auth/sessions.hpp"
#include "server/payments/processor.hpp"
#include "server/storage/coordination.hpp"
#include "server/util/crypto.hpp"
#include "shared/state/firm_status.hpp"
#include "shared/validation/json_reader.hpp"

namespace cp::server {

storage::Transaction& Ctx::tx() {
    if (!tx_) tx_ = std::make_unique<storage::Transaction>(app.db(), tx_mode, deadline);
    return *tx_;
}

void Ctx::commit() {
    if (tx_) tx_->commit();
    tx_.reset();
}

App::App(std::unique_ptr<storage::Database> db, std::shared_ptr<const Clock> clock, AppConfig config)
    : db_(std::move(db)),
      clock_(std::move(clock)),
      config_(config),
      throttle_(config.throttle),
      password_workers_(config.password_workers, config.password_queue) {
    for (const auto& r : route_table()) router_.add(r.method, r.pattern);
    // PostgreSQL: the throttle's counts are shared with every process on the database.
    if (auto* shared = storage::coordinator(*db_)) throttle_.share_through(shared);
    db_->observe_timing([this](const storage::TxTiming& t) {
        metrics_.transaction(t.mode == storage::TxMode::read ? "read" : "write", t.wait_seconds, t.held_seconds);
    });
    if (!config_.processor) config_.processor = std::make_shared<payments::SandboxProcessor>();
}

namespace {

std::string request_id_for(const http::Request& req) {
    // Accept a caller's id when it is short and plain (it ends up in logs), else mint one.
    static const std::regex safe("[A-Za-z0-9._-]{1,64}");
    auto given = req.header("x-request-id");
    if (given && std::regex_match(*given, safe)) return *given;
    return new_id("req");
}

bool firm_usable(const std::string& status) {
    auto s = state::firm_status_from_string(status);
    return s && state::firm_is_usable(*s);
}

// An offboarding firm is read-only: reads, and the few routes that serve leaving (exports,
// cancelling the offboarding), are all its members may do.
bool allowed_while_offboarding(const RouteDef& route) {
    const std::string method = route.method;
    if (method == "GET" || method == "HEAD") return true;
    const std::string pattern = route.pattern;
    return pattern == "/api/v1/firm/exports" || pattern == "/api/v1/firm/offboarding/cancel" ||
           pattern == "/api/v1/auth/logout";
}

// Access rules in one place, before any handler runs. Order matters: who you are (401),
// then which surface you may use (portal/operator), then the firm gate, then capability.
std::optional<http::Response> check_access(const RouteDef& route, const Principal& p) {
    using api::error_response;
    using api::forbidden;
    switch (route.access) {
        case Access::public_:
        case Access::authenticated:
            return std::nullopt;
        case Access::portal:
            if (p.kind != PrincipalKind::portal_user)
                return forbidden("PORTAL_ONLY", "Only client portal users may use this.");
            if (!firm_usable(p.firm_status)) {
                return forbidden("FIRM_CONTEXT_REQUIRED", "The firm is not active.");
            }
            if (!p.portal_enabled)
                return forbidden("PORTAL_ACCESS_DENIED", "The portal is not enabled for this client.");
            return std::nullopt;
        case Access::operator_:
            if (p.kind == PrincipalKind::portal_user) {
                return forbidden("PORTAL_ACCESS_DENIED", "Portal users may only use the portal.");
            }
            if (p.kind != PrincipalKind::operator_)
                return forbidden("OPERATOR_ONLY", "Only platform operators may use this.");
            return std::nullopt;
        case Access::firm:
            if (p.kind == PrincipalKind::portal_user) {
                return forbidden("PORTAL_ACCESS_DENIED", "Portal users may only use the portal.");
            }
            if (p.in_firm() && p.firm_status == "offboarding") {
                if (!allowed_while_offboarding(route)) {
                    return error_response(409, "FIRM_READ_ONLY",
                                          "The firm is being offboarded: its data is read-only.");
                }
            } else if (!p.in_firm() || !firm_usable(p.firm_status)) {
                return forbidden("FIRM_CONTEXT_REQUIRED", "A member of an active firm is required.");
            }
            if (route.capability && !p.can(*route.capability)) {
                return forbidden("FORBIDDEN", "Your role does not allow this.");
            }
            return std::nullopt;
    }
    return std::nullopt;
}

http::Response unauthenticated(AuthFailure f) {
    if (f == AuthFailure::break_glass_closed) {
        return api::error_response(401, "BREAK_GLASS_CLOSED", "The break-glass session has ended.");
    }
    return api::error_response(401, "UNAUTHENTICATED", "A valid bearer token is required.");
}

void audit_break_glass_request(Ctx& ctx, int status) {
    const auto& p = ctx.principal;
    audit::Event e;
    e.firm_id = p.firm_id;
    e.category = "BREAK_GLASS";
    e.action = "break_glass.request";
    e.severity = "CRITICAL";
    e.actor_type = "operator";
    e.actor_id = p.operator_id;
    e.actor_email = p.operator_email;
    e.actor_role = p.role;
    e.break_glass_id = p.break_glass_id;
    e.target_type = "break_glass_session";
    e.target_id = p.break_glass_id;
    e.outcome = status < 400 ? "success" : "failure";
    e.metadata = {{"method", ctx.req.method},
                  {"path", ctx.req.path},
                  {"status", status},
                  {"request_id", ctx.request_id}};
    if (!p.membership_id.empty()) e.metadata["impersonated_membership_id"] = p.membership_id;
    audit::append(ctx.tx(), e, ctx.now);
}

http::Response run(Ctx& ctx) {
    const auto& route = ctx.route;
    if (route.access != Access::public_) {
        auto resolved = resolve_principal(ctx.tx(), ctx.req.header("authorization"), ctx.now);
        if (resolved.break_glass_just_expired) {
            audit::Event e;
            e.category = "BREAK_GLASS";
            e.action = "break_glass.expire";
            e.severity = "CRITICAL";
            auto s = ctx.tx().query_one(
                "SELECT bg.id, bg.firm_id, bg.operator_id FROM sessions s "
                "JOIN break_glass_sessions bg ON bg.id = s.break_glass_id WHERE s.token_hash = ?",
                {sha256_hex(bearer_token(ctx.req.header("authorization")).value_or(""))});
            if (s) {
                e.firm_id = s->str("firm_id");
                e.target_type = "break_glass_session";
                e.target_id = e.break_glass_id = s->str("id");
                e.actor_id = s->str("operator_id");
                e.actor_type = "system";
                audit::append(ctx.tx(), e, ctx.now);
            }
        }
        if (!resolved.principal) return unauthenticated(resolved.failure);
        ctx.principal = std::move(*resolved.principal);
        if (auto denied = check_access(route, ctx.principal)) return *denied;
    }

    // Responses that carry a new bearer token are never stored for replay: tokens exist in
    // clear only in the one response that mints them.
    const bool mints_token = route.handler == api::login || route.handler == api::open_break_glass;
    if (std::string(route.method) == "POST" && ctx.req.header("idempotency-key") && !mints_token) {
        return with_idempotency(ctx, [&] { return route.handler(ctx); });
    }
    return route.handler(ctx);
}

http::Response internal_error(const std::string& request_id) {
    return api::error_response(500, "INTERNAL", "Internal error; quote request id " + request_id + ".");
}

bool target_is_utf8(const http::Request& req) {
    if (!validation::is_valid_utf8(req.path)) return false;
    for (const auto& [k, v] : req.query) {
        if (!validation::is_valid_utf8(k) || !validation::is_valid_utf8(v)) return false;
    }
    return true;
}

// The path with every byte past ASCII percent-encoded again ("/%FF"): safe in any JSON.
std::string ascii_path(const std::string& path) {
    static constexpr char kHex[] = "0123456789ABCDEF";
    std::string out;
    for (unsigned char c : path) {
        if (c < 0x80) {
            out.push_back(static_cast<char>(c));
        } else {
            out += '%';
            out += kHex[c >> 4];
            out += kHex[c & 15];
        }
    }
    return out;
}

// The stand-in route of a request that matched none: public, no ids.
const RouteDef kUnrouted{"", "", Access::public_, std::nullopt, TenantScope::none, "", "", nullptr};

}  // namespace

void App::audit_unrouted_break_glass(const http::Request& req, const std::string& request_id,
                                     std::int64_t now, http::Response& response) {
    // Most such requests carry an ordinary token: a read finds that out without the
    // writer's turn; a break-glass token's audit then runs again as a write.
    for (auto mode : {storage::TxMode::read, storage::TxMode::write}) {
        try {
            Ctx ctx{*this, req, kUnrouted, request_id, {}, now, nullptr};
            ctx.tx_mode = mode;
            ctx.deadline = std::chrono::steady_clock::now() + config_.request_deadline;
            auto resolved = resolve_principal(ctx.tx(), req.header("authorization"), now);
            if (!resolved.principal || resolved.principal->kind != PrincipalKind::break_glass) return;
            ctx.principal = std::move(*resolved.principal);
            audit_break_glass_request(ctx, response.status);
            add_break_glass_banner(ctx, response);
            ctx.commit();
            return;
        } catch (const storage::NeedsWriteTransaction&) {
            continue;
        } catch (const std::exception& e) {
            std::cerr << "request " << request_id << ": break-glass audit failed: " << e.what() << "\n";
            response = internal_error(request_id);
            return;
        }
    }
}

void App::record_metrics(const std::string& route, const std::string& method, const http::Response& response,
                         std::chrono::steady_clock::time_point started) {
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    // Methods are a closed set in the labels: anything else would be a label per junk verb.
    static const std::set<std::string> known = {"GET", "HEAD", "POST", "PATCH", "PUT", "DELETE", "OPTIONS"};
    metrics_.request(route, known.count(method) ? method : "OTHER", response.status, seconds);
    if (response.status == 429) metrics_.throttled();
    for (const auto& [name, value] : response.headers) {
        if (name == "Idempotent-Replayed") metrics_.idempotent_replay();
    }
}

http::Response App::handle_routed(const http::Request& req, const RouteDef& route, const std::string& request_id,
                                  std::int64_t now, storage::TxMode mode, bool& principal_settled,
                                  std::optional<ThrowSite>& failure) {
    Ctx ctx{*this, req, route, request_id, {}, now, nullptr};
    ctx.tx_mode = mode;
    const auto arrived = req.received == std::chrono::steady_clock::time_point{} ? std::chrono::steady_clock::now()
                                                                                 : req.received;
    ctx.deadline = arrived + config_.request_deadline;
    http::Response response;
    try {
        response = run(ctx);
        if (ctx.principal.kind == PrincipalKind::break_glass) audit_break_glass_request(ctx, response.status);
        if (ctx.principal.in_firm() || ctx.principal.kind == PrincipalKind::portal_user) {
            add_break_glass_banner(ctx, response);
        }
        ctx.commit();
        principal_settled = ctx.route.access != Access::public_;
    } catch (const storage::NeedsWriteTransaction&) {
        ctx.tx_.reset();  // rolls back; the caller runs the request again as a writer
        throw;
    } catch (const storage::DbError& e) {
        failure = last_throw_site();  // before the rollback can throw (and catch) again
        ctx.tx_.reset();  // rolls back
        if (e.kind() == storage::DbError::Kind::unique_violation) {
            response = api::error_response(409, "CONFLICT", "That conflicts with an existing object.");
            // A concurrent request with the same Idempotency-Key may have won the race.
            try {
                if (auto replay = replay_after_conflict(ctx)) response = std::move(*replay);
            } catch (const std::exception& again) {
                std::cerr << "request " << request_id << ": " << again.what() << "\n";
            }
        } else if (e.kind() == storage::DbError::Kind::busy) {
            // No connection or writer's turn before the deadline, or a lost serialization
            // check: nothing was committed, and the same request later may well succeed.
            response = api::error_response(503, "SERVICE_BUSY", "The server is busy; retry shortly.");
            api::add_header(response, "Retry-After", "1");
        } else {
            std::cerr << "request " << request_id << ": " << e.what() << "\n";
            response = internal_error(request_id);
        }
    } catch (const std::exception& e) {
        failure = last_throw_site();
        ctx.tx_.reset();
        std::cerr << "request " << request_id << ": " << e.what() << "\n";
        response = internal_error(request_id);
    }
    return response;
}

void App::capture_error(const http::Request& req, const std::string& route, const std::string& request_id,
                        std::int64_t now, int status, const std::optional<ThrowSite>& site) {
    CapturedError e;
    e.id = new_id("err");
    e.at = now;
    e.request_id = request_id;
    e.route = route;  // the template, never the path: paths carry ids
    e.method = req.method;
    e.status = status;
    e.type = site && !site->type.empty() ? site->type : "http_500";
    if (site) e.raw_frames = site->frames;
    errors_.capture(std::move(e));
    metrics_.error_captured();
}

http::Response App::handle(const http::Request& incoming) {
    http::Request req = incoming;
    std::string request_id = request_id_for(req);
    const auto started = std::chrono::steady_clock::now();
    http::Router::Miss miss{};
    // A path or query that is not UTF-8 could never name anything, and would make every
    // JSON that quotes it (audit, logs) invalid: refuse it, and keep an ASCII form of the
    // path for the break-glass audit below.
    const bool target_is_text = target_is_utf8(req);
    if (!target_is_text) req.path = ascii_path(req.path);
    auto match = target_is_text ? router_.match(req.method, req.path, &miss) : std::nullopt;
    http::Response response;
    const std::int64_t now = clock_->now();
    // Set when the normal path settled who the caller is (and audited a break-glass request).
    bool principal_settled = false;
    std::optional<ThrowSite> failure;  // the throw site behind a 500, when an exception was
    if (!target_is_text) {
        response = api::error_response(400, "MALFORMED_REQUEST", "The request path and query must be UTF-8.");
    } else if (!match) {
        response = miss == http::Router::Miss::method_not_allowed
                       ? api::error_response(405, "METHOD_NOT_ALLOWED", "This method is not allowed here.")
                       : api::not_found();
    } else {
        req.path_params = std::move(match->params);
        const auto& route = route_table()[match->index];
        const bool reads = req.method == "GET" || req.method == "HEAD";
        try {
            response = handle_routed(req, route, request_id, now,
                                     reads ? storage::TxMode::read : storage::TxMode::write, principal_settled,
                                     failure);
        } catch (const storage::NeedsWriteTransaction&) {
            // A GET that writes (a break-glass audit, an expiring session): nothing was
            // committed, so the whole request runs again holding the writer's turn.
            response = handle_routed(req, route, request_id, now, storage::TxMode::write, principal_settled,
                                     failure);
        }
    }
    // Every request made with a break-glass token is audited, also those the normal path
    // did not: no route, a public route, or a handler that failed and rolled back.
    if (!principal_settled && req.header("authorization")) {
        audit_unrouted_break_glass(req, request_id, now, response);
    }
    api::add_header(response, "X-Request-Id", request_id);
    api::add_header(response, "Cache-Control", "no-store");
    const std::string route = match ? route_table()[match->index].pattern : "unmatched";
    if (response.status == 500) capture_error(req, route, request_id, now, response.status, failure);
    record_metrics(route, req.method, response, started);
    return response;
}

}  // namespace cp::server
