#include "shared/dto/error_json.hpp"

namespace cp::dto {

nlohmann::json to_json(const Error& e) {
    return {{"code", e.code}, {"field", e.field}, {"message", e.message}};
}

nlohmann::json to_json(const Errors& errors) {
    nlohmann::json list = nlohmann::json::array();
    for (const Error& e : errors) list.push_back(to_json(e));
    return list;
}

std::optional<Error> error_from_json(const nlohmann::json& j) {
    if (!j.is_object()) return std::nullopt;
    auto text = [&j](const char* key) -> const std::string* {
        auto it = j.find(key);
        return it != j.end() && it->is_string() ? it->get_ptr<const std::string*>() : nullptr;
    };
    const std::string* code = text("code");
    if (!code) return std::nullopt;
    const std::string* field = text("field");
    const std::string* message = text("message");
    return Error{*code, field ? *field : "", message ? *message : ""};
}

Errors errors_from_json(const nlohmann::json& j) {
    Errors out;
    if (!j.is_array()) return out;
    for (const auto& item : j) {
        if (auto e = error_from_json(item)) out.push_back(std::move(*e));
    }
    return out;
}

}  // namespace cp::dto
