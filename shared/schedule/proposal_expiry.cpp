#include "shared/schedule/proposal_expiry.hpp"

namespace cp::schedule {

bool proposal_lapsed(const time::Date& expires_on, const time::Date& today) { return today > expires_on; }

bool proposal_expiring_within(const time::Date& expires_on, const time::Date& today, int days) {
    return !proposal_lapsed(expires_on, today) && time::add_days(today, days) >= expires_on;
}

}  // namespace cp::schedule
