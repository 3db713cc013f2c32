#pragma once
// Stripe event payloads as Stripe sends them (API 2023+ shapes, amounts in minor units),
// for the webhook tests.
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>

namespace cp::test::stripe {

using nlohmann::json;

inline json event(const std::string& id, const std::string& type, std::int64_t created, json object) {
    return {{"id", id},
            {"object", "event"},
            {"api_version", "2024-06-20"},
            {"created", created},
            {"livemode", false},
            {"pending_webhooks", 1},
            {"type", type},
            {"data", {{"object", std::move(object)}}}};
}

inline json intent(const std::string& pi, const std::string& invoice_id, std::int64_t amount,
                   const std::string& status = "succeeded", const std::string& charge = "") {
    json o{{"id", pi},
           {"object", "payment_intent"},
           {"amount", amount},
           {"amount_received", status == "succeeded" ? amount : 0},
           {"currency", "usd"},
           {"status", status},
           {"latest_charge", charge.empty() ? json(nullptr) : json(charge)},
           {"metadata", {{"invoice_id", invoice_id}}}};
    if (status == "requires_payment_method") {
        o["last_payment_error"] = {{"code", "card_declined"},
                                   {"decline_code", "insufficient_funds"},
                                   {"message", "Your card has insufficient funds."}};
    }
    return o;
}

inline json charge_refunded(const std::string& ch, const std::string& pi, std::int64_t amount,
                            std::int64_t refunded_total, const json& refunds = json::array()) {
    return {{"id", ch},
            {"object", "charge"},
            {"amount", amount},
            {"amount_refunded", refunded_total},
            {"currency", "usd"},
            {"payment_intent", pi},
            {"refunded", refunded_total == amount},
            {"refunds", {{"object", "list"}, {"data", refunds}}}};
}

// A Dispute; `withdrawn` adds the balance transaction of the funds (and fee) taken,
// `reinstated` the one giving them back.
inline json dispute(const std::string& dp, const std::string& ch, const std::string& pi, std::int64_t amount,
                    const std::string& status, bool withdrawn = false, bool reinstated = false,
                    std::int64_t fee = 1500, std::int64_t due_by = 1'791'000'000) {
    json bts = json::array();
    if (withdrawn) bts.push_back({{"object", "balance_transaction"}, {"amount", -amount}, {"fee", fee}});
    if (reinstated) bts.push_back({{"object", "balance_transaction"}, {"amount", amount}, {"fee", 0}});
    return {{"id", dp},
            {"object", "dispute"},
            {"amount", amount},
            {"currency", "usd"},
            {"charge", ch},
            {"payment_intent", pi},
            {"reason", "fraudulent"},
            {"status", status},
            {"evidence_details", {{"due_by", due_by}, {"has_evidence", false}}},
            {"balance_transactions", bts}};
}

}  // namespace cp::test::stripe
