#pragma once
// GET /metrics for Prometheus on a listener of its own, bound to 127.0.0.1 only: a
// scraper on the host needs no token, and nothing off the host can reach it. (Operators
// elsewhere use GET /api/v1/operator/metrics with their token.)
#include <cstdint>
#include <memory>

#include "server/app/metrics.hpp"
#include "server/http/message.hpp"

namespace cp::server {

// The listener's whole surface: GET or HEAD /metrics, 404 for anything else.
http::Response metrics_endpoint(const Metrics& metrics, const http::Request& req);

class MetricsListener {
public:
    // Binds 127.0.0.1:port (0 picks a free one) and serves on a thread of its own.
    MetricsListener(const Metrics& metrics, std::uint16_t port);
    ~MetricsListener();
    MetricsListener(const MetricsListener&) = delete;
    MetricsListener& operator=(const MetricsListener&) = delete;
    std::uint16_t port() const;

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace cp::server
