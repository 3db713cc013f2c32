#pragma once
// Reading an API answer's fields as text and moving text in and out of a form's fixed
// buffers: the small pieces every portal action and screen needs.
#include <array>
#include <cstring>
#include <nlohmann/json.hpp>
#include <string>

namespace cp::portal {

// A string field as is, an integer field in decimal, anything else (or no field) as "".
inline std::string text_of(const nlohmann::json& object, const char* key) {
    if (!object.is_object() || !object.contains(key)) return {};
    const auto& v = object[key];
    if (v.is_string()) return v.get<std::string>();
    if (v.is_number_integer()) return std::to_string(v.get<long long>());
    return {};
}

template <std::size_t N>
inline void set_text(std::array<char, N>& buffer, const std::string& text) {
    std::strncpy(buffer.data(), text.c_str(), N - 1);
    buffer[N - 1] = '\0';
}

template <std::size_t N>
inline std::string str(const std::array<char, N>& buffer) {
    return std::string(buffer.data());
}

}  // namespace cp::portal
