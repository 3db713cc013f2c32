#include "server/app/metrics.hpp"

#include <prometheus/counter.h>
#include <prometheus/gauge.h>
#include <prometheus/histogram.h>
#include <prometheus/registry.h>
#include <prometheus/text_serializer.h>

#include <sstream>

namespace cp::server {

struct Metrics::Impl {
    std::shared_ptr<prometheus::Registry> registry = std::make_shared<prometheus::Registry>();
    prometheus::Family<prometheus::Counter>& requests =
        prometheus::BuildCounter()
            .Name("cp_http_requests_total")
            .Help("HTTP requests answered, by route template, method and status")
            .Register(*registry);
    prometheus::Family<prometheus::Histogram>& latency =
        prometheus::BuildHistogram()
            .Name("cp_http_request_duration_seconds")
            .Help("Time from routing to the response, by route template")
            .Register(*registry);
    prometheus::Family<prometheus::Counter>& events =
        prometheus::BuildCounter().Name("cp_events_total").Help("Notable events by kind").Register(*registry);
    prometheus::Counter& throttled = events.Add({{"kind", "throttled"}});
    prometheus::Counter& replays = events.Add({{"kind", "idempotent_replay"}});
    prometheus::Counter& password_busy = events.Add({{"kind", "password_pool_full"}});
    prometheus::Counter& audit_appends = events.Add({{"kind", "audit_append"}});
    prometheus::Family<prometheus::Counter>& webhooks =
        prometheus::BuildCounter()
            .Name("cp_webhook_events_total")
            .Help("Verified processor webhook events by outcome (applied, duplicate, parked, unmatched, ...)")
            .Register(*registry);
    prometheus::Counter& errors = events.Add({{"kind", "error_captured"}});
    // Storage: sub-millisecond buckets, since a list page holds its connection ~1 ms.
    const prometheus::Histogram::BucketBoundaries storage_buckets = {
        0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1, 5};
    prometheus::Family<prometheus::Histogram>& tx_held =
        prometheus::BuildHistogram()
            .Name("cp_storage_transaction_seconds")
            .Help("Time a storage transaction held its connection, by mode (read or write)")
            .Register(*registry);
    prometheus::Family<prometheus::Histogram>& tx_wait =
        prometheus::BuildHistogram()
            .Name("cp_storage_pool_wait_seconds")
            .Help("Time a storage transaction waited for a pooled connection or the writer's turn, by mode")
            .Register(*registry);
    prometheus::Histogram& read_held = tx_held.Add({{"mode", "read"}}, storage_buckets);
    prometheus::Histogram& write_held = tx_held.Add({{"mode", "write"}}, storage_buckets);
    prometheus::Histogram& read_wait = tx_wait.Add({{"mode", "read"}}, storage_buckets);
    prometheus::Histogram& write_wait = tx_wait.Add({{"mode", "write"}}, storage_buckets);
    prometheus::Gauge& queue = prometheus::BuildGauge()
                                   .Name("cp_http_worker_queue_depth")
                                   .Help("Requests waiting for a request worker")
                                   .Register(*registry)
                                   .Add({});
};

Metrics::Metrics() : impl_(std::make_unique<Impl>()) {}
Metrics::~Metrics() = default;

void Metrics::request(const std::string& route, const std::string& method, int status, double seconds) {
    impl_->requests.Add({{"route", route}, {"method", method}, {"status", std::to_string(status)}}).Increment();
    static const prometheus::Histogram::BucketBoundaries buckets = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025,
                                                                    0.05,   0.1,   0.25,   0.5,   1,    2.5};
    impl_->latency.Add({{"route", route}}, buckets).Observe(seconds);
}

void Metrics::throttled() { impl_->throttled.Increment(); }
void Metrics::idempotent_replay() { impl_->replays.Increment(); }
void Metrics::password_busy() { impl_->password_busy.Increment(); }
void Metrics::audit_append() { impl_->audit_appends.Increment(); }
void Metrics::webhook(const std::string& outcome) { impl_->webhooks.Add({{"outcome", outcome}}).Increment(); }
void Metrics::error_captured() { impl_->errors.Increment(); }

void Metrics::transaction(const char* mode, double wait_seconds, double held_seconds) {
    const bool read = mode[0] == 'r';
    (read ? impl_->read_wait : impl_->write_wait).Observe(wait_seconds);
    (read ? impl_->read_held : impl_->write_held).Observe(held_seconds);
}

void Metrics::queue_depth(int delta) {
    if (delta > 0) impl_->queue.Increment(delta);
    else impl_->queue.Decrement(-delta);
}

std::string Metrics::text() const {
    std::ostringstream out;
    prometheus::TextSerializer().Serialize(out, impl_->registry->Collect());
    return out.str();
}

prometheus::Registry& Metrics::registry() { return *impl_->registry; }

}  // namespace cp::server
