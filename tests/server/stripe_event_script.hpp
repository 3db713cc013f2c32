#pragma once
// A scripted history of Stripe events over many invoices, for the convergence and load
// tests: 20 events per invoice, in the order Stripe would send them, covering payments
// (with a failure first), cumulative refunds, disputes won and lost, split payments and an
// inquiry, padded with event types we do not handle. The expected end state of each
// invoice is known in closed form, so a test can check more than "all orders agree".
#include <algorithm>
#include <atomic>
#include <cstdint>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "server/http/transport.hpp"
#include "server/payments/stripe_signature.hpp"
#include "tests/server/stripe_event_builders.hpp"

namespace cp::test::stripe {

inline constexpr int kEventsPerInvoice = 20;

struct Expected {
    std::string status;
    std::int64_t amount_paid = 0;
};

// `total` of invoice `index` (so amounts differ between invoices, odd ones included).
inline std::int64_t script_total(int index) { return 10000 + 137 * index; }

inline Expected expected_end(int index) {
    const std::int64_t t = script_total(index);
    switch (index % 5) {
        case 1:
            return {"partial", t - 2 * (t / 4)};  // two refunds of a quarter (cumulative totals)
        case 3:
            return {"charged_back", 0};  // dispute lost
        default:
            return {"paid", t};  // paid after a failure, dispute won, or split with an inquiry closed
    }
}

// The events of invoice `index` (id `invoice_id`) in delivery order; `run` keeps the
// processor ids of separate runs apart.
inline std::vector<json> invoice_script(const std::string& run, int index, const std::string& invoice_id,
                                        std::int64_t start) {
    const std::string tag = run + "_" + std::to_string(index);
    const std::string pi = "pi_" + tag + "_1", ch = "ch_" + tag + "_1", dp = "dp_" + tag;
    const std::int64_t total = script_total(index);
    std::vector<json> out;
    std::int64_t clock = start;
    auto add = [&](const std::string& type, json object) {
        out.push_back(event("evt_" + tag + "_" + std::to_string(out.size()), type, clock += 7, std::move(object)));
    };
    auto noise = [&] { add("charge.succeeded", {{"id", ch}, {"object", "charge"}, {"amount", total}}); };
    auto refund_list = [&](int n) {
        json data = json::array();
        for (int k = 1; k <= n; ++k) data.push_back({{"id", "re_" + tag + "_" + std::to_string(k)}, {"amount", total / 4}, {"status", "succeeded"}});
        return data;
    };
    add("payment_intent.created", {{"id", pi}, {"object", "payment_intent"}, {"amount", total}});
    switch (index % 5) {
        case 0:
            add("payment_intent.payment_failed", intent(pi, invoice_id, total, "requires_payment_method"));
            add("payment_intent.succeeded", intent(pi, invoice_id, total, "succeeded", ch));
            break;
        case 1:
            add("payment_intent.succeeded", intent(pi, invoice_id, total, "succeeded", ch));
            add("charge.refunded", charge_refunded(ch, pi, total, total / 4, refund_list(1)));
            add("charge.refunded", charge_refunded(ch, pi, total, 2 * (total / 4), refund_list(2)));
            break;
        case 2:
            add("payment_intent.succeeded", intent(pi, invoice_id, total, "succeeded", ch));
            add("charge.dispute.created", dispute(dp, ch, pi, total, "needs_response"));
            add("charge.dispute.funds_withdrawn", dispute(dp, ch, pi, total, "needs_response", true));
            add("charge.dispute.updated", dispute(dp, ch, pi, total, "under_review", true));
            add("charge.dispute.closed", dispute(dp, ch, pi, total, "won", true));
            add("charge.dispute.funds_reinstated", dispute(dp, ch, pi, total, "won", true, true));
            break;
        case 3:
            add("payment_intent.succeeded", intent(pi, invoice_id, total, "succeeded", ch));
            add("charge.dispute.created", dispute(dp, ch, pi, total, "needs_response"));
            add("charge.dispute.funds_withdrawn", dispute(dp, ch, pi, total, "needs_response", true));
            add("charge.dispute.updated", dispute(dp, ch, pi, total, "under_review", true));
            add("charge.dispute.closed", dispute(dp, ch, pi, total, "lost", true));
            break;
        default: {
            const std::string pi2 = "pi_" + tag + "_2", ch2 = "ch_" + tag + "_2";
            add("payment_intent.succeeded", intent(pi, invoice_id, total / 2, "succeeded", ch));
            add("payment_intent.payment_failed", intent(pi2, invoice_id, total - total / 2, "requires_payment_method"));
            add("payment_intent.succeeded", intent(pi2, invoice_id, total - total / 2, "succeeded", ch2));
            add("charge.dispute.created", dispute(dp, ch, pi, total / 2, "warning_needs_response"));
            add("charge.dispute.closed", dispute(dp, ch, pi, total / 2, "warning_closed"));
            break;
        }
    }
    while (out.size() < static_cast<std::size_t>(kEventsPerInvoice)) noise();
    return out;
}

// Signs and posts each body in `bodies` from `senders` threads over loopback HTTP, as Stripe
// would (a non-2xx answer is retried, like Stripe's redelivery); returns the statuses of
// the last attempt of each and how many attempts were retried.
struct Delivery {
    std::vector<int> final_status;
    std::atomic<int> retries{0};
};

inline void deliver_all(std::uint16_t port, const std::vector<std::string>& bodies, int senders,
                        const std::string& secret, std::int64_t now, Delivery& out) {
    out.final_status.assign(bodies.size(), 0);
    std::atomic<std::size_t> next{0};
    std::vector<std::thread> threads;
    for (int s = 0; s < senders; ++s) {
        threads.emplace_back([&] {
            for (std::size_t i = next++; i < bodies.size(); i = next++) {
                for (int attempt = 0; attempt < 20; ++attempt) {
                    auto r = http::request(port, "POST", "/api/v1/webhooks/stripe",
                                           {{"Content-Type", "application/json"},
                                            {"Stripe-Signature", server::payments::stripe_signature_header(
                                                                     bodies[i], secret, now)}},
                                           bodies[i]);
                    out.final_status[i] = r.status;
                    if (r.status == 200) break;
                    ++out.retries;
                    std::this_thread::sleep_for(std::chrono::milliseconds(5 * (attempt + 1)));
                }
            }
        });
    }
    for (auto& t : threads) t.join();
}

}  // namespace cp::test::stripe
