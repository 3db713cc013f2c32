#include "shared/crm/pipeline_report.hpp"

#include "shared/money/decimal.hpp"
#include "shared/money/money.hpp"
#include "shared/schedule/proposal_expiry.hpp"

namespace cp::crm {
namespace {

Result<bool> tally(StageTally& t, const std::string& currency, std::optional<int64_t> value) {
    if (value) {
        const int64_t sum = t.value[currency] + *value;
        if (!money::within_amount_limit(*value) || !money::within_amount_limit(sum))
            return Error{"AMOUNT_OVERFLOW", "value", "the report's total is beyond the money limit"};
        t.value[currency] = sum;
    }
    ++t.count;
    return true;
}

std::size_t at(auto e) { return static_cast<std::size_t>(e); }

// numerator / denominator rounded half up, both non-negative, denominator > 0.
int64_t div_half_up(int64_t numerator, int64_t denominator) {
    return numerator / denominator + (2 * (numerator % denominator) >= denominator ? 1 : 0);
}

}  // namespace

Result<bool> PipelineReport::add_lead(state::LeadStatus status, const std::string& currency,
                                      std::optional<int64_t> value) {
    return tally(leads_[at(status)], currency, value);
}

Result<bool> PipelineReport::add_prospect(state::ProspectStage stage, const std::string& currency,
                                          std::optional<int64_t> value) {
    return tally(prospects_[at(stage)], currency, value);
}

state::ProposalStatus PipelineReport::effective_status(state::ProposalStatus status,
                                                       const time::Date& expires_on) const {
    if (status == state::ProposalStatus::sent && schedule::proposal_lapsed(expires_on, as_of_))
        return state::ProposalStatus::expired;
    return status;
}

Result<bool> PipelineReport::add_proposal(state::ProposalStatus status, const time::Date& expires_on,
                                          const std::string& currency, int64_t total,
                                          const time::Date& created_on,
                                          std::optional<time::Date> decided_on) {
    const auto counted = effective_status(status, expires_on);
    auto added = tally(proposals_[at(counted)], currency, total);
    if (!added) return added;
    if (counted == state::ProposalStatus::accepted)
        days_to_close_total_ += days_to_close(created_on, decided_on.value_or(created_on));
    return true;
}

int64_t PipelineReport::accepted() const { return proposals_[at(state::ProposalStatus::accepted)].count; }

int64_t PipelineReport::decided() const {
    return accepted() + proposals_[at(state::ProposalStatus::declined)].count +
           proposals_[at(state::ProposalStatus::expired)].count;
}

std::optional<std::string> PipelineReport::win_rate_percent() const {
    return percent_half_up(accepted(), decided());
}

std::optional<std::string> PipelineReport::average_days_to_close() const {
    return mean_one_decimal(days_to_close_total_, accepted());
}

int64_t days_to_close(const time::Date& created_on, const time::Date& accepted_on) {
    const int64_t days = time::days_from_civil(accepted_on) - time::days_from_civil(created_on);
    return days < 0 ? 0 : days;
}

std::optional<std::string> percent_half_up(int64_t part, int64_t whole) {
    if (whole <= 0) return std::nullopt;
    return money::format_fixed(div_half_up(part * 10000, whole), 2);
}

std::optional<std::string> mean_one_decimal(int64_t sum, int64_t n) {
    if (n <= 0) return std::nullopt;
    return money::format_fixed(div_half_up(sum * 10, n), 1);
}

}  // namespace cp::crm
