#pragma once
// CRM follow-ups (issue 14, DOMAIN Tier 5 "CRM signals"): once per firm per local day,
// raise an alert for the owner of every lead nobody has touched for N days and of every
// sent proposal within its expiry window (the rules and the firm settings are the core's:
// shared/crm/follow_ups.hpp). Each alert is raised once: its dedupe key names the event
// (the lead's last activity, the proposal) and alerts(firm_id, dedupe_key) is unique, so a
// rerun, a second server or the CLI beside the server add nothing.
//
// The server runs it from the package scheduler's tick (every poll, each firm once per local
// day, recorded in crm_signal_state); `cp_server run-crm-signals [--date D] [--firm ID]`
// runs it by hand, always evaluating (as of D's local day when given).
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "server/storage/database.hpp"
#include "server/util/zones.hpp"
#include "shared/time/civil.hpp"

namespace cp::server::crm {

struct SignalOptions {
    std::int64_t now = 0;
    std::optional<time::Date> date;  // evaluate as of this local date (every firm); else each firm's today
    std::optional<std::string> firm_id;  // only this firm
    bool daily = false;                  // the scheduler: skip firms already evaluated for their date
    std::string actor_id = "crm-signals";
};

struct SignalReport {
    std::optional<time::Date> date;
    std::int64_t firms = 0, evaluated = 0, raised = 0;
    nlohmann::json alerts = nlohmann::json::array();  // ids raised now
    nlohmann::json errors = nlohmann::json::array();  // {firm_id, message}
    nlohmann::json to_json() const;
};

SignalReport run_crm_signals(storage::Database& db, Zones& zones, const SignalOptions& options);

}  // namespace cp::server::crm
