#include "shared/billing/line_item.hpp"

#include <array>
#include <utility>

namespace cp::billing {

namespace {
constexpr std::array<std::pair<LineKind, std::string_view>, 5> kKinds{{
    {LineKind::package_fee, "package_fee"},
    {LineKind::time, "time"},
    {LineKind::expense, "expense"},
    {LineKind::adjustment, "adjustment"},
    {LineKind::late_fee, "late_fee"},
}};
}  // namespace

std::optional<LineKind> line_kind_from_string(std::string_view s) {
    for (const auto& [kind, name] : kKinds) {
        if (name == s) return kind;
    }
    return std::nullopt;
}

std::string_view to_string(LineKind k) {
    for (const auto& [kind, name] : kKinds) {
        if (kind == k) return name;
    }
    return "adjustment";
}

}  // namespace cp::billing
