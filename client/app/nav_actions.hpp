#pragma once
// The global search and the firm switcher (nav_state.hpp): what they ask of the server.
#include <nlohmann/json.hpp>
#include <string>

#include "client/app/app_state.hpp"

namespace cp::portal {

// A pause this long after the last key sends the search (each key does not).
inline constexpr double kSearchPauseMs = 300.0;

// The box's text changed at `now_ms`: results for the old text stay until the new ones come.
void search_typed(AppState& state, double now_ms);
// Called every frame: sends the search once typing has paused and the text is new.
void poll_search(AppState& state, double now_ms);
// Enter in the box: the first result, clients before invoices before engagements.
void open_first_search_result(AppState& state);
// kind: "client", "invoice" or "engagement"; `row` is the list's object.
void open_search_result(AppState& state, const std::string& kind, const nlohmann::json& row);

// Asks once per session for the account's firms (the switcher shows with two or more).
void load_my_firms(AppState& state);
// POST /api/v1/auth/switch-firm: the answer becomes the session, as a login would.
void switch_firm(AppState& state, const std::string& slug);

}  // namespace cp::portal
