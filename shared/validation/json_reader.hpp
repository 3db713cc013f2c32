#pragma once
// Reads fields of one JSON object while collecting every problem as a cp::Error with a
// JSON path ("lines[2].quantity"). Never throws, whatever the JSON: types are checked
// before any get<>, which matters in Wasm where exceptions cannot be caught.
#include <cstdint>
#include <initializer_list>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "shared/core/error.hpp"
#include "shared/time/civil.hpp"

namespace cp::validation {

enum class Presence { required, optional };

// Which control characters (U+0000–U+001F, U+007F–U+009F) a string may hold: none on one
// line (names, emails, codes), tab and line breaks in free text, anything in a secret.
enum class Text { single_line, multi_line, secret };

// True when `s` has a control character that `text` does not allow.
bool has_forbidden_controls(std::string_view s, Text text);

// "a" + "b" -> "a.b"; "" + "b" -> "b".
std::string join_path(std::string_view prefix, std::string_view key);
// "lines" + 3 -> "lines[3]".
std::string index_path(std::string_view prefix, size_t index);

// Length in Unicode code points of valid UTF-8 (nlohmann validates UTF-8 when parsing).
size_t utf8_length(std::string_view s);
// Well-formed UTF-8 (no overlongs, surrogates or code points past U+10FFFF).
bool is_valid_utf8(std::string_view s);

class JsonReader {
public:
    // `obj` need not be an object: the reader then reports INVALID_TYPE once, at `prefix`,
    // and every getter returns nothing.
    JsonReader(const nlohmann::json& obj, std::string prefix, Errors& errors);

    bool is_object() const { return obj_ != nullptr; }
    bool has(std::string_view key) const;
    // The raw value or nullptr. null counts as absent everywhere (JSON clients send it).
    const nlohmann::json* find(std::string_view key) const;
    std::string path(std::string_view key) const { return join_path(prefix_, key); }

    // Present string value, or nullptr after recording VALIDATION_REQUIRED / INVALID_TYPE /
    // STRING_TOO_LONG (max_length in code points, 0 = unlimited) / VALIDATION_REQUIRED for
    // an empty or all-whitespace string when `non_empty` / INVALID_CHARACTERS for a control
    // character `text` does not allow.
    const std::string* string(std::string_view key, Presence presence, size_t max_length = 0,
                              bool non_empty = true, Text text = Text::single_line);
    std::optional<bool> boolean(std::string_view key, Presence presence);
    // Fixed-point decimal string at `scale` (see money/decimal.hpp for the grammar).
    std::optional<int64_t> decimal(std::string_view key, Presence presence, int32_t scale);
    // "YYYY-MM-DD" (INVALID_DATE).
    std::optional<time::Date> date(std::string_view key, Presence presence);
    // "2024-03-09T15:00:00Z" or with "+HH:MM" (INVALID_DATETIME).
    std::optional<time::Instant> instant(std::string_view key, Presence presence);
    // A JSON integer within [min, max] (INVALID_TYPE, OUT_OF_RANGE).
    std::optional<int64_t> integer(std::string_view key, Presence presence, int64_t min, int64_t max);
    // A reference to another record: a positive JSON integer or a non-empty string of at
    // most 64 characters (ids may be numeric or opaque; both stay exact in JavaScript).
    bool identifier(std::string_view key, Presence presence);
    // Present array / object, or nullptr after recording the error.
    const nlohmann::json* array(std::string_view key, Presence presence);
    const nlohmann::json* object(std::string_view key, Presence presence);
    // A string from a closed set; INVALID_ENUM lists the allowed values.
    const std::string* one_of(std::string_view key, Presence presence,
                              std::initializer_list<std::string_view> allowed);

    // INVALID_TYPE for every key whose value is null but `nullable`. For updates: there,
    // null would mean "clear this field", which only optional, nullable fields allow
    // (elsewhere null counts as absent, see find()).
    void reject_nulls(std::initializer_list<std::string_view> nullable = {});

    // UNKNOWN_FIELD for every key not in `allowed`.
    void reject_unknown(std::initializer_list<std::string_view> allowed);

    void add(std::string code, std::string_view key, std::string message);
    Errors& errors() { return errors_; }

private:
    const nlohmann::json* obj_;
    std::string prefix_;
    Errors& errors_;
};

}  // namespace cp::validation
