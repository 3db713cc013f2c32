#include "shared/schedule/renewal.hpp"

namespace cp::schedule {

Result<Period> renewal_period(const time::Date& old_end, std::optional<time::Date> new_end) {
    if (old_end.year >= time::kMaxYear) return Error{"OUT_OF_RANGE", "end_date", "is too far in the future"};
    const time::Date start = time::add_days(old_end, 1);
    const time::Date end = new_end ? *new_end : time::add_days(start, kDefaultRenewalDays);
    if (end < start) return Error{"END_BEFORE_START", "end_date", "must be on or after the renewal's start"};
    if (end.year > time::kMaxYear) return Error{"OUT_OF_RANGE", "end_date", "is too far in the future"};
    return Period{start, end};
}

}  // namespace cp::schedule
