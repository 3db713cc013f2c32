#include "server/api/handlers.hpp"
#include "server/storage/migrations/migrations.hpp"

namespace cp::api {

// Liveness only: no storage work, so a slow or lost database never makes a load balancer
// kill a process that would recover by itself (readiness is /readyz).
Response health(Ctx& ctx) { return json_response(200, {{"status", "ok"}, {"database", ctx.app.db().backend()}}); }

// Readiness: the database answers and its schema is exactly the one this build expects.
// 503 (with the reason) while either is not true, so traffic goes elsewhere.
Response ready(Ctx& ctx) {
    if (ctx.app.draining()) {
        auto r = error_response(503, "DRAINING", "This server is shutting down; other servers take its requests.");
        add_header(r, "Retry-After", "5");
        return r;
    }
    const int expected = storage::migrations().back().version;
    try {
        auto row = ctx.tx().query_one("SELECT MAX(version) AS v, COUNT(*) AS n FROM schema_migrations");
        const std::int64_t applied = row ? row->i64("v") : 0;
        const std::int64_t count = row ? row->i64("n") : 0;
        ctx.commit();
        if (applied != expected || count != static_cast<std::int64_t>(storage::migrations().size())) {
            auto r = error_response(503, "MIGRATIONS_PENDING",
                                    "The database schema is at version " + std::to_string(applied) +
                                        " with " + std::to_string(count) + " migrations; this server needs " +
                                        std::to_string(expected) + ".");
            add_header(r, "Retry-After", "5");
            return r;
        }
        return json_response(200, {{"status", "ready"}, {"database", ctx.app.db().backend()}, {"schema_version", applied}});
    } catch (const std::exception&) {
        ctx.tx_.reset();
        auto r = error_response(503, "DATABASE_UNAVAILABLE", "The database cannot be reached.");
        add_header(r, "Retry-After", "5");
        return r;
    }
}

// The App's registry in Prometheus' text format (prometheus-cpp's serializer).
Response operator_metrics(Ctx& ctx) {
    Response r;
    r.status = 200;
    r.content_type = "text/plain; version=0.0.4; charset=utf-8";
    r.body = ctx.app.metrics().text();
    return r;
}

}  // namespace cp::api

namespace cp::api {

// The error tracker's newest captures (server/app/error_tracker.hpp), newest first. They
// hold no bodies, tokens or personal data by construction, so operators see them whole.
Response operator_errors(Ctx& ctx) {
    json items = json::array();
    for (const auto& e : ctx.app.errors().recent()) {
        items.push_back({{"id", e.id},
                         {"at", e.at},
                         {"request_id", e.request_id},
                         {"route", e.route},
                         {"method", e.method},
                         {"status", e.status},
                         {"release", e.release},
                         {"type", e.type},
                         {"stack", e.frames}});
    }
    return json_response(200, {{"data", items}, {"dropped", ctx.app.errors().dropped()}});
}

}  // namespace cp::api
