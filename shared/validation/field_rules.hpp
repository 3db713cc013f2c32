#pragma once
// Format rules shared by several DTOs (emails, slugs, zone names, currencies, card-number
// leaks), each recording its own stable error code on the reader.
#include <string>
#include <string_view>

#include "shared/validation/json_reader.hpp"

namespace cp::validation {

inline constexpr size_t kMaxNameLength = 200;
inline constexpr size_t kMaxEmailLength = 254;
inline constexpr size_t kMaxTimeZoneLength = 64;

// Plain checks, usable outside a reader.
bool is_plausible_email(std::string_view s);      // local@domain.tld, no spaces
bool is_valid_slug(std::string_view s);           // [a-z0-9-]{3,63}
bool is_iana_zone_name(std::string_view s);       // "America/New_York", "UTC", "Etc/GMT+5"
bool looks_like_card_number(std::string_view s);  // 12..19 digits, spaces/dashes ignored

// Reader helpers: nullptr when absent or invalid (the error is recorded).
const std::string* read_email(JsonReader& r, std::string_view key, Presence presence);  // INVALID_EMAIL
const std::string* read_slug(JsonReader& r, std::string_view key, Presence presence);   // INVALID_SLUG
const std::string* read_time_zone(JsonReader& r, std::string_view key,
                                  Presence presence);  // INVALID_TIME_ZONE
const std::string* read_currency(JsonReader& r, std::string_view key, Presence presence);  // UNKNOWN_CURRENCY
// A processor's payment-method reference ("pm_…"), never raw card data (INVALID_FORMAT).
const std::string* read_payment_method_ref(JsonReader& r, std::string_view key, Presence presence);

}  // namespace cp::validation
