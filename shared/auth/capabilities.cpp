#include "shared/auth/capabilities.hpp"

#include <initializer_list>

namespace cp::auth {

std::string_view to_string(Capability c) {
    switch (c) {
        case Capability::firm_read:
            return "firm.read";
        case Capability::firm_settings:
            return "firm.settings";
        case Capability::members_read:
            return "members.read";
        case Capability::members_manage:
            return "members.manage";
        case Capability::clients_read:
            return "clients.read";
        case Capability::clients_write:
            return "clients.write";
        case Capability::engagements_read:
            return "engagements.read";
        case Capability::engagements_write:
            return "engagements.write";
        case Capability::invoices_read:
            return "invoices.read";
        case Capability::invoices_write:
            return "invoices.write";
        case Capability::audit_read:
            return "audit.read";
        case Capability::break_glass_manage:
            return "break_glass.manage";
        case Capability::time_own:
            return "time.own";
        case Capability::time_read:
            return "time.read";
        case Capability::time_approve:
            return "time.approve";
        case Capability::invoices_override:
            return "invoices.override";
        case Capability::billing_run:
            return "billing.run";
    }
    return "unknown";
}

bool is_firm_role(std::string_view role) {
    return role == "owner" || role == "admin" || role == "billing" || role == "staff" || role == "contractor";
}

namespace {
bool in(Capability c, std::initializer_list<Capability> list) {
    for (auto x : list) {
        if (x == c) return true;
    }
    return false;
}
}  // namespace

bool role_has(std::string_view role, Capability c) {
    using C = Capability;
    if (role == "owner") return true;
    if (role == "admin") return c != C::firm_settings;
    if (role == "billing") {
        return in(c, {C::firm_read, C::clients_read, C::engagements_read, C::invoices_read, C::invoices_write,
                      C::time_own, C::time_read, C::time_approve});
    }
    if (role == "staff")
        return in(c, {C::firm_read, C::clients_read, C::engagements_read, C::time_own, C::time_read});
    if (role == "contractor") return in(c, {C::firm_read, C::time_own, C::time_read});
    if (role == "break_glass") {
        return in(c, {C::firm_read, C::members_read, C::clients_read, C::engagements_read, C::invoices_read,
                      C::audit_read, C::time_read});
    }
    return false;
}

}  // namespace cp::auth
