#pragma once
// Small crypto helpers: random ids and tokens, SHA-256 in hex, constant-time compare.
#include <string>
#include <string_view>

namespace cp::server {

// Object ids look like "cli_0190f3a2b4c5d6e7f8a9b0c1": a prefix naming the type, then
// 12 hex digits of milliseconds and 4 of a counter (so ids sort by creation), then 8
// random hex digits.
// Strings, not integers: not guessable in sequence, and safe in JavaScript.
std::string new_id(std::string_view prefix);

// 32 random bytes as 64 hex digits: bearer tokens, never stored in clear.
std::string random_token();

std::string sha256_hex(std::string_view data);

bool constant_time_equal(std::string_view a, std::string_view b);

}  // namespace cp::server
