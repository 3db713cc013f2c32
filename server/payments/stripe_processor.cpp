// Stripe's HTTP API over a small Boost.Beast client: form-encoded POSTs with a bearer key
// and an Idempotency-Key, one connection per call, one deadline for the whole exchange
// (connect, TLS, write, read). A timeout, a connection failure, a 409 (the same key still
// in flight), a 429 or a 5xx is Outcome::unknown: the payment stays pending and a later
// reconcile repeats the call with the same key (Stripe answers with the saved result).
#include <boost/asio/ssl.hpp>
#include <boost/beast/ssl.hpp>
#include <cstdlib>
#include <functional>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <stdexcept>

#include "server/http/beast_pch.hpp"
#include "server/http/outbound.hpp"
#include "server/payments/processor.hpp"
#include "shared/protocol/json_input.hpp"

namespace cp::server::payments {

namespace {

namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
namespace asio = boost::asio;
namespace ssl = boost::asio::ssl;
using tcp = asio::ip::tcp;
using nlohmann::json;

using Base = ::cp::http::Endpoint;
using HttpAnswer = ::cp::http::OutboundAnswer;
using Exchange = ::cp::http::OutboundPost;

Base parse_base(const std::string& url) {
    Base b;
    std::string rest;
    if (url.rfind("https://", 0) == 0) {
        rest = url.substr(8);
    } else if (url.rfind("http://", 0) == 0) {
        b.tls = false;
        rest = url.substr(7);
    } else {
        throw std::invalid_argument("CP_STRIPE_API_BASE must start with https:// or http://");
    }
    auto slash = rest.find('/');
    std::string authority = rest.substr(0, slash);
    if (slash != std::string::npos) b.prefix = rest.substr(slash);
    while (!b.prefix.empty() && b.prefix.back() == '/') b.prefix.pop_back();
    auto colon = authority.rfind(':');
    if (colon != std::string::npos) {
        b.host = authority.substr(0, colon);
        b.port = authority.substr(colon + 1);
    } else {
        b.host = authority;
        b.port = b.tls ? "443" : "80";
    }
    if (b.host.empty()) throw std::invalid_argument("CP_STRIPE_API_BASE has no host");
    return b;
}

std::string form_escape(const std::string& s) {
    static constexpr char kHex[] = "0123456789ABCDEF";
    std::string out;
    for (unsigned char c : s) {
        if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
            out.push_back(static_cast<char>(c));
        } else {
            out += '%';
            out += kHex[c >> 4];
            out += kHex[c & 15];
        }
    }
    return out;
}

std::string form_encode(const std::vector<std::pair<std::string, std::string>>& fields) {
    std::string out;
    for (const auto& [k, v] : fields) {
        if (!out.empty()) out += '&';
        out += form_escape(k) + "=" + form_escape(v);
    }
    return out;
}

std::string lower(std::string s) {
    for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
}

// An answer that did not settle anything: timeout, connection failure, 409/429/5xx, or an
// authentication problem on our side (a wrong key must not fail the client's invoice).
bool indeterminate(const HttpAnswer& a) {
    return !a.answered || a.status == 401 || a.status == 403 || a.status == 409 || a.status == 429 ||
           a.status >= 500;
}

std::string describe(const HttpAnswer& a) {
    return a.answered ? "processor answered HTTP " + std::to_string(a.status) : "processor: " + a.error;
}

// One form-encoded POST to Stripe under an idempotency key. `body` is the answer read by the
// project's bounded JSON reader (a processor is outside input too), discarded when not JSON.
struct StripeAnswer {
    HttpAnswer http;
    json body;
};

StripeAnswer post_form(const StripeConfig& config, const std::string& path, const std::string& idempotency_key,
                       const std::vector<std::pair<std::string, std::string>>& form) {
    Exchange exchange(parse_base(config.api_base), config.timeout);
    StripeAnswer out;
    out.http = exchange.post(path,
                             {{"Authorization", "Bearer " + config.api_key},
                              {"Idempotency-Key", idempotency_key},
                              {"Content-Type", "application/x-www-form-urlencoded"}},
                             form_encode(form));
    auto parsed = protocol::parse_json_input(out.http.body);
    out.body = parsed ? std::move(parsed).value() : json(json::value_t::discarded);
    return out;
}

}  // namespace

std::string failure_code_from_stripe(const std::string& code, const std::string& decline_code) {
    if (decline_code == "insufficient_funds" || code == "insufficient_funds") return "insufficient_funds";
    if (decline_code == "authentication_required" || code == "authentication_required" ||
        code == "payment_intent_authentication_failure")
        return "authentication_required";
    if (code == "expired_card" || decline_code == "expired_card") return "expired_card";
    if (code == "incorrect_cvc" || decline_code == "incorrect_cvc") return "incorrect_cvc";
    if (code == "incorrect_number" || code == "invalid_number") return "invalid_card";
    if (code == "processing_error" || decline_code == "processing_error") return "processing_error";
    if (code == "card_declined") return "card_declined";
    if (code == "resource_missing" || code == "payment_method_unexpected_state" ||
        code == "payment_intent_unexpected_state")
        return "invalid_payment_method";
    if (code == "amount_too_small" || code == "amount_too_large") return "amount_not_allowed";
    return "processor_rejected";
}

StripeProcessor::StripeProcessor(StripeConfig config) : config_(std::move(config)) {
    parse_base(config_.api_base);  // fail at start, not at the first charge
}

ChargeResult StripeProcessor::charge(const ChargeRequest& request) {
    std::vector<std::pair<std::string, std::string>> form{
        {"amount", std::to_string(request.amount)},
        {"currency", lower(request.currency)},
        {"payment_method", request.payment_method},
        {"confirm", "true"},
        {"metadata[invoice_id]", request.invoice_id},
        {"metadata[payment_id]", request.payment_id},
        {"metadata[firm_id]", request.firm_id},
    };
    if (!request.customer.empty()) form.emplace_back("customer", request.customer);
    if (request.off_session) form.emplace_back("off_session", "true");
    auto [a, body] = post_form(config_, "/v1/payment_intents", request.idempotency_key, form);
    ChargeResult r;
    if (indeterminate(a)) {
        r.outcome = Outcome::unknown;
        r.failure_message = describe(a);
        return r;
    }
    if (!body.is_object()) {
        r.outcome = Outcome::unknown;
        r.failure_message = "processor answered HTTP " + std::to_string(a.status) + " without JSON";
        return r;
    }
    if (a.status == 200) {
        r.processor_id = body.value("id", "");
        const std::string status = body.value("status", "");
        if (status == "succeeded") {
            r.outcome = Outcome::succeeded;
        } else if (status == "requires_action") {
            r.outcome = Outcome::requires_action;
        } else if (status == "requires_payment_method") {
            const json err = body.value("last_payment_error", json::object());
            r.outcome = Outcome::failed;
            r.failure_code = failure_code_from_stripe(err.value("code", ""), err.value("decline_code", ""));
            r.failure_message = err.value("message", "The payment method was refused.");
        } else {
            r.outcome = Outcome::unknown;  // processing: settles later
            r.failure_message = "payment intent is " + status;
        }
        return r;
    }
    // 400 / 402 / 404: Stripe's error object.
    const json err = body.value("error", json::object());
    r.outcome = Outcome::failed;
    r.failure_code = failure_code_from_stripe(err.value("code", ""), err.value("decline_code", ""));
    r.failure_message = err.value("message", "The processor refused the payment.");
    if (err.contains("payment_intent") && err["payment_intent"].is_object())
        r.processor_id = err["payment_intent"].value("id", "");
    return r;
}

RefundResult StripeProcessor::refund(const RefundRequest& request) {
    std::vector<std::pair<std::string, std::string>> form{
        {"payment_intent", request.payment_processor_id},
        {"amount", std::to_string(request.amount)},
    };
    auto [a, body] = post_form(config_, "/v1/refunds", request.idempotency_key, form);
    RefundResult r;
    if (indeterminate(a)) {
        r.outcome = Outcome::unknown;
        r.failure_message = describe(a);
        return r;
    }
    if (!body.is_object()) {
        r.outcome = Outcome::unknown;
        r.failure_message = "processor answered without JSON";
        return r;
    }
    if (a.status == 200) {
        r.processor_id = body.value("id", "");
        const std::string status = body.value("status", "");
        // A pending refund is accepted by the processor; it does not come back.
        r.outcome = status == "failed" || status == "canceled" ? Outcome::failed : Outcome::succeeded;
        if (r.outcome == Outcome::failed) {
            r.failure_code = "refund_failed";
            r.failure_message = body.value("failure_reason", "The refund failed.");
        }
        return r;
    }
    const json err = body.value("error", json::object());
    r.outcome = Outcome::failed;
    r.failure_code = err.value("code", "refund_rejected");
    r.failure_message = err.value("message", "The processor refused the refund.");
    return r;
}

std::shared_ptr<Processor> make_processor(const std::string& name) {
    if (name.empty() || name == "sandbox") return std::make_shared<SandboxProcessor>();
    if (name == "stripe") {
        StripeConfig c;
        const char* key = std::getenv("CP_STRIPE_API_KEY");
        if (!key || !*key) throw std::invalid_argument("the stripe processor needs CP_STRIPE_API_KEY");
        c.api_key = key;
        if (const char* base = std::getenv("CP_STRIPE_API_BASE"); base && *base) c.api_base = base;
        return std::make_shared<StripeProcessor>(c);
    }
    throw std::invalid_argument("--processor must be sandbox or stripe");
}

}  // namespace cp::server::payments
