#pragma once
// Prometheus metrics (prometheus-cpp, Debian's prometheus-cpp-dev): one registry per App,
// exposed in the text format by GET /api/v1/operator/metrics (operators) and GET /metrics
// on the loopback-only --metrics-port listener (server/app/metrics_listener.hpp). Labels are route
// templates ("/api/v1/invoices/{id}"), never raw paths, so ids cannot explode the series.
#include <chrono>
#include <memory>
#include <string>

namespace prometheus {
class Registry;
}

namespace cp::server {

class Metrics {
public:
    Metrics();
    ~Metrics();
    Metrics(const Metrics&) = delete;
    Metrics& operator=(const Metrics&) = delete;

    // One finished request: counted by route template, method and status; timed by route.
    void request(const std::string& route, const std::string& method, int status, double seconds);
    void throttled();           // a 429 from the password-attempt or sign-up limits
    void idempotent_replay();   // an answer replayed from an Idempotency-Key
    void password_busy();       // a 503 because the password pool's queue was full
    void audit_append();        // one event appended to an audit chain
    void webhook(const std::string& outcome);  // a verified webhook event and what became of it
    // One finished storage transaction ("read" or "write"): how long it waited for a
    // connection (and the writer's turn) and how long it held it.
    void transaction(const char* mode, double wait_seconds, double held_seconds);
    // Requests waiting for a request worker: +1 as one enters the queue, -1 as it leaves.
    void queue_depth(int delta);
    void error_captured();      // an unhandled exception or 500 (server/app/error_tracker.hpp)

    // The whole registry in Prometheus' text exposition format.
    std::string text() const;
    prometheus::Registry& registry();

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace cp::server
