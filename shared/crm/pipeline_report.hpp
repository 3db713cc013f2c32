#pragma once
// The pipeline report's arithmetic (DOMAIN Tier 5, "CRM signals"; issue 14): how many
// leads, prospects and proposals sit in each stage and what they are worth, the win rate
// and the average days to close. The server feeds it one row at a time; the portal can run
// the same on what it holds.
//
// Rules:
// - Stages are listed in their state machine's order, empty ones included (count 0).
// - Value: a lead's or prospect's estimated value (rows without one are counted but add
//   nothing), a proposal's total (tax included). Summed per currency in minor units, never
//   converted; AMOUNT_OVERFLOW past the money limit.
// - A sent proposal whose expires_on is before the report's local date counts as expired
//   (it has lapsed even if nobody has looked at it since).
// - Win rate = accepted / (accepted + declined + expired), as a percentage with two
//   decimals rounded half up ("66.67"); none decided: no rate (null).
// - Days to close of an accepted proposal = its acceptance date minus its creation date,
//   both firm-local calendar dates (so DST never makes a day 23 or 25 hours long here);
//   the average has one decimal, rounded half up ("12.5"); none accepted: null.
#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <string>

#include "shared/core/error.hpp"
#include "shared/state/crm_status.hpp"
#include "shared/time/civil.hpp"

namespace cp::crm {

struct StageTally {
    int64_t count = 0;
    std::map<std::string, int64_t> value;  // currency -> minor units
};

class PipelineReport {
public:
    explicit PipelineReport(time::Date as_of) : as_of_(as_of) {}

    Result<bool> add_lead(state::LeadStatus status, const std::string& currency,
                          std::optional<int64_t> value);
    Result<bool> add_prospect(state::ProspectStage stage, const std::string& currency,
                              std::optional<int64_t> value);
    // `created_on` and `decided_on` are firm-local dates; `decided_on` matters for accepted ones.
    Result<bool> add_proposal(state::ProposalStatus status, const time::Date& expires_on,
                              const std::string& currency, int64_t total, const time::Date& created_on,
                              std::optional<time::Date> decided_on);

    const time::Date& as_of() const { return as_of_; }
    const std::array<StageTally, 4>& leads() const { return leads_; }
    const std::array<StageTally, 5>& prospects() const { return prospects_; }
    const std::array<StageTally, 5>& proposals() const { return proposals_; }

    // The status a proposal is counted under on the report's date.
    state::ProposalStatus effective_status(state::ProposalStatus status, const time::Date& expires_on) const;

    int64_t accepted() const;
    int64_t decided() const;  // accepted + declined + expired
    std::optional<std::string> win_rate_percent() const;
    int64_t days_to_close_total() const { return days_to_close_total_; }
    std::optional<std::string> average_days_to_close() const;

private:
    time::Date as_of_;
    std::array<StageTally, 4> leads_{};
    std::array<StageTally, 5> prospects_{};
    std::array<StageTally, 5> proposals_{};
    int64_t days_to_close_total_ = 0;
};

// Whole local days from creation to acceptance (never negative).
int64_t days_to_close(const time::Date& created_on, const time::Date& accepted_on);

// part / whole as a percentage with two decimals, rounded half up; nullopt when whole <= 0.
// Both are counts (0 <= part <= whole).
std::optional<std::string> percent_half_up(int64_t part, int64_t whole);

// sum / n with one decimal, rounded half up; nullopt when n <= 0. sum >= 0.
std::optional<std::string> mean_one_decimal(int64_t sum, int64_t n);

}  // namespace cp::crm
