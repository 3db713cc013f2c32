#pragma once
// CRM follow-ups (DOMAIN Tier 5, "CRM signals"; issue 14): the daily signals that raise an
// alert for the owner of a lead nobody has touched for N days (default 7) and of a sent
// proposal about to run out (within 3 days of its last day, by default). Days are the
// firm's local calendar dates, so a DST change never moves a signal by an hour or a day.
//
// Firm settings, member "crm" of the settings object (both optional):
//   lead_untouched_days      1..365, default 7
//   proposal_expiring_days   0..30,  default 3 (0: only on the last day)
#include <nlohmann/json.hpp>
#include <string>

#include "shared/core/error.hpp"
#include "shared/state/crm_status.hpp"
#include "shared/time/civil.hpp"

namespace cp::crm {

struct FollowUpSettings {
    int lead_untouched_days = 7;
    int proposal_expiring_days = 3;
};

// Errors for the value of settings.crm, at `field` ("settings.crm") and below.
Errors validate_follow_up_settings(const nlohmann::json& value, const std::string& field);

// The firm's follow-up settings from its whole settings object: defaults where absent.
FollowUpSettings follow_up_settings(const nlohmann::json& firm_settings);

// A lead still being worked (new, contacted, qualified) is followed up; a disqualified one
// is not (a converted lead is followed through its prospect and proposals instead: the
// server leaves those out).
bool lead_is_followed(state::LeadStatus status);

// True once `days` whole local days have passed since the lead's last activity.
bool lead_needs_follow_up(const time::Date& last_activity_on, const time::Date& today, int days);

// True for a sent proposal on the local days within `days` before its last day (the last
// day included), never once it has lapsed.
bool proposal_needs_follow_up(state::ProposalStatus status, const time::Date& expires_on,
                              const time::Date& today, int days);

}  // namespace cp::crm
