#pragma once
// Sends captured errors to a Sentry-compatible server (CP_SENTRY_DSN) as envelopes
// (POST {base}/api/{project}/envelope/, X-Sentry-Auth with the DSN's public key): one
// event item per error, from a thread of its own behind a bounded queue, so a slow or
// unreachable server costs requests nothing (a full queue drops and counts).
#include <condition_variable>
#include <deque>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "server/app/error_tracker.hpp"
#include "server/http/outbound.hpp"

namespace cp::server {

struct SentryDsn {
    http::Endpoint endpoint;  // scheme, host, port and any path before the project id
    std::string public_key, project_id;
};
// "https://KEY@host[:port][/path]/PROJECT"; nullopt when malformed.
std::optional<SentryDsn> parse_sentry_dsn(const std::string& dsn);

// The envelope for one error: header line, item header line, event payload.
std::string sentry_envelope(const CapturedError& error, const std::string& dsn);

class SentrySink : public ErrorSink {
public:
    SentrySink(const std::string& dsn, std::size_t queue = 32);
    ~SentrySink() override;  // sends what is queued for at most a few seconds, then stops
    void submit(const CapturedError& error) override;
    std::size_t sent() const;
    std::size_t dropped() const;

private:
    void run();

    const std::string dsn_;
    SentryDsn parsed_;
    const std::size_t queue_limit_;
    mutable std::mutex mutex_;
    std::condition_variable wake_;
    std::deque<std::string> envelopes_;
    std::size_t sent_ = 0, dropped_ = 0;
    bool stopping_ = false;
    std::thread thread_;
};

}  // namespace cp::server
