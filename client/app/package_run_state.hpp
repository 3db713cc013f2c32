#pragma once
// "Run package billing" on the Invoices screen (owners and admins): a date, a dry run that
// lists what would be created, then the run itself. Part of AppState.
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "client/app/staff_state.hpp"  // TextBuffer
#include "shared/core/error.hpp"

namespace cp::portal {

struct PackageRunForm {
    bool open = false;
    TextBuffer<10> date{};  // empty: the firm's today (the server's default)
    bool in_flight = false;
    bool touched = false;
    std::vector<Error> core_errors;
    std::vector<Error> server_errors;
    std::vector<std::string> shown_errors;
    // The last dry run's answer and the date it was for: Run is offered only for a date
    // whose preview the person has seen.
    nlohmann::json preview;
    std::string previewed_date;
    nlohmann::json result;  // the last real run's answer
};

}  // namespace cp::portal
