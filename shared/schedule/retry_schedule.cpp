#include "shared/schedule/retry_schedule.hpp"

namespace cp::schedule {

namespace {
// 9999-12-31T23:59:59Z: the last instant our ISO-8601 format can print.
constexpr time::Instant kLastPrintableInstant = 253402300799;
// 0001-01-01T00:00:00Z.
constexpr time::Instant kFirstPrintableInstant = -62135596800;
}  // namespace

Result<std::array<time::Instant, 3>> retry_schedule(time::Instant first_failure, const time::TimeZone& zone) {
    const time::Instant first_limit = kLastPrintableInstant - 15 * 86400;
    if (first_failure < kFirstPrintableInstant) {
        return Error{"OUT_OF_RANGE", "first_failure", "is before the year 1"};
    }
    if (first_failure > first_limit) {
        return Error{"OUT_OF_RANGE", "first_failure", "is too far in the future"};
    }
    const time::LocalSeconds local = zone.to_local(first_failure);
    std::array<time::Instant, 3> attempts{};
    for (size_t i = 0; i < attempts.size(); ++i) {
        attempts[i] = zone.to_utc(local + kRetryDelayDays[i] * int64_t{86400});
    }
    return attempts;
}

}  // namespace cp::schedule
