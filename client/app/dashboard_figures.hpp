#pragma once
// The dashboard's figures per currency, read from the server's reports (the core's aging
// buckets and report periods) with the core's decimal arithmetic: never floating point.
#include <array>
#include <string>
#include <vector>

#include "client/app/staff_state.hpp"
#include "shared/reports/report_rules.hpp"

namespace cp::portal {

struct CurrencyFigures {
    std::string currency;
    std::string outstanding = "0", overdue = "0", collected_month = "0";
    std::array<std::string, reports::kAgingBuckets> aging{};  // the core's bucket order
    std::array<long long, reports::kAgingBuckets> aging_minor{};
    struct Month {
        std::string period;  // "2026-09"
        std::string issued, collected;
        long long issued_minor = 0, collected_minor = 0;
    };
    std::vector<Month> months;  // oldest first
};

std::vector<CurrencyFigures> dashboard_figures(const Dashboard& dashboard);
// "Current", "1-30 days", ... for reports::bucket_name's keys.
std::string bucket_label(reports::AgingBucket b);

}  // namespace cp::portal
