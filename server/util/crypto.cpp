#include "server/util/crypto.hpp"

#include <fmt/format.h>
#include <openssl/crypto.h>
#include <openssl/sha.h>
#include <sodium.h>

#include <atomic>
#include <chrono>
#include <cstdint>

namespace cp::server {
namespace {

std::string to_hex(const unsigned char* data, std::size_t size) {
    static const char digits[] = "0123456789abcdef";
    std::string out;
    out.reserve(size * 2);
    for (std::size_t i = 0; i < size; ++i) {
        out.push_back(digits[data[i] >> 4]);
        out.push_back(digits[data[i] & 0x0f]);
    }
    return out;
}

void ensure_sodium() {
    // sodium_init is idempotent and thread-safe; calling it here keeps callers simple.
    static const int once = sodium_init();
    (void)once;
}

}  // namespace

std::string new_id(std::string_view prefix) {
    ensure_sodium();
    using namespace std::chrono;
    auto ms = duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
    // A process-wide counter keeps ids made within one millisecond in creation order
    // (lists page by id); the random part keeps them unguessable.
    static std::atomic<std::uint32_t> counter{0};
    unsigned char random[4];
    randombytes_buf(random, sizeof random);
    return fmt::format("{}_{:012x}{:04x}{}", prefix, static_cast<std::uint64_t>(ms) & 0xffffffffffffULL,
                       counter.fetch_add(1) & 0xffffu, to_hex(random, sizeof random));
}

std::string random_token() {
    ensure_sodium();
    unsigned char bytes[32];
    randombytes_buf(bytes, sizeof bytes);
    return to_hex(bytes, sizeof bytes);
}

std::string sha256_hex(std::string_view data) {
    unsigned char digest[SHA256_DIGEST_LENGTH];
    SHA256(reinterpret_cast<const unsigned char*>(data.data()), data.size(), digest);
    return to_hex(digest, sizeof digest);
}

bool constant_time_equal(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) return false;
    return CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace cp::server
