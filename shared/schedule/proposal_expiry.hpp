#pragma once
// When a sent proposal runs out. `expires_on` is a calendar date in the firm's time zone
// and the proposal is good through that whole local day: it lapses at the local midnight
// that ends it, whatever the UTC offset does around it (DST changes included), because
// the server compares local dates, never instants.
#include "shared/time/civil.hpp"

namespace cp::schedule {

// True once the firm's local date `today` is past `expires_on`.
bool proposal_lapsed(const time::Date& expires_on, const time::Date& today);

// True on the local days within `days` before expiry (0 = the last day), the window of the
// "expiring soon" follow-up.
bool proposal_expiring_within(const time::Date& expires_on, const time::Date& today, int days);

}  // namespace cp::schedule
