#pragma once
// The Payments side's autopay failures and alerts. Retry dates come from the core's
// retry_schedule in the *client's* zone (zone_loader.hpp), never computed here.
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "client/app/app_state.hpp"

namespace cp::portal {

// The autopay failures and the firm's alerts.
void load_failures_and_alerts(AppState& state);

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
// Starts fetching the numbers of failed invoices the invoice list does not hold (each once).
void fetch_failure_numbers(AppState& state);
// A failed invoice's number, or its id until the number is known.
std::string failure_invoice_number(const AppState& state, const std::string& invoice_id);
// A UTC instant ("...Z") as "YYYY-MM-DD HH:MM" on a client's calendar, or "" when unknown.
std::string client_local_time(const AppState& state, const std::string& client_id, const std::string& iso_instant);

void acknowledge_alert(AppState& state, const std::string& alert_id);

// failures (each with its computed retry dates), alerts, the last acknowledgement.
nlohmann::json failures_debug_state(const AppState& state);

}  // namespace cp::portal
