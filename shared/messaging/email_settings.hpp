#pragma once
// A firm's client-email settings (firm settings key "email"): when reminders go out and
// what each message's subject says. The rules live in the core so the portal's settings
// screen and the server validate and preview subjects identically.
//
//   "email": {
//     "reminder_days": [-3, 0, 7, 14],   // days relative to the due date (client's zone);
//                                        // -60..365, at most 10, no repeats
//     "reply_to": "billing@firm.test",   // or null: replies go to the From address
//     "subjects": {"invoice_issued": "...", ...}   // kinds below; absent ones use defaults
//   }
//
// Subject templates may use {firm}, {number}, {amount}, {due_date} and {days}; any other
// {name} or an unbalanced brace is INVALID_TEMPLATE. A subject is 1..200 characters.
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "shared/core/error.hpp"

namespace cp::messaging {

// Message kinds, which are also the keys of "subjects".
inline const std::vector<std::string>& message_kinds() {
    static const std::vector<std::string> kinds = {"invoice_issued", "payment_receipt", "credit_note",
                                                   "autopay_failed", "final_notice",    "reminder"};
    return kinds;
}

// The defaults, complete (every kind has a subject).
nlohmann::json default_email_settings();

// Errors with fields under `path` (e.g. "settings.email").
Errors validate_email_settings(const nlohmann::json& email, const std::string& path);

// Stored settings (maybe partial or absent) over the defaults.
nlohmann::json effective_email_settings(const nlohmann::json& stored_or_null);

// `tmpl` with each {name} replaced by vars[name] (a valid template; unknown names stay).
std::string render_subject(const std::string& tmpl, const std::map<std::string, std::string>& vars);

// Sample values for previews: {firm: "<firm>", number: "INV-2026-0042", ...}.
std::map<std::string, std::string> sample_subject_vars(const std::string& firm_name);

}  // namespace cp::messaging
