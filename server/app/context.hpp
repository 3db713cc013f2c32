#pragma once
// The application object (one per process: database, clock, settings) and the per-request
// context handlers receive. Handlers are plain functions `Response f(Ctx&)`.
#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "server/app/error_tracker.hpp"
#include "server/app/metrics.hpp"
#include "server/auth/password_workers.hpp"
#include "server/auth/passwords.hpp"
#include "server/auth/principal.hpp"
#include "server/auth/throttle.hpp"
#include "server/http/message.hpp"
#include "server/http/router.hpp"
#include "server/storage/database.hpp"
#include "server/util/clock.hpp"
#include "server/util/zones.hpp"

namespace cp::server::payments {
class Processor;
}

namespace cp::server {

struct AppConfig {
    PasswordParams passwords = PasswordParams::interactive();
    ThrottleLimits throttle;
    // Argon2id runs on this many workers with at most this many checks waiting (then 503).
    // Each running or waiting check holds a request worker of the transport: keep the sum
    // under half of them (main.cpp derives both from --workers).
    int password_workers = 1;
    std::size_t password_queue = 3;
    std::int64_t session_ttl_seconds = 12 * 3600;
    // Break-glass durations (default 30 min, max 4 h) are the core's rule:
    // shared/validation/break_glass_validation.hpp.
    // A request's storage waits (connection, writer's turn) end at this long after it
    // arrived; past it the answer is 503 SERVICE_BUSY with Retry-After.
    std::chrono::milliseconds request_deadline{10'000};
    // The payment processor (server/payments/processor.hpp); the sandbox when null.
    std::shared_ptr<payments::Processor> processor;
    // Stripe's webhook signing secret ("whsec_…"); empty: the webhook endpoint answers 503.
    std::string stripe_webhook_secret;
    // Where firm export archives are written (server/exit/firm_exit.hpp).
    std::string export_dir = "var/exports";
};

struct Ctx;
using HandlerFn = http::Response (*)(Ctx&);

enum class Access {
    public_,        // no token needed
    authenticated,  // any valid token (logout, me)
    firm,           // member or break-glass; firm status gated; capability checked
    portal,         // portal users only
    operator_,      // platform operators only
};

// How the cross-tenant matrix treats a route's path parameters.
enum class TenantScope {
    none,      // no object ids in the path
    firm,      // ids name firm-side objects: another firm's id must be 404
    portal,    // ids name the portal user's client's objects
    platform,  // operator routes: ids span firms by design (metadata only)
    link,      // the id is a signed link's token: it opens its one invoice, anything else is 404
};

struct RouteDef {
    const char* method;
    const char* pattern;
    Access access;
    std::optional<Capability> capability;
    TenantScope scope;
    const char* resource;  // type of {id} objects, for the matrix and OpenAPI tags
    const char* summary;
    HandlerFn handler;
};

const std::vector<RouteDef>& route_table();

class App {
public:
    App(std::unique_ptr<storage::Database> db, std::shared_ptr<const Clock> clock, AppConfig config = {});

    // The seam the transport calls: thread-safe.
    http::Response handle(const http::Request& request);

    storage::Database& db() { return *db_; }
    const Clock& clock() const { return *clock_; }
    const AppConfig& config() const { return config_; }
    LoginThrottle& throttle() { return throttle_; }
    PasswordWorkers& password_workers() { return password_workers_; }
    Metrics& metrics() { return metrics_; }
    ErrorTracker& errors() { return errors_; }
    Zones& zones() { return zones_; }
    payments::Processor& processor() { return *config_.processor; }
    // The process is shutting down (SIGTERM): /readyz answers 503 DRAINING so a load
    // balancer sends nothing new, while requests already sent are still answered.
    void start_draining() { draining_ = true; }
    bool draining() const { return draining_; }

private:
    http::Response handle_routed(const http::Request& req, const RouteDef& route, const std::string& request_id,
                                 std::int64_t now, storage::TxMode mode, bool& principal_settled,
                                 std::optional<ThrowSite>& failure);
    // Every 500 goes to the error tracker; `site` is the exception's throw site, if any.
    void capture_error(const http::Request& req, const std::string& route, const std::string& request_id,
                       std::int64_t now, int status, const std::optional<ThrowSite>& site);
    void record_metrics(const std::string& route, const std::string& method, const http::Response& response,
                        std::chrono::steady_clock::time_point started);
    // Audits a break-glass token's request that no route's own path audited (see handle).
    void audit_unrouted_break_glass(const http::Request& req, const std::string& request_id, std::int64_t now,
                                    http::Response& response);

    std::unique_ptr<storage::Database> db_;
    std::shared_ptr<const Clock> clock_;
    AppConfig config_;
    LoginThrottle throttle_;
    Zones zones_;
    http::Router router_;
    PasswordWorkers password_workers_;
    Metrics metrics_;
    ErrorTracker errors_;
    std::atomic<bool> draining_{false};
};

struct Ctx {
    App& app;
    const http::Request& req;
    const RouteDef& route;
    std::string request_id;
    Principal principal;
    std::int64_t now = 0;

    // One transaction per request, opened on first use, committed after the handler (with
    // the idempotency record and break-glass audit), rolled back on an exception. GET and
    // HEAD get a read transaction (pooled, concurrent); should one try to write, the app
    // runs the request again with a write transaction (App::handle).
    storage::Transaction& tx();
    // Commits now and releases the database (login hashes passwords outside the lock).
    void commit();
    bool has_tx() const { return tx_ != nullptr; }

    const std::string& param(const std::string& name) const { return req.path_params.at(name); }

    std::unique_ptr<storage::Transaction> tx_;
    storage::TxMode tx_mode = storage::TxMode::write;
    std::chrono::steady_clock::time_point deadline = std::chrono::steady_clock::time_point::max();
};

}  // namespace cp::server
