#pragma once
// The firm staff workspace's state: which section is open, the lists fetched for it and
// the forms being filled in. Part of AppState (app_state.hpp).
#include <array>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "client/app/time_state.hpp"
#include "client/app/crm_state.hpp"
#include "client/app/engagement_edit_state.hpp"
#include "client/app/workspace.hpp"
#include "shared/core/error.hpp"

namespace cp::portal {

// One list the server paginates ({data, has_more, next_cursor}).
struct RemoteList {
    nlohmann::json rows = nlohmann::json::array();
    std::string next_cursor;
    std::string path;  // what was asked, so "Load more" asks the same
    bool loading = false;
    bool loaded = false;
    int generation = 0;  // answers to an older request are dropped
    std::optional<Error> error;
};

// A text field's buffer (code points × 4 + NUL).
template <int Chars>
using TextBuffer = std::array<char, static_cast<std::size_t>(Chars) * 4 + 1>;

struct ClientForm {
    std::string id;  // empty: a new client
    TextBuffer<200> company_name{};
    TextBuffer<254> billing_email{};
    TextBuffer<64> time_zone{};
    TextBuffer<128> payment_method_ref{};
    int status_index = 0;  // active, inactive, terminated
    bool portal_enabled = false;
    bool autopay_enabled = false;
    bool stored_has_payment_method = false;  // what the update is checked against
    bool stored_autopay = false;
    bool loading = false;
    bool saving = false;
    bool touched = false;  // errors show once the person typed or tried to save
    nlohmann::json stored;  // the client as loaded (edit)
    std::vector<Error> core_errors;    // the core's validation of the form as it stands
    std::vector<Error> server_errors;  // the server's answer to the last save
    std::vector<std::string> shown_errors;  // "code@field" drawn in the last frame
    std::optional<Error> load_error;
};

struct EngagementForm {
    int client_index = -1;
    TextBuffer<200> name{};
    int pricing_index = 0;   // package, hourly, mixed
    int schedule_index = 0;  // monthly, quarterly, annual, one_time
    TextBuffer<32> package_fee{};
    TextBuffer<32> hourly_rate{};
    TextBuffer<10> start_date{};
    TextBuffer<10> end_date{};
    TextBuffer<4> payment_terms{};
    bool saving = false;
    bool touched = false;
    std::vector<Error> core_errors;
    std::vector<Error> server_errors;
    std::vector<std::string> shown_errors;
};

// The dashboard's figures, each as the server's reports computed them.
struct Dashboard {
    nlohmann::json aging;     // GET /api/v1/reports/ar-aging
    nlohmann::json revenue;   // GET /api/v1/reports/revenue (the last 12 months)
    nlohmann::json disputes = nlohmann::json::array();  // open ones
    nlohmann::json failures = nlohmann::json::array();  // autopay failures awaiting retry
    bool loading = false;
    int pending = 0;
    std::optional<Error> error;
};

struct SettingsForm {
    nlohmann::json firm;  // GET /api/v1/firm as loaded
    int tax_mode_index = 0;
    int rounding_index = 0;
    bool proration = false;
    TextBuffer<20> prefix{};
    TextBuffer<4> terms{};
    TextBuffer<5> run_time{};
    TextBuffer<200> reason{};
    bool loading = false;
    bool saving = false;
    std::string notice;
    std::vector<Error> server_errors;
    std::optional<Error> error;
};

// Members: one member's role and status being changed (PATCH /api/v1/memberships/{id}).
struct MemberEdit {
    int member_index = -1;  // in the members list
    int role_index = 0;     // owner, admin, billing, staff, contractor
    int status_index = 0;   // active, disabled
    bool saving = false;
    std::vector<Error> errors;
    std::vector<std::string> shown_errors;
    std::string notice;
};

// Members: adding one (POST /api/v1/memberships), checked by the core's validate_membership.
struct MemberAdd {
    TextBuffer<254> email{};
    TextBuffer<200> name{};
    TextBuffer<256> password{};
    int role_index = 3;  // staff
    bool saving = false;
    bool touched = false;
    std::vector<Error> core_errors, server_errors;
    std::vector<std::string> shown_errors;
    std::string notice;
};

struct StaffWorkspace {
    Section section = Section::dashboard;
    std::string sub;  // "" (the section's list), "new", or an object id
    bool menu_open = false;  // phone width: the section list is folded away
    std::map<std::string, RemoteList> lists;  // by name: "clients", "payments", ...
    TextBuffer<100> client_search{};
    Dashboard dashboard;
    ClientForm client_form;
    EngagementForm engagement_form;
    SettingsForm settings;
    MemberEdit member_edit;
    MemberAdd member_add;
    EngagementEdit engagement_edit;  // #/engagements/<id>
    std::string engagement_selected;  // the list's last opened row: "Edit or renew" offers it
    TimeWorkspace time;  // Time section, approvals, payment failures, alerts
    CrmState crm;  // the Pipeline section (crm_state.hpp)
    nlohmann::json audit_verify;  // the last "verify chain" answer
    bool verifying = false;
    std::map<std::string, int> downloads;  // CSV downloads in progress: name -> id
    std::string notice;
};

}  // namespace cp::portal
