#include "server/auth/passwords.hpp"

#include <sodium.h>

#include <mutex>
#include <stdexcept>

#include "server/util/crypto.hpp"

namespace cp::server {

PasswordParams PasswordParams::interactive() {
    return {crypto_pwhash_OPSLIMIT_INTERACTIVE, crypto_pwhash_MEMLIMIT_INTERACTIVE};
}

PasswordParams PasswordParams::minimum() { return {crypto_pwhash_OPSLIMIT_MIN, crypto_pwhash_MEMLIMIT_MIN}; }

std::string hash_password(std::string_view password, const PasswordParams& params) {
    if (sodium_init() < 0) throw std::runtime_error("libsodium failed to initialise");
    char out[crypto_pwhash_STRBYTES];
    if (crypto_pwhash_str_alg(out, password.data(), password.size(), params.opslimit, params.memlimit,
                              crypto_pwhash_ALG_ARGON2ID13) != 0) {
        throw std::runtime_error("password hashing ran out of memory");
    }
    return out;
}

bool verify_password(const std::string& stored_hash, std::string_view password) {
    if (sodium_init() < 0) return false;
    return crypto_pwhash_str_verify(stored_hash.c_str(), password.data(), password.size()) == 0;
}

const std::string& decoy_hash(const PasswordParams& params) {
    static std::once_flag once;
    static std::string hash;
    std::call_once(once, [&] { hash = hash_password(random_token(), params); });
    return hash;
}

}  // namespace cp::server
