#pragma once
// The payment processor interface and its two implementations: the built-in sandbox
// (demo and tests; Stripe's own test payment-method ids) and Stripe's HTTP API
// (stripe_processor.cpp). Chosen by `--processor sandbox|stripe` / CP_PROCESSOR.
//
// Calls are made *outside* any database transaction: the payment row is committed as
// `pending` before, and settled in a new transaction after. Every call carries an
// idempotency key the caller derived and stored first (invoice + attempt for autopay), so
// repeating a call whose answer was lost (timeout, crash) never charges twice.
#include <chrono>
#include <cstdint>
#include <memory>
#include <string>

namespace cp::server::payments {

struct ChargeRequest {
    std::string idempotency_key;
    std::string firm_id, invoice_id, payment_id;
    std::string customer;        // processor customer ("cus_…"), may be empty
    std::string payment_method;  // processor payment method ("pm_…")
    std::string currency;        // ISO code, upper case
    std::int64_t amount = 0;     // minor units
    bool off_session = false;    // autopay: the customer is not present
};

enum class Outcome {
    succeeded,
    failed,           // declined or refused: failure_code says why
    requires_action,  // the customer must authenticate (3-D Secure); left for the client
    unknown,          // no answer (timeout, 5xx, rate limit): stays pending, reconcile later
};

struct ChargeResult {
    Outcome outcome = Outcome::unknown;
    std::string processor_id;  // "pi_…"
    std::string failure_code;  // ours: card_declined, insufficient_funds, … (see docs)
    std::string failure_message;
};

struct RefundRequest {
    std::string idempotency_key;
    std::string payment_processor_id;  // the PaymentIntent
    std::string currency;
    std::int64_t amount = 0;
};

struct RefundResult {
    Outcome outcome = Outcome::unknown;  // succeeded, failed or unknown
    std::string processor_id;            // "re_…"
    std::string failure_code, failure_message;
};

class Processor {
public:
    virtual ~Processor() = default;
    virtual std::string name() const = 0;  // "sandbox" or "stripe"
    virtual ChargeResult charge(const ChargeRequest& request) = 0;
    virtual RefundResult refund(const RefundRequest& request) = 0;
};

// pm_card_visa (and any other id) succeeds; pm_card_chargeDeclined -> card_declined;
// pm_card_chargeDeclinedInsufficientFunds -> insufficient_funds;
// pm_card_authenticationRequired -> requires_action (off-session: authentication_required
// as a failure, like Stripe). Deterministic and stateless: the same request gets the same
// answer, as an idempotent replay would.
class SandboxProcessor final : public Processor {
public:
    std::string name() const override { return "sandbox"; }
    ChargeResult charge(const ChargeRequest& request) override;
    RefundResult refund(const RefundRequest& request) override;
};

struct StripeConfig {
    std::string api_key;                                 // CP_STRIPE_API_KEY
    std::string api_base = "https://api.stripe.com";     // CP_STRIPE_API_BASE (http:// for tests)
    std::chrono::milliseconds timeout{20000};            // connect + write + read
};

class StripeProcessor final : public Processor {
public:
    explicit StripeProcessor(StripeConfig config);
    std::string name() const override { return "stripe"; }
    ChargeResult charge(const ChargeRequest& request) override;
    RefundResult refund(const RefundRequest& request) override;

private:
    StripeConfig config_;
};

// Our failure code for a Stripe error object (`error.code`, `error.decline_code`); the
// mapping is listed in docs/decisions/billing-payments.md.
std::string failure_code_from_stripe(const std::string& code, const std::string& decline_code);

// "sandbox" or "stripe" (from CP_STRIPE_API_KEY / CP_STRIPE_API_BASE); throws on another
// name or a stripe processor without an API key.
std::shared_ptr<Processor> make_processor(const std::string& name);

}  // namespace cp::server::payments
