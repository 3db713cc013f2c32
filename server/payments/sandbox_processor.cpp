#include <string_view>

#include "server/payments/processor.hpp"
#include "server/util/crypto.hpp"

namespace cp::server::payments {

namespace {
// A stable fake id per idempotency key: a replay answers with the same object, like Stripe.
std::string fake_id(const char* prefix, const std::string& key) {
    return std::string(prefix) + sha256_hex("sandbox:" + key).substr(0, 24);
}
}  // namespace

ChargeResult SandboxProcessor::charge(const ChargeRequest& request) {
    ChargeResult r;
    r.processor_id = fake_id("pi_sandbox_", request.idempotency_key);
    const std::string& pm = request.payment_method;
    if (pm == "pm_card_chargeDeclined") {
        r.outcome = Outcome::failed;
        r.failure_code = "card_declined";
        r.failure_message = "Your card was declined.";
    } else if (pm == "pm_card_chargeDeclinedInsufficientFunds") {
        r.outcome = Outcome::failed;
        r.failure_code = "insufficient_funds";
        r.failure_message = "Your card has insufficient funds.";
    } else if (pm == "pm_card_authenticationRequired") {
        // On session the customer can authenticate; off session (autopay) Stripe refuses
        // with authentication_required, and so do we.
        if (request.off_session) {
            r.outcome = Outcome::failed;
            r.failure_code = "authentication_required";
            r.failure_message = "This payment requires the customer to authenticate.";
        } else {
            r.outcome = Outcome::requires_action;
        }
    } else {
        r.outcome = Outcome::succeeded;
    }
    return r;
}

RefundResult SandboxProcessor::refund(const RefundRequest& request) {
    RefundResult r;
    r.outcome = Outcome::succeeded;
    r.processor_id = fake_id("re_sandbox_", request.idempotency_key);
    return r;
}

}  // namespace cp::server::payments
