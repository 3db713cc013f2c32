#include "server/app/sentry_sink.hpp"

#include <chrono>
#include <iostream>
#include <nlohmann/json.hpp>
#include <stdexcept>

#include "server/util/crypto.hpp"

namespace cp::server {

using nlohmann::json;

std::optional<SentryDsn> parse_sentry_dsn(const std::string& dsn) {
    SentryDsn out;
    std::string rest;
    if (dsn.rfind("https://", 0) == 0) {
        rest = dsn.substr(8);
    } else if (dsn.rfind("http://", 0) == 0) {
        out.endpoint.tls = false;
        rest = dsn.substr(7);
    } else {
        return std::nullopt;
    }
    const auto at = rest.find('@');
    if (at == std::string::npos || at == 0) return std::nullopt;
    out.public_key = rest.substr(0, rest.find_first_of(":@"));  // a legacy ":secret" is ignored
    rest = rest.substr(at + 1);
    const auto slash = rest.find('/');
    const auto last = rest.rfind('/');
    if (slash == std::string::npos || last + 1 >= rest.size()) return std::nullopt;
    const std::string authority = rest.substr(0, slash);
    out.endpoint.prefix = rest.substr(slash, last - slash);  // "" or "/path"
    out.project_id = rest.substr(last + 1);
    const auto colon = authority.rfind(':');
    out.endpoint.host = colon == std::string::npos ? authority : authority.substr(0, colon);
    out.endpoint.port =
        colon == std::string::npos ? (out.endpoint.tls ? "443" : "80") : authority.substr(colon + 1);
    if (out.endpoint.host.empty() || out.public_key.empty()) return std::nullopt;
    return out;
}

std::string sentry_envelope(const CapturedError& error, const std::string& dsn) {
    // Sentry wants an event id of 32 hex digits and frames outermost first.
    std::string event_id = sha256_hex(error.id).substr(0, 32);
    json frames = json::array();
    for (auto it = error.frames.rbegin(); it != error.frames.rend(); ++it) frames.push_back({{"function", *it}});
    json event = {
        {"event_id", event_id},
        {"timestamp", error.at},
        {"platform", "native"},
        {"level", "error"},
        {"logger", "cp_server"},
        {"release", error.release},
        {"tags",
         {{"route", error.route}, {"method", error.method}, {"status", std::to_string(error.status)},
          {"request_id", error.request_id}}},
        {"exception",
         {{"values", json::array({{{"type", error.type},
                                   {"value", "HTTP " + std::to_string(error.status) + " on " + error.method + " " +
                                                 error.route},
                                   {"stacktrace", {{"frames", frames}}}}})}}},
    };
    const std::string payload = event.dump();
    const json header = {{"event_id", event_id}, {"dsn", dsn}};
    const json item = {{"type", "event"}, {"length", payload.size()}, {"content_type", "application/json"}};
    return header.dump() + "\n" + item.dump() + "\n" + payload + "\n";
}

SentrySink::SentrySink(const std::string& dsn, std::size_t queue) : dsn_(dsn), queue_limit_(queue) {
    auto parsed = parse_sentry_dsn(dsn);
    if (!parsed) throw std::invalid_argument("CP_SENTRY_DSN is not a DSN (https://KEY@host/PROJECT)");
    parsed_ = *parsed;
    thread_ = std::thread([this] { run(); });
}

SentrySink::~SentrySink() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    wake_.notify_all();
    thread_.join();
}

void SentrySink::submit(const CapturedError& error) {
    std::string envelope = sentry_envelope(error, dsn_);
    {
        std::lock_guard lock(mutex_);
        if (envelopes_.size() >= queue_limit_) {
            ++dropped_;
            return;
        }
        envelopes_.push_back(std::move(envelope));
    }
    wake_.notify_one();
}

std::size_t SentrySink::sent() const {
    std::lock_guard lock(mutex_);
    return sent_;
}

std::size_t SentrySink::dropped() const {
    std::lock_guard lock(mutex_);
    return dropped_;
}

void SentrySink::run() {
    const std::string target = "/api/" + parsed_.project_id + "/envelope/";
    const std::map<std::string, std::string> headers = {
        {"Content-Type", "application/x-sentry-envelope"},
        {"X-Sentry-Auth", "Sentry sentry_version=7, sentry_client=consultantpro/" + std::string(build_version()) +
                              ", sentry_key=" + parsed_.public_key}};
    std::unique_lock lock(mutex_);
    std::chrono::steady_clock::time_point give_up = std::chrono::steady_clock::time_point::max();
    for (;;) {
        wake_.wait(lock, [this] { return stopping_ || !envelopes_.empty(); });
        if (stopping_ && give_up == std::chrono::steady_clock::time_point::max())
            give_up = std::chrono::steady_clock::now() + std::chrono::seconds(3);
        if (envelopes_.empty() || std::chrono::steady_clock::now() > give_up) return;
        std::string envelope = std::move(envelopes_.front());
        envelopes_.pop_front();
        lock.unlock();
        auto answer = http::OutboundPost(parsed_.endpoint, std::chrono::seconds(2)).post(target, headers, envelope);
        const bool ok = answer.answered && answer.status >= 200 && answer.status < 300;
        if (!ok) {
            std::cerr << "error tracking: Sentry did not take an event ("
                      << (answer.answered ? "HTTP " + std::to_string(answer.status) : answer.error) << ")\n";
        }
        lock.lock();
        if (ok) ++sent_;
    }
}

}  // namespace cp::server
