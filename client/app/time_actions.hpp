#pragma once
// What the Time section asks of the server. Like staff_actions.hpp: screens call these,
// never the network. Rules stay in shared/: the forms are checked by the core's validators
// and timer hours are rounded by the core's named rounding.
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "client/app/app_state.hpp"

namespace cp::portal {

// Time section: who am I, the firm's zone, engagements, own entries and expenses, and
// (for approvers) the unapproved entries and expenses of the firm.
void load_time_section(AppState& state);
bool can_approve(const AppState& state);

// Log time / an expense: the body sent, the core's validation of it, saving.
nlohmann::json time_entry_body(const AppState& state);
nlohmann::json expense_body(const AppState& state);
void validate_time_entry_form(AppState& state);
void validate_expense_form(AppState& state);
void save_time_entry(AppState& state);
void save_expense(AppState& state);

// The timer. Stop fills the form's hours (hundredths of an hour, half-up) and saves.
void start_timer(AppState& state);
void stop_timer(AppState& state);
long long timer_seconds(const AppState& state);
// A timer restored from the browser after a reload selects its engagement once the list
// has loaded (the Time screen calls this each frame; it does nothing otherwise).
void pick_restored_engagement(AppState& state);
// Stores the running timer with the form's engagement and description (after an edit).
void remember_timer(AppState& state);
std::string hours_for_seconds(long long seconds);

// Approval queue: rows are "time:<id>" / "expense:<id>". Nobody approves their own.
bool is_own_entry(const AppState& state, const nlohmann::json& entry);
void approve_selected(AppState& state);

// What cp_debug_state shows of all this (with failures_debug_state).
nlohmann::json time_debug_state(const AppState& state);

}  // namespace cp::portal
