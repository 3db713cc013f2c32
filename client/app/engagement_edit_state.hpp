#pragma once
// One engagement open for editing and renewal (#/engagements/<id>). Part of StaffWorkspace.
#include <array>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "shared/core/error.hpp"

namespace cp::portal {

template <int Chars>
using EditBuffer = std::array<char, static_cast<std::size_t>(Chars) * 4 + 1>;

struct EngagementEdit {
    std::string id;
    nlohmann::json stored;  // GET /api/v1/engagements/{id}, with pricing_frozen
    bool loading = false;
    std::optional<Error> load_error;

    // Edit (PATCH with the changed fields only).
    EditBuffer<200> name{};
    int pricing_index = 0;   // package, hourly, mixed
    int schedule_index = 0;  // monthly, quarterly, annual, one_time
    EditBuffer<32> package_fee{};
    EditBuffer<32> hourly_rate{};
    EditBuffer<10> start_date{};
    EditBuffer<10> end_date{};
    EditBuffer<4> payment_terms{};
    bool saving = false;
    std::vector<Error> core_errors, server_errors;
    std::vector<std::string> shown_errors;

    // Renew (POST …/renew with the overrides typed here).
    EditBuffer<10> renew_end{};
    EditBuffer<32> renew_fee{};
    EditBuffer<32> renew_rate{};
    bool renewing = false;
    nlohmann::json renewal;  // the core's new version for the overrides (dates, pricing)
    std::vector<Error> renew_core_errors, renew_server_errors;
    std::vector<std::string> renew_shown_errors;

    std::string notice;
};

}  // namespace cp::portal
