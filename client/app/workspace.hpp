#pragma once
// The firm staff's workspace: its sections, the capability each needs (the core's role
// table, shared/auth/capabilities.hpp, the one the server enforces) and their routes.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "shared/auth/capabilities.hpp"

namespace cp::portal {

enum class Section { dashboard, clients, engagements, pipeline, time, invoices, payments, disputes, reports, settings, members, audit };

struct SectionInfo {
    Section section;
    const char* slug;   // the route: #/<slug>
    const char* title;  // what the sidebar and breadcrumbs call it
    auth::Capability needs;
};

// In sidebar order.
const std::vector<SectionInfo>& all_sections();
const SectionInfo& section_info(Section s);
std::optional<Section> section_by_slug(std::string_view slug);

// Whether a firm role may use the section (client portal users may use none).
bool section_allowed(std::string_view role, Section s);
// The sections a role sees, in sidebar order.
std::vector<Section> visible_sections(std::string_view role);
// Where a signed-in person lands: invoices for those who read them (as before), else the
// first section of their sidebar.
std::string home_route(std::string_view role, bool is_portal_user);
// Whether the person may list invoices (portal users see their own).
bool reads_invoices(std::string_view role, bool is_portal_user);

}  // namespace cp::portal
