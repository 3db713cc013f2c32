#include "server/http/transport.hpp"

#include <atomic>
#include <cctype>
#include <iostream>
#include <optional>
#include <thread>
#include <vector>

#include "server/http/beast_pch.hpp"
#include "server/http/request_target.hpp"
#include "server/http/security_headers.hpp"
#include "server/util/crypto.hpp"

namespace cp::http {
namespace {

namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
namespace asio = boost::asio;
using tcp = asio::ip::tcp;

void fail(beast::error_code ec, const char* stage) {
    // A peer closing or resetting its connection is a normal end, not worth a log line.
    if (ec == asio::error::operation_aborted || ec == beast::error::timeout || ec == asio::error::eof ||
        ec == asio::error::connection_reset || ec == bhttp::error::end_of_stream) {
        return;
    }
    std::cerr << "http: " << stage << ": " << ec.message() << "\n";
}

std::string lower(boost::beast::string_view s) {
    std::string out(s.data(), s.size());
    for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

// Same shape as the app's errors ({"error", "errors"} and a request id), though the app
// never saw the request.
Response error_response(int status, const std::string& code, const std::string& message) {
    Response r;
    r.status = status;
    const nlohmann::json error{{"code", code}, {"field", ""}, {"message", message}};
    r.body = nlohmann::json{{"error", error}, {"errors", nlohmann::json::array({error})}}.dump();
    r.set_header("X-Request-Id", cp::server::new_id("req"));
    return r;
}

// The response to a request the parser rejected before the handler could see it.
Response parse_failure_response(beast::error_code ec) {
    if (ec == bhttp::error::body_limit) {
        return error_response(413, "PAYLOAD_TOO_LARGE", "The request body exceeds the limit.");
    }
    if (ec == bhttp::error::header_limit) {
        return error_response(431, "HEADERS_TOO_LARGE", "The request headers exceed the limit.");
    }
    return error_response(400, "MALFORMED_REQUEST", "The HTTP request could not be parsed.");
}

// RFC 9112 §6: only a final "chunked" frames a request body we can read. Any other coding
// (unknown, or "chunked, identity") leaves the body's length unknown, and with a
// Content-Length beside it the two could be read differently by a proxy and by us (request
// smuggling): both are refused.
std::optional<std::string> framing_problem(const bhttp::request_parser<bhttp::string_body>::value_type& m) {
    std::string codings;
    for (const auto& field : m) {
        if (field.name() != bhttp::field::transfer_encoding) continue;
        if (!codings.empty()) codings += ',';
        codings += lower(field.value());
    }
    if (codings.empty()) return std::nullopt;
    std::vector<std::string> tokens;
    std::size_t pos = 0;
    while (pos <= codings.size()) {
        auto comma = codings.find(',', pos);
        auto token = codings.substr(pos, comma == std::string::npos ? std::string::npos : comma - pos);
        const auto first = token.find_first_not_of(" \t");
        const auto last = token.find_last_not_of(" \t");
        tokens.push_back(first == std::string::npos ? "" : token.substr(first, last - first + 1));
        if (comma == std::string::npos) break;
        pos = comma + 1;
    }
    if (tokens.size() != 1 || tokens[0] != "chunked") {
        return "Transfer-Encoding must be exactly \"chunked\" (got \"" + codings.substr(0, 100) + "\").";
    }
    if (m.find(bhttp::field::content_length) != m.end()) {
        return "A request may not carry both Transfer-Encoding and Content-Length.";
    }
    return std::nullopt;
}

// Requests handed to the worker pool and not yet started: bounded, so a flood is refused
// at once (503) instead of queueing work whose callers gave up long ago.
struct WorkQueue {
    const ServeOptions& options;
    asio::thread_pool& workers;
    std::atomic<std::size_t> waiting{0};
    // Requests read and not yet answered, and whether the server drains (answers close).
    std::atomic<int> in_flight{0};
    std::atomic<bool> draining{false};

    bool full() const { return waiting.load(std::memory_order_relaxed) >= options.max_queue; }
    void entered() {
        waiting.fetch_add(1, std::memory_order_relaxed);
        if (options.on_queue_depth) options.on_queue_depth(+1);
    }
    void left() {
        waiting.fetch_sub(1, std::memory_order_relaxed);
        if (options.on_queue_depth) options.on_queue_depth(-1);
    }
};

Response busy_response(const char* why) {
    auto r = error_response(503, "SERVICE_BUSY", why);
    r.set_header("Retry-After", "1");
    return r;
}

class Session : public std::enable_shared_from_this<Session> {
public:
    Session(tcp::socket socket, const ServeOptions& options, const Handler& handler, WorkQueue& queue)
        : stream_(std::move(socket)), options_(options), handler_(handler), queue_(queue) {}

    void start() {
        asio::dispatch(stream_.get_executor(),
                       beast::bind_front_handler(&Session::do_read, shared_from_this()));
    }

private:
    void do_read() {
        // A fresh parser per message: limits apply to each request on a kept-alive connection.
        parser_.emplace();
        parser_->body_limit(options_.body_limit);
        parser_->header_limit(static_cast<std::uint32_t>(options_.header_limit));
        stream_.expires_after(options_.idle_timeout);
        bhttp::async_read_header(stream_, buffer_, *parser_,
                                 beast::bind_front_handler(&Session::on_header, shared_from_this()));
    }

    // The framing is decided from the header alone, before a byte of body is read.
    void on_header(beast::error_code ec, std::size_t) {
        if (ec) return on_read(ec, 0);
        if (auto refused = framing_problem(parser_->get())) {
            // The body's extent is unknown: answer, then close rather than guess.
            return send(error_response(400, "MALFORMED_REQUEST", *refused), parser_->get().version(), false);
        }
        bhttp::async_read(stream_, buffer_, *parser_,
                          beast::bind_front_handler(&Session::on_read, shared_from_this()));
    }

    void on_read(beast::error_code ec, std::size_t) {
        if (ec == bhttp::error::end_of_stream) return do_close();
        if (ec && ec.category() == bhttp::make_error_code(bhttp::error::bad_target).category()) {
            // The parser rejected the request: answer it, then close (the stream is unusable).
            return send(parse_failure_response(ec), 11, false);
        }
        if (ec) return fail(ec, "read");

        const auto& message = parser_->get();
        Request request;
        request.method = std::string(message.method_string());
        request.target = std::string(message.target());
        for (const auto& field : message) {
            auto name = lower(field.name_string());
            auto value = std::string(field.value());
            auto [it, inserted] = request.headers.emplace(name, value);
            if (!inserted) it->second += ", " + value;
        }
        request.body = message.body();
        beast::error_code endpoint_ec;
        auto remote = stream_.socket().remote_endpoint(endpoint_ec);
        if (!endpoint_ec) request.remote_address = remote.address().to_string();

        const unsigned version = message.version();
        const bool keep_alive = message.keep_alive();
        const bool head = request.method == "HEAD";
        request.received = std::chrono::steady_clock::now();
        queue_.in_flight.fetch_add(1);
        counted_ = true;
        if (queue_.full()) {
            return send(busy_response("Too many requests are waiting; retry shortly."), version, keep_alive, head);
        }
        // Handlers may block (database, password hashing): they run on the worker pool, and
        // the I/O threads only read and write.
        queue_.entered();
        asio::post(queue_.workers, [self = shared_from_this(), request = std::move(request), version, keep_alive,
                                    head]() mutable {
            self->queue_.left();
            // A request that waited past its deadline is not started: its caller has most
            // likely given up, and the work would only delay the requests behind it.
            const bool late =
                std::chrono::steady_clock::now() - request.received > self->options_.request_deadline;
            auto response = std::make_shared<Response>(
                late ? busy_response("The request waited too long for a worker; retry shortly.")
                     : self->respond(request));
            asio::post(self->stream_.get_executor(), [self, response, version, keep_alive, head] {
                self->send(std::move(*response), version, keep_alive, head);
            });
        });
    }

    Response respond(Request& request) {
        auto parsed = parse_target(request.target);
        if (!parsed) return error_response(400, "MALFORMED_REQUEST", "The request target is not valid.");
        request.path = std::move(parsed->path);
        request.query = std::move(parsed->query);
        try {
            return handler_(request);
        } catch (const std::exception& e) {
            // A handler exception is a bug; the client still gets a well-formed answer.
            std::cerr << "http: handler threw: " << e.what() << "\n";
            return error_response(500, "INTERNAL_ERROR", "An internal error occurred.");
        }
    }

    void send(Response response, unsigned version, bool keep_alive, bool head = false) {
        auto out = std::make_shared<bhttp::response<bhttp::string_body>>();
        out->version(version);
        out->result(static_cast<unsigned>(response.status));
        out->set(bhttp::field::server, "ConsultantPro");
        add_security_headers(response);
        if (!response.content_type.empty()) {
            out->set(bhttp::field::content_type, response.content_type);
        }
        for (auto& [name, value] : response.headers) out->insert(name, value);
        // A draining server closes each connection after its answer.
        out->keep_alive(keep_alive && !queue_.draining.load());
        out->body() = std::move(response.body);
        out->prepare_payload();
        if (head) {
            // HEAD answers with the headers GET would send, Content-Length included, and no body.
            const auto length = out->body().size();
            out->body().clear();
            out->content_length(length);
        }
        response_ = out;
        stream_.expires_after(options_.idle_timeout);
        bhttp::async_write(
            stream_, *out,
            beast::bind_front_handler(&Session::on_write, shared_from_this(), out->need_eof()));
    }

    void on_write(bool close, beast::error_code ec, std::size_t) {
        response_.reset();
        if (counted_) {
            counted_ = false;
            queue_.in_flight.fetch_sub(1);
        }
        if (ec) return fail(ec, "write");
        if (close) return do_close();
        do_read();
    }

    void do_close() {
        beast::error_code ec;
        stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
    }

    beast::tcp_stream stream_;
    beast::flat_buffer buffer_;
    std::optional<bhttp::request_parser<bhttp::string_body>> parser_;
    std::shared_ptr<void> response_;
    bool counted_ = false;  // this connection's current request is in queue_.in_flight
    const ServeOptions& options_;
    const Handler& handler_;
    WorkQueue& queue_;
};

}  // namespace

struct Server::Impl {
    explicit Impl(ServeOptions o, Handler h)
        : options(std::move(o)), handler(std::move(h)), workers(static_cast<std::size_t>(std::max(1, options.workers))) {}
    ServeOptions options;
    Handler handler;
    asio::io_context io;
    tcp::acceptor acceptor{io};
    // The pool is last, so it is destroyed (joined) first: its jobs use the members above.
    WorkQueue queue{options, workers};
    asio::thread_pool workers;

    void do_accept() {
        acceptor.async_accept(asio::make_strand(io), [this](beast::error_code ec, tcp::socket s) {
            if (ec) {
                if (ec == asio::error::operation_aborted) return;
                fail(ec, "accept");
            } else {
                std::make_shared<Session>(std::move(s), options, handler, queue)->start();
            }
            if (acceptor.is_open()) do_accept();
        });
    }
};

Server::Server(ServeOptions options, Handler handler)
    : impl_(std::make_unique<Impl>(std::move(options), std::move(handler))) {
    auto address = asio::ip::make_address(impl_->options.host);
    tcp::endpoint endpoint{address, impl_->options.port};
    impl_->acceptor.open(endpoint.protocol());
    impl_->acceptor.set_option(asio::socket_base::reuse_address(true));
    impl_->acceptor.bind(endpoint);
    impl_->acceptor.listen(asio::socket_base::max_listen_connections);
    impl_->do_accept();
}

Server::~Server() { stop(); }

std::uint16_t Server::port() const { return impl_->acceptor.local_endpoint().port(); }

void Server::run() {
    int extra = std::max(0, impl_->options.threads - 1);
    std::vector<std::thread> pool;
    for (int i = 0; i < extra; ++i) pool.emplace_back([this] { impl_->io.run(); });
    impl_->io.run();
    for (auto& t : pool) t.join();
}

int Server::in_flight() const { return impl_->queue.in_flight.load(); }

void Server::drain(std::chrono::milliseconds timeout) {
    // Once the listener is closed, a request being handled by a worker leaves the I/O context
    // with nothing to wait on: without this guard run() would return before its answer is
    // written (the worker posts the write back to the I/O context).
    auto keep_running = asio::make_work_guard(impl_->io);
    impl_->queue.draining = true;
    asio::post(impl_->io, [this] {
        beast::error_code ec;
        impl_->acceptor.close(ec);
    });
    const auto until = std::chrono::steady_clock::now() + timeout;
    while (impl_->queue.in_flight.load() > 0 && std::chrono::steady_clock::now() < until) {
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    impl_->io.stop();
}

void Server::stop() {
    asio::post(impl_->io, [this] {
        beast::error_code ec;
        impl_->acceptor.close(ec);
    });
    impl_->io.stop();
}

void serve(const ServeOptions& options, Handler handler) {
    Server server(options, std::move(handler));
    asio::io_context signal_io;
    asio::signal_set signals(signal_io, SIGINT, SIGTERM);
    std::thread drainer;
    std::atomic<bool> finished{false};
    signals.async_wait([&](beast::error_code ec, int) {
        if (ec) return;
        // A second signal: stop now.
        signals.async_wait([&server](beast::error_code again, int) {
            if (!again) server.stop();
        });
        if (options.on_drain) options.on_drain();
        drainer = std::thread([&server, &options, &finished] {
            const auto until = std::chrono::steady_clock::now() + options.drain_delay;
            while (!finished && std::chrono::steady_clock::now() < until)
                std::this_thread::sleep_for(std::chrono::milliseconds(20));
            if (!finished) server.drain(options.drain_timeout);
        });
    });
    std::thread signal_thread([&signal_io] { signal_io.run(); });
    server.run();
    finished = true;
    signal_io.stop();
    signal_thread.join();
    if (drainer.joinable()) drainer.join();
}

struct TestServer::Impl {
    Server server;
    std::thread thread;
    Impl(Handler handler, ServeOptions options) : server(std::move(options), std::move(handler)) {}
};

TestServer::TestServer(Handler handler, ServeOptions options) {
    options.host = "127.0.0.1";
    options.port = 0;
    impl_ = std::make_unique<Impl>(std::move(handler), std::move(options));
    impl_->thread = std::thread([this] { impl_->server.run(); });
}

TestServer::~TestServer() {
    impl_->server.stop();
    impl_->thread.join();
}

std::uint16_t TestServer::port() const { return impl_->server.port(); }

Response request(std::uint16_t port, const std::string& method, const std::string& target,
                 const std::map<std::string, std::string>& headers, const std::string& body,
                 const std::string& host) {
    asio::io_context io;
    beast::tcp_stream stream(io);
    stream.connect(tcp::endpoint{asio::ip::make_address(host), port});
    bhttp::request<bhttp::string_body> req;
    req.method_string(method);
    req.target(target);
    req.version(11);
    req.set(bhttp::field::host, host + ":" + std::to_string(port));
    for (const auto& [name, value] : headers) req.set(name, value);
    req.body() = body;
    req.prepare_payload();
    if (method == "GET" && body.empty()) req.erase(bhttp::field::content_length);
    bhttp::write(stream, req);

    beast::flat_buffer buffer;
    bhttp::response_parser<bhttp::string_body> parser;
    parser.body_limit(64 * 1024 * 1024);
    parser.skip(method == "HEAD");
    bhttp::read(stream, buffer, parser);
    auto& res = parser.get();

    Response out;
    out.status = static_cast<int>(res.result_int());
    out.content_type = std::string(res[bhttp::field::content_type]);
    for (const auto& field : res)
        out.headers.emplace_back(lower(field.name_string()), std::string(field.value()));
    out.body = std::move(res.body());
    beast::error_code ec;
    stream.socket().shutdown(tcp::socket::shutdown_both, ec);
    return out;
}

}  // namespace cp::http
