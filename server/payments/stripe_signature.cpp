#include "server/payments/stripe_signature.hpp"

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <charconv>
#include <vector>

#include "server/util/crypto.hpp"

namespace cp::server::payments {

namespace {

std::string hmac_sha256_hex(std::string_view key, std::string_view data) {
    unsigned char mac[EVP_MAX_MD_SIZE];
    unsigned int length = 0;
    if (!HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
              reinterpret_cast<const unsigned char*>(data.data()), data.size(), mac, &length)) {
        return {};
    }
    static constexpr char kHex[] = "0123456789abcdef";
    std::string out;
    out.reserve(length * 2);
    for (unsigned int i = 0; i < length; ++i) {
        out += kHex[mac[i] >> 4];
        out += kHex[mac[i] & 15];
    }
    return out;
}

std::string signed_payload(std::string_view t, std::string_view raw_body) {
    std::string payload;
    payload.reserve(t.size() + 1 + raw_body.size());
    payload.append(t);
    payload += '.';
    payload.append(raw_body);
    return payload;
}

}  // namespace

SignatureCheck verify_stripe_signature(std::string_view header, std::string_view raw_body, std::string_view secret,
                                       std::int64_t now, std::int64_t tolerance) {
    if (secret.empty() || header.size() > 4096) return SignatureCheck::malformed_header;
    std::string_view t_text;
    std::vector<std::string_view> v1;
    while (!header.empty()) {
        const auto comma = header.find(',');
        std::string_view item = header.substr(0, comma);
        header = comma == std::string_view::npos ? std::string_view{} : header.substr(comma + 1);
        while (!item.empty() && item.front() == ' ') item.remove_prefix(1);
        const auto eq = item.find('=');
        if (eq == std::string_view::npos) continue;
        const std::string_view key = item.substr(0, eq), value = item.substr(eq + 1);
        if (key == "t") {
            if (!t_text.empty()) return SignatureCheck::malformed_header;
            t_text = value;
        } else if (key == "v1") {
            v1.push_back(value);
        }
    }
    std::int64_t t = 0;
    if (t_text.empty() || t_text.size() > 12) return SignatureCheck::malformed_header;
    auto [end, ec] = std::from_chars(t_text.data(), t_text.data() + t_text.size(), t);
    if (ec != std::errc() || end != t_text.data() + t_text.size()) return SignatureCheck::malformed_header;
    if (v1.empty()) return SignatureCheck::no_signature;
    const std::string expected = hmac_sha256_hex(secret, signed_payload(t_text, raw_body));
    bool match = false;
    // Every candidate is compared in full, so timing tells nothing about which one matched.
    for (auto candidate : v1) match = constant_time_equal(expected, candidate) || match;
    if (!match) return SignatureCheck::mismatch;
    if (t < now - tolerance || t > now + tolerance) return SignatureCheck::stale;
    return SignatureCheck::valid;
}

std::string stripe_signature_header(std::string_view raw_body, std::string_view secret, std::int64_t t) {
    const std::string t_text = std::to_string(t);
    return "t=" + t_text + ",v1=" + hmac_sha256_hex(secret, signed_payload(t_text, raw_body));
}

}  // namespace cp::server::payments
