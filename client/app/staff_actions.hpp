#pragma once
// What the firm workspace asks of the server. Like actions.hpp: screens call these, never
// the network; results change AppState in apply_api_results().
#include <string>

#include "client/app/app_state.hpp"

namespace cp::portal {

struct ApiResult;

// Opens a section (and "new" or an item in it), fetching what it shows.
void open_section(AppState& state, Section section, const std::string& sub);
// Fetches again what the open section shows (Refresh, after a save).
void load_section(AppState& state);
// (Re)loads a named list from `path` (GET, {data, has_more, next_cursor}); more=true asks
// for the next page of the same list.
void load_list(AppState& state, const std::string& name, const std::string& path, bool more = false);
void load_dashboard(AppState& state);
void load_clients(AppState& state);  // with the search box's text as q

// Clients: the form's body, the core's validation of it, saving (create or update).
nlohmann::json client_form_body(const ClientForm& form);
void validate_client_form(ClientForm& form);
void save_client(AppState& state);

nlohmann::json engagement_form_body(const AppState& state);
void validate_engagement_form(AppState& state);
void save_engagement(AppState& state);

// Settings: the changed settings only (the diff), saving them, rolling back to a snapshot.
nlohmann::json settings_changes(const SettingsForm& form);
void save_settings(AppState& state);
void rollback_settings(AppState& state, const std::string& snapshot_id);

// Members: the roles and statuses a membership can have, and saving one member's.
inline constexpr const char* kMemberRoles[] = {"owner", "admin", "billing", "staff", "contractor"};
inline constexpr const char* kMemberStatuses[] = {"active", "disabled"};
void save_member(AppState& state);
// Adding a member: the body, the core's validate_membership of it, and sending it.
nlohmann::json member_add_body(const MemberAdd& form);
void validate_member_add(MemberAdd& form);
void add_member(AppState& state);

void verify_audit_chain(AppState& state);
// A report as CSV (Accept: text/csv), saved as a file.
void download_csv(AppState& state, const std::string& name, const std::string& path, const std::string& filename);

// A client's company name from any list the portal has, else the id.
std::string client_name(const AppState& state, const std::string& client_id);
// Money arithmetic for the dashboard, in the currency's minor units (the core's decimal).
std::string money_minus(const std::string& a, const std::string& b, const std::string& currency);
long long money_minor(const std::string& amount, const std::string& currency);
// The errors of a 422 answer ({"error": {..., "details"}, "errors": [...]}) or the one error.
std::vector<Error> errors_of(const ApiResult& r);
// Percent-encodes a query value.
std::string url_encode(const std::string& value);

}  // namespace cp::portal
