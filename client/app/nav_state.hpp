#pragma once
// The workspace's global search and firm switcher: state for the header and sidebar pieces
// that work across sections. Part of AppState (app_state.hpp).
#include <array>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "shared/core/error.hpp"

namespace cp::portal {

// One search over clients (name), invoices (number) and engagements (name), each the
// server's `?q=` on its list. Typing waits for a pause before asking (kSearchPauseMs).
struct GlobalSearch {
    std::array<char, 100 * 4 + 1> query{};
    std::string asked;          // the query the results answer ("" when none asked)
    double typed_at_ms = 0;     // last edit; the request goes once typing pauses
    int generation = 0;         // answers to an older query are dropped
    int pending = 0;            // lists still loading for `asked`
    nlohmann::json clients = nlohmann::json::array();
    nlohmann::json invoices = nlohmann::json::array();
    nlohmann::json engagements = nlohmann::json::array();
    std::optional<Error> error;
    bool open_first = false;    // Enter came before the answers: open the first when they do
    int requests = 0;           // sent so far: the browser test checks typing is debounced
};

// The caller's firms (GET /api/v1/firms); the header offers a switch when there are two
// or more.
struct FirmSwitcher {
    nlohmann::json firms = nlohmann::json::array();  // [{id, name, slug, role}]
    bool requested = false;  // asked once per session
    bool switching = false;
    std::optional<Error> error;
};

struct NavState {
    GlobalSearch search;
    FirmSwitcher switcher;
};

}  // namespace cp::portal
