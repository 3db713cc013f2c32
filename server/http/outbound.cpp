#include "server/http/outbound.hpp"

#include <boost/asio/ssl.hpp>
#include <boost/beast/ssl.hpp>

#include "server/http/beast_pch.hpp"

namespace cp::http {
namespace {

namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
namespace asio = boost::asio;
namespace ssl = boost::asio::ssl;
using tcp = asio::ip::tcp;

// One POST with a deadline over `Stream` (tcp_stream or ssl_stream<tcp_stream>).
class Exchange {
public:
    Exchange(const Endpoint& base, std::chrono::milliseconds timeout) : base_(base), timeout_(timeout) {}

    OutboundAnswer post(const std::string& target, const std::map<std::string, std::string>& headers,
                    const std::string& body) {
        req_.method(bhttp::verb::post);
        req_.target(base_.prefix + target);
        req_.version(11);
        req_.set(bhttp::field::host, base_.host);
        req_.set(bhttp::field::user_agent, "ConsultantPro/1");
        for (const auto& [k, v] : headers) req_.set(k, v);
        req_.body() = body;
        req_.prepare_payload();
        parser_.body_limit(4 * 1024 * 1024);

        asio::io_context io;
        tcp::resolver resolver(io);
        if (base_.tls) {
            ssl::context tls_ctx(ssl::context::tls_client);
            tls_ctx.set_default_verify_paths();
            tls_ctx.set_verify_mode(ssl::verify_peer);
            beast::ssl_stream<beast::tcp_stream> stream(io, tls_ctx);
            if (!SSL_set_tlsext_host_name(stream.native_handle(), base_.host.c_str())) {
                answer_.error = "TLS SNI failed";
                return answer_;
            }
            stream.set_verify_callback(ssl::host_name_verification(base_.host));
            start(io, resolver, stream, beast::get_lowest_layer(stream), true);
        } else {
            beast::tcp_stream stream(io);
            start(io, resolver, stream, stream, false);
        }
        return answer_;
    }

private:
    template <class Stream>
    void start(asio::io_context& io, tcp::resolver& resolver, Stream& stream, beast::tcp_stream& tcp_layer,
               bool tls) {
        tcp_layer.expires_after(timeout_);
        resolver.async_resolve(base_.host, base_.port, [&](beast::error_code ec, tcp::resolver::results_type r) {
            if (ec) return fail(ec, "resolve");
            tcp_layer.async_connect(r, [&](beast::error_code ec2, const tcp::endpoint&) {
                if (ec2) return fail(ec2, "connect");
                if constexpr (!std::is_same_v<Stream, beast::tcp_stream>) {
                    stream.async_handshake(ssl::stream_base::client, [&](beast::error_code ec3) {
                        if (ec3) return fail(ec3, "tls handshake");
                        write_and_read(stream);
                    });
                } else {
                    (void)tls;
                    write_and_read(stream);
                }
            });
        });
        // The deadline for the whole exchange; anything still pending is abandoned.
        io.run_for(timeout_);
        if (!done_) answer_ = OutboundAnswer{false, 0, "", "timed out"};
    }

    template <class Stream>
    void write_and_read(Stream& stream) {
        bhttp::async_write(stream, req_, [&](beast::error_code ec, std::size_t) {
            if (ec) return fail(ec, "write");
            bhttp::async_read(stream, buffer_, parser_, [&](beast::error_code ec2, std::size_t) {
                if (ec2) return fail(ec2, "read");
                done_ = true;
                answer_.answered = true;
                answer_.status = static_cast<int>(parser_.get().result_int());
                answer_.body = parser_.get().body();
            });
        });
    }

    void fail(beast::error_code ec, const char* stage) {
        done_ = true;
        answer_ = OutboundAnswer{false, 0, "", std::string(stage) + ": " + ec.message()};
    }

    Endpoint base_;
    std::chrono::milliseconds timeout_;
    bhttp::request<bhttp::string_body> req_;
    bhttp::response_parser<bhttp::string_body> parser_;
    beast::flat_buffer buffer_;
    OutboundAnswer answer_;
    bool done_ = false;
};

}  // namespace

OutboundAnswer OutboundPost::post(const std::string& target, const std::map<std::string, std::string>& headers,
                                  const std::string& body) {
    return Exchange(base_, timeout_).post(target, headers, body);
}

}  // namespace cp::http
