#pragma once
// "Bill hours": the engagement whose approved, unbilled time and expenses of a period become
// a draft invoice (POST /engagements/{id}/hourly-invoice). Part of AppState.
#include <array>
#include <string>
#include <vector>

#include "client/app/staff_state.hpp"  // TextBuffer
#include "shared/core/error.hpp"

namespace cp::portal {

struct HourlyInvoiceForm {
    std::string engagement_id;  // empty: closed
    std::string engagement_name;
    std::string currency;
    TextBuffer<10> period_start{};
    TextBuffer<10> period_end{};
    TextBuffer<15> tax_rate{};
    bool in_flight = false;
    bool touched = false;
    std::vector<Error> core_errors;
    std::vector<Error> server_errors;
    std::vector<std::string> shown_errors;
};

}  // namespace cp::portal
