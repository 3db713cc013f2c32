#pragma once
// bench/portal-frame-time's way to a 100,000-row invoice table without 500 page requests:
// the rows the server sent are repeated, each copy with its own number and id, into the
// table's own list. Only this tab's copy changes; nothing is sent. The rows cannot be
// opened (their ids are not the server's), and Refresh brings the real list back.
#include "client/app/app_state.hpp"

namespace cp::portal {

// Returns the number of rows now listed (0 when nothing was loaded to copy).
int fill_invoice_rows_for_bench(AppState& state, int count);

}  // namespace cp::portal
