#pragma once
// What the Time section and the Payments side's failures and alerts ask of the server.
// Like staff_actions.hpp: screens call these, never the network. Rules stay in shared/:
// the forms are checked by the core's validators, timer hours are rounded by the core's
// named rounding, retry dates come from the core's retry_schedule in the client's zone.
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "client/app/app_state.hpp"

namespace cp::portal {

// Time section: who am I, the firm's zone, engagements, own entries and expenses, and
// (for approvers) the unapproved entries and expenses of the firm.
void load_time_section(AppState& state);
bool can_approve(const AppState& state);
// Payments side: the autopay failures and the firm's alerts (and client zones for them).
void load_failures_and_alerts(AppState& state);

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
std::string hours_for_seconds(long long seconds);

// Approval queue: rows are "time:<id>" / "expense:<id>". Nobody approves their own.
bool is_own_entry(const AppState& state, const nlohmann::json& entry);
void approve_selected(AppState& state);

// A failure's retry dates (+3/+7/+14 days after the invoice's first failure) on the client's
// calendar; `error` when the zone or the first failure is unknown, `loading` meanwhile.
struct RetryDates {
    std::vector<std::string> dates;  // "YYYY-MM-DD HH:MM" local
    std::string zone;
    bool loading = false;
    std::optional<Error> error;
};
RetryDates retry_dates_for(const AppState& state, const nlohmann::json& failure);
// Starts fetching the zones of the failures' clients (each once).
void fetch_failure_zones(AppState& state);
// A UTC instant ("...Z") as "YYYY-MM-DD HH:MM" on a client's calendar, or "" when unknown.
std::string client_local_time(const AppState& state, const std::string& client_id, const std::string& iso_instant);

void acknowledge_alert(AppState& state, const std::string& alert_id);

// What cp_debug_state shows of all this.
nlohmann::json time_debug_state(const AppState& state);

}  // namespace cp::portal
