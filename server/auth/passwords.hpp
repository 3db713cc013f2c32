#pragma once
// Argon2id via libsodium. Cost is configurable: production uses libsodium's INTERACTIVE
// limits; tests use the minimum so the suite stays fast.
#include <cstddef>
#include <string>
#include <string_view>

namespace cp::server {

struct PasswordParams {
    unsigned long long opslimit;
    std::size_t memlimit;
    static PasswordParams interactive();
    static PasswordParams minimum();  // tests only
};

std::string hash_password(std::string_view password, const PasswordParams& params);
bool verify_password(const std::string& stored_hash, std::string_view password);

// A valid hash of a random password, verified against when an account does not exist so
// that a login for an unknown email costs the same time as one with a wrong password.
const std::string& decoy_hash(const PasswordParams& params);

}  // namespace cp::server
