#include "client/app/crm_debug.hpp"

#include "client/app/crm_actions.hpp"

namespace cp::portal {
namespace {

nlohmann::json cards_of(const AppState& s, const char* list, const char* stage_key) {
    nlohmann::json out = nlohmann::json::array();
    auto it = s.staff.lists.find(list);
    if (it == s.staff.lists.end()) return out;
    for (const auto& row : it->second.rows) {
        nlohmann::json card = {{"id", row.value("id", "")}, {"stage", row.value(stage_key, "")}};
        for (const char* key : {"company", "title", "total", "estimated_value", "lead_id", "prospect_id"}) {
            if (row.contains(key) && row[key].is_string()) card[key] = row[key];
        }
        out.push_back(card);
    }
    return out;
}

}  // namespace

nlohmann::json crm_debug_state(const AppState& s) {
    const auto& crm = s.staff.crm;
    const auto& b = crm.board;
    const auto& p = crm.proposal;
    nlohmann::json preview = nullptr;
    if (p.preview.is_object() && p.preview.value("ok", false)) {
        preview = {{"subtotal", p.preview["subtotal"]}, {"tax", p.preview["tax"]}, {"total", p.preview["total"]}};
    }
    nlohmann::json acceptance = nullptr;
    if (p.acceptance.is_object() && p.acceptance.contains("client") && p.acceptance.contains("engagement")) {
        acceptance = {{"client_id", p.acceptance["client"].value("id", "")},
                      {"client", p.acceptance["client"].value("company_name", "")},
                      {"engagement_id", p.acceptance["engagement"].value("id", "")},
                      {"contract_id", p.acceptance["contract"].value("id", "")}};
    }
    return {{"page", static_cast<int>(pipeline_page(s.staff.sub))},
            {"report_loaded", b.report.is_object()},
            {"report_loading", b.report_loading},
            {"report", b.report},
            {"selected", b.selected},
            {"moving", b.moving},
            {"notice", b.notice},
            {"close_by", std::string(b.close_by.data())},
            {"move_errors", b.shown_errors},
            {"leads", cards_of(s, "leads", "status")},
            {"prospects", cards_of(s, "prospects", "stage")},
            {"proposals", cards_of(s, "proposals", "status")},
            {"lead_form", {{"id", crm.lead.id}, {"saving", crm.lead.saving}, {"shown_errors", crm.lead.shown_errors},
                           {"company", std::string(crm.lead.company.data())}}},
            {"proposal_form", {{"id", p.id},
                               {"prospect_id", p.prospect_id},
                               {"status", p.stored.is_object() ? p.stored.value("status", "") : std::string("draft")},
                               {"saving", p.saving},
                               {"acting", p.acting},
                               {"notice", p.notice},
                               {"lines", p.lines.size()},
                               {"preview", preview},
                               {"stored_total", p.stored.is_object() ? p.stored.value("total", "") : std::string{}},
                               {"shown_errors", p.shown_errors},
                               {"acceptance", acceptance}}}};
}

}  // namespace cp::portal
