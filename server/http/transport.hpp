#pragma once
// HTTP/1.1 transport on Boost.Beast. Everything Beast-specific stays behind this header:
// the rest of the server sees only Request -> Response functions (message.hpp).
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>

#include "server/http/message.hpp"

namespace cp::http {

using Handler = std::function<Response(const Request&)>;

struct ServeOptions {
    std::string host = "127.0.0.1";
    std::uint16_t port = 8080;  // 0 picks a free port (tests)
    std::size_t body_limit = 1024 * 1024;  // larger bodies get 413
    std::size_t header_limit = 16 * 1024;  // larger header blocks get 431
    std::chrono::seconds idle_timeout{30};
    // Threads that read and write sockets; they never run the handler.
    int threads = 1;
    // Threads that run the handler (it may block on the database): it must be thread-safe.
    int workers = 8;
    // Requests waiting for a worker beyond this many are answered 503 SERVICE_BUSY with
    // Retry-After at once; one that waited longer than the deadline is answered so
    // instead of being started.
    std::size_t max_queue = 1024;
    std::chrono::milliseconds request_deadline{10'000};
    // Told +1/-1 as requests enter and leave the worker queue (the depth gauge).
    std::function<void(int)> on_queue_depth;
    // serve(): on SIGTERM or SIGINT, `on_drain` is told first (the app's /readyz then answers
    // 503, so a load balancer's health check takes this server out), requests are still
    // served for `drain_delay` (those the balancer sent before it noticed), then the listener
    // closes, in-flight requests finish (each within `drain_timeout`) and serve() returns.
    // A second signal stops at once.
    std::function<void()> on_drain;
    std::chrono::milliseconds drain_delay{0};
    std::chrono::milliseconds drain_timeout{30'000};
};

// A listening server. Construction binds (so port() is known before run()); run() blocks
// until stop(), which may be called from any thread or a signal handler thread.
class Server {
public:
    Server(ServeOptions options, Handler handler);
    ~Server();
    Server(const Server&) = delete;
    Server& operator=(const Server&) = delete;

    std::uint16_t port() const;
    void run();
    void stop();
    // Stops accepting, answers the requests already read (with Connection: close) and then
    // stops, waiting at most `timeout` for them. Any thread.
    void drain(std::chrono::milliseconds timeout);
    // Requests read and not yet answered.
    int in_flight() const;

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

// Runs until SIGINT or SIGTERM, then drains (ServeOptions::on_drain, drain_delay) and returns
// after in-flight responses are written.
void serve(const ServeOptions& options, Handler handler);

// A server on 127.0.0.1 with an ephemeral port, running on a background thread: for tests
// over real loopback HTTP. The destructor stops it.
class TestServer {
public:
    explicit TestServer(Handler handler, ServeOptions options = {});
    ~TestServer();
    TestServer(const TestServer&) = delete;
    TestServer& operator=(const TestServer&) = delete;
    std::uint16_t port() const;

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

// A small blocking HTTP/1.1 client for tests and tools (one request per connection).
// Response.headers holds every response header with its name lower-cased.
Response request(std::uint16_t port, const std::string& method, const std::string& target,
                 const std::map<std::string, std::string>& headers = {},
                 const std::string& body = {}, const std::string& host = "127.0.0.1");

}  // namespace cp::http
