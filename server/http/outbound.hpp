#pragma once
// Outbound HTTP(S): one POST with one deadline for the whole exchange (resolve, connect,
// TLS with peer and host-name verification, write, read), one connection per call. Used
// for the payment processor and the error tracker's Sentry envelopes.
#include <chrono>
#include <map>
#include <string>

namespace cp::http {

struct Endpoint {
    bool tls = true;
    std::string host, port, prefix;  // prefix: a path every target is appended to
};

struct OutboundAnswer {
    bool answered = false;  // false: timeout or connection failure
    int status = 0;
    std::string body;
    std::string error;
};

// Blocking; the answer says whether the peer answered at all.
class OutboundPost {
public:
    OutboundPost(const Endpoint& base, std::chrono::milliseconds timeout) : base_(base), timeout_(timeout) {}
    OutboundAnswer post(const std::string& target, const std::map<std::string, std::string>& headers,
                        const std::string& body);

private:
    Endpoint base_;
    std::chrono::milliseconds timeout_;
};

}  // namespace cp::http
