#pragma once
// The JSON-lines protocol of the core CLI (tools/core-cli), as a pure function so the
// native and Wasm builds run exactly the same code and tests need no process.
// One input line (a JSON object with "op") -> one output line (no newline), never throws.
//
//   invoice_totals   draft fields (billing/draft_reader.hpp)  -> {"subtotal","tax","total"}
//   billing_period   schedule (default monthly), date, engagement_start?, engagement_end?
//                                                             -> {"start","end"}
//   retry_schedule   first_failure, time_zone                 -> {"attempts":[3 instants]}
//   overdue          due_date, now, time_zone                 -> {"overdue","days_past_due","bucket"}
//   package_runs     schedule, engagement_start, engagement_end?, from, to
//                                                             -> {"periods":[{"start","end"}…]}
//   invoice_preview  draft                                    -> preview_invoice's JSON
// Anything invalid -> {"error":{"code","field","message"}} (first error found).
#include <string>
#include <string_view>

#include "shared/time/zone_cache.hpp"

namespace cp::protocol {

std::string handle_core_line(std::string_view line, time::ZoneCache& zones);

}  // namespace cp::protocol
