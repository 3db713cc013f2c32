#pragma once
// What a package fee run did, in the CLI's and the API's JSON shape:
// {"date", "firms", "engagements", "created", "already_invoiced", "skipped", "errors", "invoices"}.
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "shared/time/civil.hpp"

namespace cp::server::billing {

struct RunReport {
    std::optional<time::Date> date;  // absent: each firm ran for its own local today
    bool dry_run = false;
    std::int64_t firms = 0, engagements = 0, created = 0, already_invoiced = 0, skipped = 0;
    // {firm_id, engagement_id?, code, message}
    nlohmann::json errors = nlohmann::json::array();
    // Ids of the invoices created; in a dry run, what would be created:
    // {engagement_id, client_id, period_start, period_end, total, currency}.
    nlohmann::json invoices = nlohmann::json::array();

    void add_error(const std::string& firm_id, const std::string& engagement_id, const std::string& code,
                   const std::string& message);
    void merge(const RunReport& other);  // counts, errors and invoices (not date, not flags)
    bool failed() const { return !errors.empty(); }
    nlohmann::json to_json() const;
};

}  // namespace cp::server::billing
