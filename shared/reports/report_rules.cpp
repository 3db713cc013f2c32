#include "shared/reports/report_rules.hpp"

#include "shared/money/money.hpp"

namespace cp::reports {

AgingBucket aging_bucket(const std::optional<time::Date>& due_date, const time::Date& as_of) {
    if (!due_date) return AgingBucket::current;
    const int64_t late = time::days_from_civil(as_of) - time::days_from_civil(*due_date);
    if (late <= 0) return AgingBucket::current;
    if (late <= 30) return AgingBucket::days_1_30;
    if (late <= 60) return AgingBucket::days_31_60;
    if (late <= 90) return AgingBucket::days_61_90;
    return AgingBucket::over_90;
}

std::string_view bucket_name(AgingBucket b) {
    switch (b) {
        case AgingBucket::current:
            return "current";
        case AgingBucket::days_1_30:
            return "1_30";
        case AgingBucket::days_31_60:
            return "31_60";
        case AgingBucket::days_61_90:
            return "61_90";
        case AgingBucket::over_90:
            return "over_90";
    }
    return "current";
}

Result<bool> AgingRow::add(AgingBucket b, int64_t amount) {
    auto& slot = buckets[static_cast<std::size_t>(b)];
    if (!money::within_amount_limit(slot + amount) || !money::within_amount_limit(total + amount))
        return Error{"AMOUNT_OVERFLOW", "amount", "the report's total is beyond the money limit"};
    slot += amount;
    total += amount;
    return true;
}

Result<std::vector<Period>> report_periods(const time::Date& from, const time::Date& to, std::string_view interval) {
    if (interval != "month") return Error{"INVALID_ENUM", "interval", "must be one of: month"};
    if (to < from) return Error{"OUT_OF_RANGE", "to", "must not be before from"};
    const int64_t months = (to.year - from.year) * 12 + (to.month - from.month) + 1;
    if (months > 120) return Error{"OUT_OF_RANGE", "to", "a report spans at most 120 months"};
    std::vector<Period> out;
    int32_t y = from.year, m = from.month;
    for (int64_t i = 0; i < months; ++i) {
        Period p;
        p.key = time::format_iso_date(time::Date{y, m, 1}).substr(0, 7);
        p.start = i == 0 ? from : time::Date{y, m, 1};
        const time::Date month_end{y, m, time::days_in_month(y, m)};
        p.end = i == months - 1 ? to : month_end;
        out.push_back(p);
        if (++m > 12) {
            m = 1;
            ++y;
        }
    }
    return out;
}

std::optional<std::size_t> period_of(const std::vector<Period>& periods, const time::Date& d) {
    for (std::size_t i = 0; i < periods.size(); ++i) {
        if (periods[i].start <= d && d <= periods[i].end) return i;
    }
    return std::nullopt;
}

WorkKind work_kind(billing::LineKind k) {
    switch (k) {
        case billing::LineKind::package_fee:
            return WorkKind::package;
        case billing::LineKind::time:
            return WorkKind::hourly;
        case billing::LineKind::expense:
            return WorkKind::expense;
        case billing::LineKind::adjustment:
        case billing::LineKind::late_fee:
            return WorkKind::other;
    }
    return WorkKind::other;
}

std::string_view to_string(WorkKind k) {
    switch (k) {
        case WorkKind::package:
            return "package";
        case WorkKind::hourly:
            return "hourly";
        case WorkKind::expense:
            return "expense";
        case WorkKind::other:
            return "other";
    }
    return "other";
}

}  // namespace cp::reports
