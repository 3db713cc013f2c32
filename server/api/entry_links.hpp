#pragma once
// The link between invoice lines and the time entries / expenses they bill. An entry is
// "taken" by the one invoice whose id it carries (a draft or an issued invoice); a draft's
// lines may only bill entries that draft already holds, unchanged.
#include <string>

#include "server/api/common.hpp"

namespace cp::api {

// Errors for lines naming entries this draft does not hold, naming one twice, or whose
// kind, quantity or unit price differ from the entry (field lines[i].time_entry_id / ...).
Errors check_linked_lines(Ctx& ctx, const std::string& invoice_id, const json& lines,
                          const std::string& rounding);

// After the lines changed: the draft holds exactly the entries its lines name.
void relink_entries(Ctx& ctx, const std::string& invoice_id, const json& lines);
// The entries go back to unbilled (a deleted draft, a voided invoice).
void release_entries(Ctx& ctx, const std::string& invoice_id);
// ENTRY_NOT_APPROVED for each line whose entry lost its approval (checked when issuing).
Errors unapproved_entries(Ctx& ctx, const std::string& invoice_id);

// The time line and the expense line that bill an entry (one line per entry).
json time_line(const storage::Row& entry, const std::string& currency, const std::string& tax_rate);
json expense_line(const storage::Row& expense, const std::string& rounding, const std::string& tax_rate);

}  // namespace cp::api
