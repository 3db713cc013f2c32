#pragma once
// Stripe events, verified by the caller (stripe_signature.hpp), stored and applied once.
// Every event is kept by its id with its raw payload; a redelivery changes nothing.
// Handled: payment_intent.succeeded / payment_failed, charge.refunded and the
// charge.dispute.* family. An event about a payment we have not seen yet (a refund or a
// dispute delivered before its payment) is parked and applied when the payment arrives,
// so any order of delivery ends in the same state.
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>

#include "server/payments/payment_service.hpp"
#include "server/storage/database.hpp"
#include "server/util/zones.hpp"

namespace cp::server::payments {

struct EventReceipt {
    // applied | ignored (type not handled) | unmatched (no invoice of ours) | parked |
    // invalid (a handled type whose object lacks what we need) | duplicate (seen before)
    std::string status;
    std::string detail;
};

// Whether `event` has the shape of an event at all: an object with string `id` and
// `type`, integer `created` and an object `data.object`.
bool is_event(const json& event);

// Stores and applies `event` in `tx` (on PostgreSQL under one advisory lock, so concurrent
// deliveries apply one at a time and a parked event never misses its parent).
EventReceipt receive_stripe_event(storage::Transaction& tx, Zones& zones, const json& event,
                                  const std::string& raw_payload, std::int64_t now);

json webhook_event_json(const storage::Row& event);

}  // namespace cp::server::payments
