#include "server/billing/package_report.hpp"

namespace cp::server::billing {

void RunReport::add_error(const std::string& firm_id, const std::string& engagement_id, const std::string& code,
                          const std::string& message) {
    nlohmann::json e{{"firm_id", firm_id}, {"code", code}, {"message", message}};
    if (!engagement_id.empty()) e["engagement_id"] = engagement_id;
    errors.push_back(std::move(e));
}

void RunReport::merge(const RunReport& o) {
    firms += o.firms;
    engagements += o.engagements;
    created += o.created;
    already_invoiced += o.already_invoiced;
    skipped += o.skipped;
    for (const auto& e : o.errors) errors.push_back(e);
    for (const auto& i : o.invoices) invoices.push_back(i);
}

nlohmann::json RunReport::to_json() const {
    return {{"date", date ? nlohmann::json(time::format_iso_date(*date)) : nlohmann::json(nullptr)},
                       {"firms", firms},
                       {"engagements", engagements},
                       {"created", created},
                       {"already_invoiced", already_invoiced},
                       {"skipped", skipped},
                       {"errors", errors},
                       {"invoices", invoices}};
}

}  // namespace cp::server::billing
