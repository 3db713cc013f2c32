#pragma once
// What a role may do, as capabilities: code asks "may this principal read invoices?",
// never "is this an admin?", so adding a role is one table edit here. In the core so the
// server (which enforces it) and the portal (which shows only what a role can use) read
// the same table.
#include <string_view>

namespace cp::auth {

enum class Capability {
    firm_read,
    firm_settings,  // change firm settings, roll them back (owner only)
    members_read,
    members_manage,
    clients_read,
    clients_write,
    engagements_read,
    engagements_write,
    invoices_read,
    invoices_write,
    audit_read,
    break_glass_manage,  // see and revoke break-glass sessions on the firm
    time_own,
    time_read,          // see time entries and expenses (own ones; all with time_approve or invoices_read)
    time_approve,       // approve others' time entries and expenses (owner, admin, billing)
    invoices_override,  // bill another engagement than the client's current one (owner, admin)
    billing_run,        // run the package fee invoicing on demand (owner, admin)
};

std::string_view to_string(Capability c);

// Every capability, in declaration order (for listing a role's).
inline constexpr Capability kAllCapabilities[] = {
    Capability::firm_read,       Capability::firm_settings,    Capability::members_read,   Capability::members_manage,
    Capability::clients_read,    Capability::clients_write,    Capability::engagements_read,
    Capability::engagements_write, Capability::invoices_read,  Capability::invoices_write, Capability::audit_read,
    Capability::break_glass_manage, Capability::time_own,      Capability::time_read,      Capability::time_approve,
    Capability::invoices_override, Capability::billing_run};

// Firm roles: owner, admin, billing, staff, contractor. "break_glass" is the read-only
// role an operator gets inside a firm when the session impersonates nobody.
bool is_firm_role(std::string_view role);
bool role_has(std::string_view role, Capability c);

}  // namespace cp::auth
