#pragma once
// Error tracking: every unhandled exception or 500 answer becomes one CapturedError with
// the request id, route template, build version and the stack where the exception was
// thrown (recorded at the throw by a link-time wrap of __cxa_throw, symbolized with
// boost::stacktrace over GCC's libbacktrace). Never bodies, tokens, personal data: not
// even exception messages are kept, since they can quote input (a JSON parse error quotes
// the body; a PostgreSQL DETAIL line quotes the conflicting value).
//
// Captures are symbolized and stored on a background thread, behind a bounded queue (a
// burst of failures must not slow the requests that failed); the newest `keep` are served
// to operators (GET /api/v1/operator/errors) and handed to a sink (Sentry) when one is set.
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace cp::server {

// The throw site of the exception most recently thrown on this thread (raw frames; the
// tracker symbolizes them later). Take it first thing in a catch block.
struct ThrowSite {
    std::string type;  // demangled exception type
    std::vector<void*> frames;
};
ThrowSite last_throw_site();

// `git describe` at configure time ("dev" without git).
const char* build_version();

struct CapturedError {
    std::string id;  // "err_…"
    std::int64_t at = 0;
    std::string request_id, route, method;
    int status = 500;
    std::string release = build_version();
    std::string type;  // exception type, or "http_500" for an answer without one
    std::vector<void*> raw_frames;
    std::vector<std::string> frames;  // innermost first, "function at file:line"
};

class ErrorSink {
public:
    virtual ~ErrorSink() = default;
    // Called on the tracker's thread; must not block for long (queue, then send).
    virtual void submit(const CapturedError& error) = 0;
};

class ErrorTracker {
public:
    explicit ErrorTracker(std::size_t keep = 200, std::size_t queue = 64);
    ~ErrorTracker();
    ErrorTracker(const ErrorTracker&) = delete;
    ErrorTracker& operator=(const ErrorTracker&) = delete;

    void set_sink(std::shared_ptr<ErrorSink> sink);
    // Never blocks; a full queue drops the capture (counted).
    void capture(CapturedError error);
    std::vector<CapturedError> recent() const;  // newest first
    std::size_t dropped() const;

private:
    void run();

    const std::size_t keep_, queue_limit_;
    mutable std::mutex mutex_;
    std::condition_variable wake_;
    std::deque<CapturedError> pending_, stored_;
    std::shared_ptr<ErrorSink> sink_;
    std::size_t dropped_ = 0;
    bool stopping_ = false;
    std::thread thread_;
};

}  // namespace cp::server
