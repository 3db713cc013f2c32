#pragma once
// The rules of the firm's reports, in the core so the portal can show the same numbers
// offline: AR aging buckets, report periods, and what kind of work a line bills.
#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "shared/billing/line_item.hpp"
#include "shared/core/error.hpp"
#include "shared/time/civil.hpp"

namespace cp::reports {

// Days past the due date on `as_of`: current (not yet due, or no due date), 1-30, 31-60,
// 61-90, over 90.
enum class AgingBucket { current, days_1_30, days_31_60, days_61_90, over_90 };
inline constexpr std::size_t kAgingBuckets = 5;

AgingBucket aging_bucket(const std::optional<time::Date>& due_date, const time::Date& as_of);
// "current", "1_30", "31_60", "61_90", "over_90" (the JSON keys and CSV columns).
std::string_view bucket_name(AgingBucket b);

struct AgingRow {
    std::array<int64_t, kAgingBuckets> buckets{};
    int64_t total = 0;
    // AMOUNT_OVERFLOW past the money limit.
    Result<bool> add(AgingBucket b, int64_t amount);
};

// Report periods between two dates (inclusive): calendar months, the first and last cut
// to the range. OUT_OF_RANGE (field "to") when `to` is before `from` or the range spans
// more than 120 months; INVALID_ENUM (field "interval") for an interval other than "month".
struct Period {
    std::string key;  // "2026-09"
    time::Date start, end;
};
Result<std::vector<Period>> report_periods(const time::Date& from, const time::Date& to, std::string_view interval);
// The index of the period holding `d`, or nullopt outside them all.
std::optional<std::size_t> period_of(const std::vector<Period>& periods, const time::Date& d);

// What an invoice line bills, for the engagement mix: package fees, hourly time, expenses,
// or other (adjustments, late fees).
enum class WorkKind { package, hourly, expense, other };
WorkKind work_kind(billing::LineKind k);
std::string_view to_string(WorkKind k);

}  // namespace cp::reports
