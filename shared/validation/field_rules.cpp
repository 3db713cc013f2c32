#include "shared/validation/field_rules.hpp"

#include "shared/money/currency.hpp"
#include "shared/time/zone_name.hpp"

namespace cp::validation {

namespace {
bool is_lower_alnum(char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); }
bool is_digit(char c) { return c >= '0' && c <= '9'; }
}  // namespace

bool is_plausible_email(std::string_view s) {
    // Deliberately simple: deliverability is proven by sending, not by a regex.
    if (s.empty() || s.size() > kMaxEmailLength) return false;
    const size_t at = s.find('@');
    if (at == std::string_view::npos || at == 0 || at > 64 || s.find('@', at + 1) != std::string_view::npos) {
        return false;
    }
    for (char c : s) {
        if (static_cast<unsigned char>(c) <= ' ' || c == '"' || c == '(' || c == ')' || c == ',' ||
            c == ':' || c == ';' || c == '<' || c == '>' || c == '[' || c == ']' || c == '\\') {
            return false;
        }
    }
    std::string_view domain = s.substr(at + 1);
    const size_t dot = domain.rfind('.');
    return dot != std::string_view::npos && dot != 0 && dot + 1 < domain.size() &&
           domain.find("..") == std::string_view::npos && domain.front() != '-';
}

bool is_valid_slug(std::string_view s) {
    if (s.size() < 3 || s.size() > 63) return false;
    for (char c : s) {
        if (!is_lower_alnum(c) && c != '-') return false;
    }
    return true;
}

bool is_iana_zone_name(std::string_view s) { return time::is_iana_zone_name(s); }

bool looks_like_card_number(std::string_view s) {
    size_t digits = 0;
    for (char c : s) {
        if (is_digit(c)) {
            ++digits;
        } else if (c != ' ' && c != '-') {
            return false;
        }
    }
    return digits >= 12 && digits <= 19;
}

const std::string* read_email(JsonReader& r, std::string_view key, Presence presence) {
    const std::string* s = r.string(key, presence, kMaxEmailLength);
    if (s && !is_plausible_email(*s)) {
        r.add("INVALID_EMAIL", key, "must be an email address like name@example.com");
        return nullptr;
    }
    return s;
}

const std::string* read_slug(JsonReader& r, std::string_view key, Presence presence) {
    const std::string* s = r.string(key, presence);
    if (s && !is_valid_slug(*s)) {
        r.add("INVALID_SLUG", key, "must be 3 to 63 characters of a-z, 0-9 and '-'");
        return nullptr;
    }
    return s;
}

const std::string* read_time_zone(JsonReader& r, std::string_view key, Presence presence) {
    const std::string* s = r.string(key, presence);
    if (s && !is_iana_zone_name(*s)) {
        r.add("INVALID_TIME_ZONE", key, "must be an IANA time zone name like \"America/New_York\"");
        return nullptr;
    }
    return s;
}

const std::string* read_currency(JsonReader& r, std::string_view key, Presence presence) {
    const std::string* s = r.string(key, presence);
    if (s && !money::find_currency(*s)) {
        r.add("UNKNOWN_CURRENCY", key, "is not a supported ISO 4217 currency");
        return nullptr;
    }
    return s;
}

const std::string* read_payment_method_ref(JsonReader& r, std::string_view key, Presence presence) {
    const std::string* s = r.string(key, presence, 255);
    if (s && looks_like_card_number(*s)) {
        r.add("INVALID_FORMAT", key, "must be a processor payment-method reference, never a card number");
        return nullptr;
    }
    return s;
}

}  // namespace cp::validation
