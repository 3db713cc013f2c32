#include "server/app/metrics_listener.hpp"

#include <thread>

#include "server/http/transport.hpp"

namespace cp::server {

http::Response metrics_endpoint(const Metrics& metrics, const http::Request& req) {
    http::Response r;
    if (req.path != "/metrics" || (req.method != "GET" && req.method != "HEAD")) {
        r.status = 404;
        r.content_type = "text/plain; charset=utf-8";
        r.body = "not found: this listener serves GET /metrics only\n";
        return r;
    }
    r.content_type = "text/plain; version=0.0.4; charset=utf-8";
    r.body = metrics.text();
    return r;
}

struct MetricsListener::Impl {
    http::Server server;
    std::thread thread;
    Impl(const Metrics& metrics, std::uint16_t port)
        : server(options(port), [&metrics](const http::Request& req) { return metrics_endpoint(metrics, req); }) {}

    static http::ServeOptions options(std::uint16_t port) {
        http::ServeOptions o;
        o.host = "127.0.0.1";  // never another interface: the listener has no authentication
        o.port = port;
        o.threads = 1;
        o.workers = 1;
        o.max_queue = 16;
        return o;
    }
};

MetricsListener::MetricsListener(const Metrics& metrics, std::uint16_t port)
    : impl_(std::make_unique<Impl>(metrics, port)) {
    impl_->thread = std::thread([this] { impl_->server.run(); });
}

MetricsListener::~MetricsListener() {
    impl_->server.stop();
    impl_->thread.join();
}

std::uint16_t MetricsListener::port() const { return impl_->server.port(); }

}  // namespace cp::server
