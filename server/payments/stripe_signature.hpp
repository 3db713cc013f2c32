#pragma once
// Stripe's webhook signature scheme, checked on the raw body before anything parses it:
// header "t=<unix seconds>,v1=<hex>[,v1=<hex>…][,v0=…]"; the signature is HMAC-SHA256 keyed
// by the whole endpoint secret ("whsec_…", as a string) over "<t>.<raw body>". Any v1 may
// match (secrets roll with an overlap); v0 (test-mode legacy) is ignored; a timestamp more
// than the tolerance away from now, in the past or the future, is a replay and refused.
#include <cstdint>
#include <string>
#include <string_view>

namespace cp::server::payments {

inline constexpr std::int64_t kWebhookTolerance = 300;

enum class SignatureCheck { valid, malformed_header, no_signature, mismatch, stale };

SignatureCheck verify_stripe_signature(std::string_view header, std::string_view raw_body, std::string_view secret,
                                       std::int64_t now, std::int64_t tolerance = kWebhookTolerance);

// The header a sender computes for `raw_body` at time `t` (tests and tools sign with it).
std::string stripe_signature_header(std::string_view raw_body, std::string_view secret, std::int64_t t);

}  // namespace cp::server::payments
