#include "server/api/handlers.hpp"

namespace cp::api {

// Liveness plus a trivial query, so a broken database shows up here, not in user traffic.
Response health(Ctx& ctx) {
    auto row = ctx.tx().query_one("SELECT COUNT(*) AS n FROM schema_migrations");
    return json_response(
        200,
        {{"status", "ok"}, {"database", ctx.tx().backend()}, {"schema_version", row ? row->i64("n") : 0}});
}

}  // namespace cp::api
