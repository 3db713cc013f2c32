#include "shared/validation/json_reader.hpp"

#include "shared/money/decimal.hpp"

namespace cp::validation {

std::string join_path(std::string_view prefix, std::string_view key) {
    std::string out;
    out.reserve(prefix.size() + key.size() + 1);
    out.append(prefix);
    if (!prefix.empty()) out.push_back('.');
    out.append(key);
    return out;
}

std::string index_path(std::string_view prefix, size_t index) {
    std::string out(prefix);
    out.push_back('[');
    out.append(std::to_string(index));
    out.push_back(']');
    return out;
}

size_t utf8_length(std::string_view s) {
    size_t n = 0;
    for (unsigned char c : s) n += (c & 0xC0) != 0x80;
    return n;
}

bool is_valid_utf8(std::string_view s) {
    size_t i = 0;
    while (i < s.size()) {
        const auto c = static_cast<unsigned char>(s[i]);
        size_t n = 0;
        unsigned char lo = 0x80, hi = 0xBF;  // allowed range of the second byte
        if (c < 0x80) {
            ++i;
            continue;
        } else if (c >= 0xC2 && c <= 0xDF) {
            n = 1;
        } else if (c >= 0xE0 && c <= 0xEF) {
            n = 2;
            if (c == 0xE0) lo = 0xA0;  // overlong
            if (c == 0xED) hi = 0x9F;  // surrogates
        } else if (c >= 0xF0 && c <= 0xF4) {
            n = 3;
            if (c == 0xF0) lo = 0x90;  // overlong
            if (c == 0xF4) hi = 0x8F;  // past U+10FFFF
        } else {
            return false;
        }
        if (i + n >= s.size()) return false;  // truncated sequence
        for (size_t k = 1; k <= n; ++k) {
            const auto b = static_cast<unsigned char>(s[i + k]);
            if (k == 1 ? (b < lo || b > hi) : (b < 0x80 || b > 0xBF)) return false;
        }
        i += n + 1;
    }
    return true;
}

namespace {
const char* type_word(const nlohmann::json& v) {
    switch (v.type()) {
        case nlohmann::json::value_t::string:
            return "a string";
        case nlohmann::json::value_t::boolean:
            return "a boolean";
        case nlohmann::json::value_t::array:
            return "an array";
        case nlohmann::json::value_t::object:
            return "an object";
        default:
            return "a number";
    }
}
}  // namespace

JsonReader::JsonReader(const nlohmann::json& obj, std::string prefix, Errors& errors)
    : obj_(obj.is_object() ? &obj : nullptr), prefix_(std::move(prefix)), errors_(errors) {
    if (!obj_) {
        errors_.push_back(Error{"INVALID_TYPE", prefix_, "must be a JSON object"});
    }
}

const nlohmann::json* JsonReader::find(std::string_view key) const {
    if (!obj_) return nullptr;
    auto it = obj_->find(std::string(key));
    if (it == obj_->end() || it->is_null()) return nullptr;
    return &*it;
}

bool JsonReader::has(std::string_view key) const { return find(key) != nullptr; }

void JsonReader::add(std::string code, std::string_view key, std::string message) {
    errors_.push_back(Error{std::move(code), path(key), std::move(message)});
}

bool has_forbidden_controls(std::string_view s, Text text) {
    if (text == Text::secret) return false;
    for (size_t i = 0; i < s.size(); ++i) {
        const auto c = static_cast<unsigned char>(s[i]);
        if (c < 0x20 || c == 0x7F) {
            if (text == Text::multi_line && (c == '\t' || c == '\n' || c == '\r')) continue;
            return true;
        }
        // C1 controls U+0080–U+009F are 0xC2 0x80–0x9F in UTF-8.
        if (c == 0xC2 && i + 1 < s.size() && static_cast<unsigned char>(s[i + 1]) <= 0x9F &&
            static_cast<unsigned char>(s[i + 1]) >= 0x80) {
            return true;
        }
    }
    return false;
}

const std::string* JsonReader::string(std::string_view key, Presence presence, size_t max_length,
                                      bool non_empty, Text text) {
    const nlohmann::json* v = find(key);
    if (!v) {
        if (presence == Presence::required && obj_) add("VALIDATION_REQUIRED", key, "is required");
        return nullptr;
    }
    if (!v->is_string()) {
        add("INVALID_TYPE", key, std::string("must be a string, not ") + type_word(*v));
        return nullptr;
    }
    const std::string* s = v->get_ptr<const std::string*>();
    if (non_empty && s->find_first_not_of(" \t\r\n") == std::string::npos) {
        add("VALIDATION_REQUIRED", key, "must not be blank");
        return nullptr;
    }
    if (max_length != 0 && utf8_length(*s) > max_length) {
        add("STRING_TOO_LONG", key, "at most " + std::to_string(max_length) + " characters");
        return nullptr;
    }
    if (has_forbidden_controls(*s, text)) {
        add("INVALID_CHARACTERS", key,
            text == Text::multi_line ? "must not contain control characters other than tabs and line breaks"
                                     : "must not contain control characters");
        return nullptr;
    }
    return s;
}

std::optional<bool> JsonReader::boolean(std::string_view key, Presence presence) {
    const nlohmann::json* v = find(key);
    if (!v) {
        if (presence == Presence::required && obj_) add("VALIDATION_REQUIRED", key, "is required");
        return std::nullopt;
    }
    if (!v->is_boolean()) {
        add("INVALID_TYPE", key, std::string("must be a boolean, not ") + type_word(*v));
        return std::nullopt;
    }
    return *v->get_ptr<const bool*>();
}

std::optional<int64_t> JsonReader::decimal(std::string_view key, Presence presence, int32_t scale) {
    const nlohmann::json* v = find(key);
    if (v && !v->is_string()) {
        // Decimals travel as strings: a JSON number may already have lost digits.
        add("INVALID_TYPE", key,
            std::string("must be a decimal string like \"12.50\", not ") + type_word(*v));
        return std::nullopt;
    }
    const std::string* s = string(key, presence, 0, false);
    if (!s) return std::nullopt;
    Result<int64_t> parsed = money::parse_fixed(*s, scale);
    if (!parsed) {
        add(parsed.error().code, key, parsed.error().message);
        return std::nullopt;
    }
    return *parsed;
}

std::optional<time::Date> JsonReader::date(std::string_view key, Presence presence) {
    const std::string* s = string(key, presence, 0, false);
    if (!s) return std::nullopt;
    Result<time::Date> d = time::parse_iso_date(*s);
    if (!d) {
        add(d.error().code, key, d.error().message);
        return std::nullopt;
    }
    return *d;
}

std::optional<time::Instant> JsonReader::instant(std::string_view key, Presence presence) {
    const std::string* s = string(key, presence, 0, false);
    if (!s) return std::nullopt;
    Result<time::Instant> t = time::parse_iso_instant(*s);
    if (!t) {
        add(t.error().code, key, t.error().message);
        return std::nullopt;
    }
    return *t;
}

std::optional<int64_t> JsonReader::integer(std::string_view key, Presence presence, int64_t min,
                                           int64_t max) {
    const nlohmann::json* v = find(key);
    if (!v) {
        if (presence == Presence::required && obj_) add("VALIDATION_REQUIRED", key, "is required");
        return std::nullopt;
    }
    int64_t value = 0;
    if (v->is_number_integer() && !v->is_number_unsigned()) {
        value = *v->get_ptr<const nlohmann::json::number_integer_t*>();
    } else if (v->is_number_unsigned()) {
        const uint64_t u = *v->get_ptr<const nlohmann::json::number_unsigned_t*>();
        value = u > static_cast<uint64_t>(INT64_MAX) ? INT64_MAX : static_cast<int64_t>(u);
    } else {
        add("INVALID_TYPE", key, std::string("must be an integer, not ") + type_word(*v));
        return std::nullopt;
    }
    if (value < min || value > max) {
        add("OUT_OF_RANGE", key, "must be between " + std::to_string(min) + " and " + std::to_string(max));
        return std::nullopt;
    }
    return value;
}

bool JsonReader::identifier(std::string_view key, Presence presence) {
    const nlohmann::json* v = find(key);
    if (!v) {
        if (presence == Presence::required && obj_) add("VALIDATION_REQUIRED", key, "is required");
        return false;
    }
    if (v->is_string()) return string(key, presence, 64, true) != nullptr;
    if (v->is_number_integer()) return integer(key, presence, 1, INT64_MAX).has_value();
    add("INVALID_TYPE", key, "must be an id (a positive integer or a string)");
    return false;
}

const nlohmann::json* JsonReader::array(std::string_view key, Presence presence) {
    const nlohmann::json* v = find(key);
    if (!v) {
        if (presence == Presence::required && obj_) add("VALIDATION_REQUIRED", key, "is required");
        return nullptr;
    }
    if (!v->is_array()) {
        add("INVALID_TYPE", key, std::string("must be an array, not ") + type_word(*v));
        return nullptr;
    }
    return v;
}

const nlohmann::json* JsonReader::object(std::string_view key, Presence presence) {
    const nlohmann::json* v = find(key);
    if (!v) {
        if (presence == Presence::required && obj_) add("VALIDATION_REQUIRED", key, "is required");
        return nullptr;
    }
    if (!v->is_object()) {
        add("INVALID_TYPE", key, std::string("must be an object, not ") + type_word(*v));
        return nullptr;
    }
    return v;
}

const std::string* JsonReader::one_of(std::string_view key, Presence presence,
                                      std::initializer_list<std::string_view> allowed) {
    const std::string* s = string(key, presence, 0, false);
    if (!s) return nullptr;
    for (std::string_view a : allowed) {
        if (a == *s) return s;
    }
    std::string list;
    for (std::string_view a : allowed) {
        if (!list.empty()) list += ", ";
        list += a;
    }
    add("INVALID_ENUM", key, "must be one of: " + list);
    return nullptr;
}

void JsonReader::reject_nulls(std::initializer_list<std::string_view> nullable) {
    if (!obj_) return;
    for (auto it = obj_->begin(); it != obj_->end(); ++it) {
        if (!it->is_null()) continue;
        bool allowed = false;
        for (std::string_view n : nullable) allowed = allowed || n == it.key();
        if (!allowed) add("INVALID_TYPE", it.key(), "cannot be null");
    }
}

void JsonReader::reject_unknown(std::initializer_list<std::string_view> allowed) {
    if (!obj_) return;
    for (auto it = obj_->begin(); it != obj_->end(); ++it) {
        bool known = false;
        for (std::string_view a : allowed) known = known || a == it.key();
        // The key is not echoed in the message: it is user input of any size.
        if (!known) add("UNKNOWN_FIELD", it.key(), "is not a known field");
    }
}

}  // namespace cp::validation
