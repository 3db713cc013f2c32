#include "client/app/dashboard_figures.hpp"

#include "client/app/staff_actions.hpp"
#include "shared/money/currency.hpp"
#include "shared/money/decimal.hpp"

namespace cp::portal {
namespace {

std::string str_of(const nlohmann::json& j, const char* key) {
    return j.is_object() && j.contains(key) && j[key].is_string() ? j[key].get<std::string>() : std::string{};
}

CurrencyFigures& figures_for(std::vector<CurrencyFigures>& all, const std::string& currency) {
    for (auto& f : all) {
        if (f.currency == currency) return f;
    }
    auto& f = all.emplace_back();
    f.currency = currency;
    const auto* cur = money::find_currency(currency);
    const std::string zero = money::format_fixed(0, cur ? cur->minor_digits : 2);
    f.outstanding = f.overdue = f.collected_month = zero;
    f.aging.fill(zero);
    return f;
}

}  // namespace

std::string bucket_label(reports::AgingBucket b) {
    switch (b) {
        case reports::AgingBucket::current: return "Current";
        case reports::AgingBucket::days_1_30: return "1-30 days";
        case reports::AgingBucket::days_31_60: return "31-60 days";
        case reports::AgingBucket::days_61_90: return "61-90 days";
        case reports::AgingBucket::over_90: return "Over 90 days";
    }
    return {};
}

std::vector<CurrencyFigures> dashboard_figures(const Dashboard& d) {
    std::vector<CurrencyFigures> out;
    std::string this_month;
    if (d.aging.is_object()) {
        this_month = str_of(d.aging, "as_of").substr(0, 7);
        if (d.aging.contains("currencies") && d.aging["currencies"].is_array()) {
            for (const auto& c : d.aging["currencies"]) {
                const std::string cur = str_of(c, "currency");
                auto& f = figures_for(out, cur);
                const auto& total = c.contains("total") ? c["total"] : nlohmann::json::object();
                f.outstanding = str_of(total, "total");
                for (std::size_t b = 0; b < reports::kAgingBuckets; ++b) {
                    const std::string key(reports::bucket_name(static_cast<reports::AgingBucket>(b)));
                    f.aging[b] = str_of(total, key.c_str());
                    f.aging_minor[b] = money_minor(f.aging[b], cur);
                }
                // Overdue: everything past its due date, i.e. all but the current bucket.
                f.overdue = money_minus(f.outstanding, f.aging[0], cur);
            }
        }
    }
    if (d.revenue.is_object() && d.revenue.contains("currencies") && d.revenue["currencies"].is_array()) {
        for (const auto& c : d.revenue["currencies"]) {
            const std::string cur = str_of(c, "currency");
            auto& f = figures_for(out, cur);
            if (!c.contains("periods") || !c["periods"].is_array()) continue;
            for (const auto& p : c["periods"]) {
                CurrencyFigures::Month m;
                m.period = str_of(p, "period");
                m.issued = str_of(p, "issued");
                m.collected = str_of(p, "collected");
                m.issued_minor = money_minor(m.issued, cur);
                m.collected_minor = money_minor(m.collected, cur);
                if (m.period == this_month) f.collected_month = m.collected;
                f.months.push_back(m);
            }
        }
    }
    return out;
}

}  // namespace cp::portal
