#pragma once
// Small helpers the Pipeline's actions share (JSON text and buffers: json_text.hpp): a 422's
// errors and the firm's today. Internal to crm_actions.cpp and proposal_actions.cpp.
#include <array>
#include <cstring>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "client/api/api_client.hpp"
#include "client/app/json_text.hpp"
#include "client/app/app_state.hpp"
#include "client/platform/page_bridge.hpp"
#include "shared/time/civil.hpp"

namespace cp::portal::crm_fields {

template <std::size_t Count>
inline int index_of(const char* const (&values)[Count], const std::string& value) {
    for (std::size_t k = 0; k < Count; ++k) {
        if (value == values[k]) return static_cast<int>(k);
    }
    return 0;
}

// A 422's errors[] (code, field, message), or the one error of any other answer.
inline std::vector<Error> answer_errors(const ApiResult& r) {
    std::vector<Error> out;
    auto j = parse_answer(r.body);
    if (j.is_object() && j.contains("errors") && j["errors"].is_array()) {
        for (const auto& e : j["errors"]) out.push_back({text_of(e, "code"), text_of(e, "field"), text_of(e, "message")});
    }
    if (out.empty()) out.push_back(error_from_api(r));
    return out;
}

// The firm's today as the report gives it, else the browser's.
inline time::Date firm_today(const AppState& state) {
    if (auto d = time::parse_iso_date(text_of(state.staff.crm.board.report, "as_of"))) return *d;
    return time::civil_from_days(static_cast<std::int64_t>(page::now_ms() / 86400000.0));
}

}  // namespace cp::portal::crm_fields
