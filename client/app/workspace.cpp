#include "client/app/workspace.hpp"

namespace cp::portal {

const std::vector<SectionInfo>& all_sections() {
    using C = auth::Capability;
    static const std::vector<SectionInfo> sections = {
        {Section::dashboard, "dashboard", "Dashboard", C::invoices_read},
        {Section::clients, "clients", "Clients", C::clients_read},
        {Section::engagements, "engagements", "Engagements", C::engagements_read},
        {Section::pipeline, "pipeline", "Pipeline", C::clients_read},  // what the CRM routes read with
        {Section::time, "time", "Time", C::time_read},
        {Section::invoices, "invoices", "Invoices", C::invoices_read},
        {Section::payments, "payments", "Payments", C::invoices_read},
        {Section::disputes, "disputes", "Disputes", C::invoices_read},
        {Section::reports, "reports", "Reports", C::invoices_read},
        {Section::settings, "settings", "Settings", C::firm_settings},
        {Section::members, "members", "Members", C::members_read},
        {Section::audit, "audit", "Audit log", C::audit_read},
    };
    return sections;
}

const SectionInfo& section_info(Section s) {
    for (const auto& info : all_sections()) {
        if (info.section == s) return info;
    }
    return all_sections().front();
}

std::optional<Section> section_by_slug(std::string_view slug) {
    for (const auto& info : all_sections()) {
        if (slug == info.slug) return info.section;
    }
    return std::nullopt;
}

bool section_allowed(std::string_view role, Section s) {
    return auth::is_firm_role(role) && auth::role_has(role, section_info(s).needs);
}

std::vector<Section> visible_sections(std::string_view role) {
    std::vector<Section> out;
    for (const auto& info : all_sections()) {
        if (section_allowed(role, info.section)) out.push_back(info.section);
    }
    return out;
}

bool reads_invoices(std::string_view role, bool is_portal_user) {
    return is_portal_user || section_allowed(role, Section::invoices);
}

std::string home_route(std::string_view role, bool is_portal_user) {
    if (reads_invoices(role, is_portal_user)) return "#/invoices";
    auto sections = visible_sections(role);
    if (sections.empty()) return "#/invoices";
    return std::string("#/") + section_info(sections.front()).slug;
}

}  // namespace cp::portal
