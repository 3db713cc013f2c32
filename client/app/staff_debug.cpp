#include "client/app/staff_debug.hpp"

#include "client/app/crm_debug.hpp"
#include "client/app/dashboard_figures.hpp"
#include "client/app/engagement_edit_actions.hpp"
#include "client/app/staff_actions.hpp"
#include "client/app/time_actions.hpp"
#include "client/app/workspace.hpp"

namespace cp::portal {

nlohmann::json staff_debug_state(const AppState& s) {
    const auto& ws = s.staff;
    nlohmann::json out = {{"section", section_info(ws.section).slug}, {"sub", ws.sub}, {"notice", ws.notice}};
    nlohmann::json visible = nlohmann::json::array();
    for (Section sec : visible_sections(s.session.role)) visible.push_back(section_info(sec).title);
    out["sections"] = visible;
    nlohmann::json lists = nlohmann::json::object();
    for (const auto& [name, list] : ws.lists) {
        lists[name] = {{"count", list.rows.size()}, {"loaded", list.loaded}, {"loading", list.loading},
                       {"error", list.error ? list.error->code : ""}};
    }
    out["lists"] = lists;
    nlohmann::json dash = nlohmann::json::object();
    for (const auto& f : dashboard_figures(ws.dashboard)) {
        nlohmann::json aging = nlohmann::json::object();
        for (std::size_t b = 0; b < f.aging.size(); ++b) {
            aging[std::string(reports::bucket_name(static_cast<reports::AgingBucket>(b)))] = f.aging[b];
        }
        dash[f.currency] = {{"outstanding", f.outstanding}, {"overdue", f.overdue}, {"collected_month", f.collected_month},
                            {"aging", aging}, {"months", f.months.size()}};
    }
    out["dashboard"] = {{"loading", ws.dashboard.loading},
                        {"by_currency", dash},
                        {"open_disputes", ws.dashboard.disputes.size()},
                        {"retries", ws.dashboard.failures.size()}};
    auto errors = [](const std::vector<std::string>& shown) { return nlohmann::json(shown); };
    out["client_form"] = {{"saving", ws.client_form.saving}, {"shown_errors", errors(ws.client_form.shown_errors)},
                          {"company_name", std::string(ws.client_form.company_name.data())}};
    out["engagement_form"] = {{"saving", ws.engagement_form.saving},
                              {"shown_errors", errors(ws.engagement_form.shown_errors)}};
    out["settings"] = {{"notice", ws.settings.notice}, {"changes", settings_changes(ws.settings)},
                       {"loaded", ws.settings.firm.is_object()}};
    out["pipeline"] = crm_debug_state(s);
    out["audit_verify"] = ws.audit_verify;
    out["member_edit"] = {{"saving", ws.member_edit.saving}, {"notice", ws.member_edit.notice},
                          {"shown_errors", ws.member_edit.shown_errors}};
    out["member_add"] = {{"saving", ws.member_add.saving}, {"notice", ws.member_add.notice},
                         {"shown_errors", ws.member_add.shown_errors}};
    out["engagement_edit"] = engagement_edit_debug(ws.engagement_edit);
    const auto& search = s.nav.search;
    out["search"] = {{"asked", search.asked}, {"pending", search.pending}, {"requests", search.requests},
                     {"clients", search.clients.size()}, {"invoices", search.invoices.size()},
                     {"engagements", search.engagements.size()}};
    out["firms"] = s.nav.switcher.firms.size();
    out["firm_name"] = s.session.firm_name;
    nlohmann::json downloads = nlohmann::json::object();
    for (const auto& [name, id] : ws.downloads) downloads[name] = id;
    out["downloads"] = downloads;
    out["time"] = time_debug_state(s);  // Time section, approvals, failures, alerts
    return out;
}

}  // namespace cp::portal
