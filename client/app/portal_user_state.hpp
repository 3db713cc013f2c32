#pragma once
// A client's portal users (the client's people who sign in to see and pay its invoices),
// listed and added on the client's page. Part of AppState.
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "client/app/staff_state.hpp"  // TextBuffer
#include "shared/core/error.hpp"

namespace cp::portal {

struct PortalUsers {
    std::string client_id;  // whose users are listed; another client's page starts afresh
    nlohmann::json rows = nlohmann::json::array();
    bool loading = false;
    std::optional<Error> load_error;
    TextBuffer<200> name{};
    TextBuffer<254> email{};
    TextBuffer<256> password{};
    bool saving = false;
    bool touched = false;
    std::vector<Error> core_errors;
    std::vector<Error> server_errors;
    std::vector<std::string> shown_errors;
    std::string notice;
};

}  // namespace cp::portal
