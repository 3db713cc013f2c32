#pragma once
// Reading the server's X-Break-Glass header into the banner firm staff see, and the words
// of its countdown.
#include <string>

#include "client/app/app_state.hpp"

namespace cp::portal {

// Replaces `banner` with the header's session, or clears it when the header is absent or
// unreadable. A revoke in flight keeps its state.
void update_break_glass(BreakGlassBanner& banner, const std::string& header);

// "12 min 05 s", "45 s".
std::string time_left_text(double ms_left);

// "2026-11-30T08:15:00Z" as milliseconds since the Unix epoch; 0 when malformed.
double iso_utc_to_ms(const std::string& iso);

}  // namespace cp::portal
