#pragma once
// The Time section's forms (log time, run a timer, log an expense), the approval queue's
// selection, and what the Payments side needs for failures and alerts: the signed-in
// person's membership (self-approval) and the time zones fetched for retry dates.
// Part of StaffWorkspace (staff_state.hpp); the lists themselves live in its `lists`.
#include <array>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "shared/core/error.hpp"
#include "shared/time/time_zone.hpp"

namespace cp::portal {

// A text field's buffer (code points x 4 + NUL), as TextBuffer in staff_state.hpp.
template <int Chars>
using FieldText = std::array<char, static_cast<std::size_t>(Chars) * 4 + 1>;

struct FormErrors {
    bool touched = false;  // errors show once the person tried to save
    std::vector<Error> core;    // the core's validator on the form as it stands
    std::vector<Error> server;  // the server's answer to the last save
    std::vector<std::string> shown;  // "code@field" drawn in the last frame
};

struct TimeEntryForm {
    int engagement_index = -1;  // in lists["engagements"]
    FieldText<16> date{};  // room past "YYYY-MM-DD": the core names a malformed date
    FieldText<12> hours{};
    FieldText<1000> description{};
    bool billable = true;
    bool saving = false;
    FormErrors errors;
    std::string notice;
};

struct ExpenseForm {
    int engagement_index = -1;
    FieldText<16> date{};
    FieldText<24> amount{};
    FieldText<1000> description{};
    FieldText<100> category{};
    bool billable = true;
    bool saving = false;
    FormErrors errors;
    std::string notice;
};

// A running timer: Stop turns the elapsed time into hours (hundredths, half-up) and saves.
// A running timer is also kept in the browser's localStorage (per person and firm) with its
// engagement and description, so a reload, a closed tab or the next sign-in finds it running.
struct TimeTimer {
    bool running = false;
    double started_ms = 0;
    long long stopped_seconds = -1;  // the last run's length, -1 before any
    std::string restore_engagement_id;  // picked in the form once the engagements have loaded
};

// The approval queue's ticked rows ("time:<id>", "expense:<id>") and the last bulk answer.
struct ApprovalQueue {
    std::set<std::string> selected;
    int pending = 0;  // bulk requests in flight
    std::vector<Error> errors;
    std::string notice;
};

struct TimeWorkspace {
    int tab = 0;                   // 0 log time, 1 log an expense, 2 approval queue
    std::string me_membership_id;  // GET /api/v1/auth/me: whose entries are "mine"
    std::string firm_time_zone;    // GET /api/v1/firm: the firm's today for the date fields
    TimeEntryForm entry;
    ExpenseForm expense;
    TimeTimer timer;
    ApprovalQueue queue;
    std::map<std::string, time::TimeZone> zones;  // parsed from web/zoneinfo/<name> (TZif)
    std::set<std::string> zones_loading;
    std::map<std::string, Error> zone_errors;  // names whose bytes could not be had or read
    bool failures_view = false;   // Payments: the failures and alerts sub-view
    // Failures of invoices outside the loaded invoice page (one issued since, or past the
    // first 100): id -> number, "" while it is being asked for.
    std::map<std::string, std::string> failure_numbers;
    std::string acking;                        // the alert being acknowledged
    std::string alert_notice;
    std::optional<Error> alert_error;
};

}  // namespace cp::portal
