#pragma once
// Time as whole Unix seconds, behind an injectable clock so expiry rules (sessions,
// break-glass, throttling, retention) can be tested without sleeping.
#include <atomic>
#include <cstdint>
#include <string>

namespace cp::server {

class Clock {
public:
    virtual ~Clock() = default;
    virtual std::int64_t now() const = 0;  // Unix seconds, UTC
};

class SystemClock final : public Clock {
public:
    std::int64_t now() const override;
};

// A clock that only moves when told to (tests).
class ManualClock final : public Clock {
public:
    explicit ManualClock(std::int64_t start) : now_(start) {}
    std::int64_t now() const override { return now_.load(); }
    void advance(std::int64_t seconds) { now_ += seconds; }
    void set(std::int64_t t) { now_ = t; }

private:
    std::atomic<std::int64_t> now_;
};

// "2026-11-24T21:40:00Z"
std::string iso_time(std::int64_t unix_seconds);
// "2026-11-24" (UTC calendar date of the instant)
std::string iso_date(std::int64_t unix_seconds);

}  // namespace cp::server
