#include "shared/text/messages.hpp"

#include <array>
#include <cctype>
#include <utility>

namespace cp::text {
namespace {

// Field names whose plain de-snaking reads badly.
constexpr std::array<std::pair<std::string_view, std::string_view>, 8> kFieldNames{{
    {"email", "Email"},
    {"password", "Password"},
    {"unit_price", "Unit price"},
    {"tax_rate", "Tax rate"},
    {"client_id", "Client"},
    {"amount_paid", "Amount paid"},
    {"total", "Total"},
    {"lines", "Lines"},
}};

std::string capitalised(std::string s) {
    if (!s.empty()) s[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(s[0])));
    return s;
}

std::string de_snaked(std::string_view s) {
    std::string out(s);
    for (auto& c : out) {
        if (c == '_') c = ' ';
    }
    return out;
}

std::string plain_field(std::string_view name) {
    for (const auto& [key, label] : kFieldNames) {
        if (key == name) return std::string(label);
    }
    return capitalised(de_snaked(name));
}

std::string lower_first(std::string s) {
    if (s.size() > 1 && std::isupper(static_cast<unsigned char>(s[0])) &&
        !std::isupper(static_cast<unsigned char>(s[1]))) {
        s[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(s[0])));
    }
    return s;
}

// `{}` in a template stands for the field's label.
struct Entry {
    std::string_view code;
    std::string_view with_field;     // when the error names a field
    std::string_view without_field;  // when it does not
};

constexpr std::array<Entry, 25> kMessages{{
    {"VALIDATION_REQUIRED", "{} is required.", "Something required is missing."},
    {"INVALID_EMAIL", "{} must be an email address like name@example.com.", "Enter an email address like name@example.com."},
    {"INVALID_DECIMAL", "{} must be a number with a dot for decimals, like 1.5 (no commas, spaces or letters).",
     "Use a number with a dot for decimals, like 1.5."},
    {"TOO_MANY_DECIMALS", "{} has more decimal places than this currency or field allows.", "Too many decimal places."},
    {"OUT_OF_RANGE", "{} is outside the allowed range.", "A value is outside the allowed range."},
    {"STRING_TOO_LONG", "{} is too long.", "A text is too long."},
    {"NEGATIVE_TOTAL", "The total is below zero: only a credit note may be negative.",
     "The total is below zero: only a credit note may be negative."},
    {"AMOUNT_OVERFLOW", "{} is too large.", "An amount is too large."},
    {"UNKNOWN_CURRENCY", "{} is not a supported currency.", "That currency is not supported."},
    {"INVALID_ENUM", "{} is not one of the allowed choices.", "That choice is not allowed."},
    {"INVALID_CREDENTIALS", "The email or password is not right.", "The email or password is not right."},
    {"UNAUTHENTICATED", "You were signed out. Sign in again.", "You were signed out. Sign in again."},
    {"NETWORK_ERROR", "The server could not be reached. Check your connection and try again.",
     "The server could not be reached. Check your connection and try again."},
    {"NOT_FOUND", "{} was not found.", "That page or record was not found."},
    {"FORBIDDEN", "You do not have permission to do that.", "You do not have permission to do that."},
    {"PORTAL_ACCESS_DENIED", "Portal access is not enabled for this account.",
     "Portal access is not enabled for this account."},
    {"INVOICE_IMMUTABLE", "This invoice was issued and can no longer be changed.",
     "This invoice was issued and can no longer be changed."},
    {"TOO_MANY_LINES", "This invoice has too many lines.", "This invoice has too many lines."},
    {"INVALID_CHARACTERS", "{} contains characters that are not allowed.", "The text contains characters that are not allowed."},
    {"INVALID_TYPE", "{} has the wrong kind of value.", "A value has the wrong kind."},
    {"FIRM_CONTEXT_REQUIRED", "The firm is not active.", "The firm is not active."},
    {"EXCEEDS_BALANCE_DUE", "{} is more than the balance due on this invoice.",
     "That is more than the balance due on this invoice."},
    {"NOT_PAYABLE", "This invoice cannot be paid now: it is paid, void or under dispute.",
     "This invoice cannot be paid now: it is paid, void or under dispute."},
    {"LINK_EXPIRED", "This invoice link has expired. Ask the sender for a new one.",
     "This invoice link has expired. Ask the sender for a new one."},
    {"INTERNAL", "Something went wrong on our side. Try again in a moment.",
     "Something went wrong on our side. Try again in a moment."},
}};

std::string fill(std::string_view tmpl, const std::string& label) {
    std::string out(tmpl);
    if (auto at = out.find("{}"); at != std::string::npos) out.replace(at, 2, label);
    return out;
}

}  // namespace

std::string field_label(std::string_view field) {
    if (field.empty()) return {};
    // "lines[1].unit_price": lines are counted from 1 for people.
    if (field.rfind("lines[", 0) == 0) {
        auto close = field.find(']');
        if (close != std::string_view::npos) {
            std::string_view digits = field.substr(6, close - 6);
            long index = 0;
            for (char c : digits) {
                if (c < '0' || c > '9') return plain_field(field);
                index = index * 10 + (c - '0');
                if (index > 100000) return plain_field(field);
            }
            std::string label = "Line " + std::to_string(index + 1);
            if (close + 2 <= field.size() && field[close + 1] == '.') {
                label += " " + lower_first(plain_field(field.substr(close + 2)));
            }
            return label;
        }
    }
    auto dot = field.rfind('.');
    return plain_field(dot == std::string_view::npos ? field : field.substr(dot + 1));
}

std::string human_message(const Error& error) {
    const std::string label = field_label(error.field);
    for (const auto& e : kMessages) {
        if (e.code != error.code) continue;
        // TOO_MANY_ATTEMPTS and similar carry figures in the server's message; these don't.
        return label.empty() ? std::string(e.without_field) : fill(e.with_field, label);
    }
    std::string message = error.message;
    if (message.empty()) return label.empty() ? "Something went wrong." : label + " is not valid.";
    // Server messages name their parameter first ("issued_to must be a date ..."): the
    // label takes the raw name's place rather than standing in front of it.
    if (!error.field.empty() && message.rfind(error.field + " ", 0) == 0) message.erase(0, error.field.size() + 1);
    if (label.empty()) return capitalised(message);
    return label + " " + message;
}

std::string choice_label(std::string_view value) { return capitalised(de_snaked(value)); }

std::string support_reference(const Error& error) {
    return error.field.empty() ? error.code : error.code + " @ " + error.field;
}

}  // namespace cp::text
