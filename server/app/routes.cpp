// The route table: one line per endpoint. Access and capability are enforced by the
// dispatcher (app.cpp) before the handler runs; `scope` drives the cross-tenant test
// matrix and `resource` the OpenAPI tags. A route added here is automatically in the
// OpenAPI document and in the matrix.
#include "server/api/handlers.hpp"
#include "server/app/context.hpp"

namespace cp::server {

const std::vector<RouteDef>& route_table() {
    using A = Access;
    using C = Capability;
    using S = TenantScope;
    namespace h = cp::api;
    static const std::vector<RouteDef> routes = {
        {"GET", "/healthz", A::public_, {}, S::none, "health", "Liveness and database check", h::health},
        {"GET", "/api/v1/openapi.json", A::public_, {}, S::none, "meta", "This OpenAPI document", h::openapi_document},
        {"POST", "/api/v1/auth/login", A::public_, {}, S::none, "auth", "Log in; returns a bearer token", h::login},
        {"POST", "/api/v1/auth/logout", A::authenticated, {}, S::none, "auth", "Revoke the calling token", h::logout},
        {"GET", "/api/v1/auth/me", A::authenticated, {}, S::none, "auth", "Who the token belongs to", h::me},

        {"POST", "/api/v1/firms", A::public_, {}, S::none, "firm", "Sign up a firm with its owner", h::signup_firm},
        {"GET", "/api/v1/firms", A::firm, C::firm_read, S::none, "firm", "Firms the caller's account belongs to", h::list_my_firms},
        {"GET", "/api/v1/firm", A::firm, C::firm_read, S::none, "firm", "The caller's firm", h::current_firm},
        {"GET", "/api/v1/firms/{id}", A::firm, C::firm_read, S::firm, "firm", "A firm (only the caller's)", h::get_firm},
        {"PATCH", "/api/v1/firm/settings", A::firm, C::firm_settings, S::none, "firm", "Change firm settings (audited, snapshotted)", h::update_firm_settings},
        {"GET", "/api/v1/firm/settings/snapshots", A::firm, C::firm_settings, S::none, "firm", "Settings snapshots", h::list_settings_snapshots},
        {"POST", "/api/v1/firm/settings/snapshots/{id}/rollback", A::firm, C::firm_settings, S::firm, "settings_snapshot", "Roll settings back to a snapshot", h::rollback_settings},

        {"GET", "/api/v1/memberships", A::firm, C::members_read, S::none, "membership", "List members", h::list_memberships},
        {"POST", "/api/v1/memberships", A::firm, C::members_manage, S::none, "membership", "Add a member", h::create_membership},
        {"GET", "/api/v1/memberships/{id}", A::firm, C::members_read, S::firm, "membership", "A member", h::get_membership},
        {"PATCH", "/api/v1/memberships/{id}", A::firm, C::members_manage, S::firm, "membership", "Change role or status", h::update_membership},

        {"GET", "/api/v1/clients", A::firm, C::clients_read, S::none, "client", "List clients", h::list_clients},
        {"POST", "/api/v1/clients", A::firm, C::clients_write, S::none, "client", "Create a client", h::create_client},
        {"GET", "/api/v1/clients/{id}", A::firm, C::clients_read, S::firm, "client", "A client", h::get_client},
        {"PATCH", "/api/v1/clients/{id}", A::firm, C::clients_write, S::firm, "client", "Update a client", h::update_client},
        {"GET", "/api/v1/clients/{id}/portal-users", A::firm, C::clients_read, S::firm, "client", "A client's portal users", h::list_portal_users},
        {"POST", "/api/v1/clients/{id}/portal-users", A::firm, C::clients_write, S::firm, "client", "Create a portal user", h::create_portal_user},

        {"GET", "/api/v1/engagements", A::firm, C::engagements_read, S::none, "engagement", "List engagements", h::list_engagements},
        {"POST", "/api/v1/engagements", A::firm, C::engagements_write, S::none, "engagement", "Create an engagement", h::create_engagement},
        {"GET", "/api/v1/engagements/{id}", A::firm, C::engagements_read, S::firm, "engagement", "An engagement", h::get_engagement},
        {"PATCH", "/api/v1/engagements/{id}", A::firm, C::engagements_write, S::firm, "engagement", "Update an engagement", h::update_engagement},
        {"POST", "/api/v1/engagements/{id}/renew", A::firm, C::engagements_write, S::firm, "engagement", "Renew as a new version", h::renew_engagement},

        {"GET", "/api/v1/invoices", A::firm, C::invoices_read, S::none, "invoice", "List invoices", h::list_invoices},
        {"POST", "/api/v1/invoices/preview", A::firm, C::invoices_read, S::none, "invoice", "Validate a draft and compute totals (core)", h::preview_invoice},
        {"GET", "/api/v1/invoices/{id}", A::firm, C::invoices_read, S::firm, "invoice", "An invoice with lines", h::get_invoice},

        {"GET", "/api/v1/audit", A::firm, C::audit_read, S::none, "audit", "Audit events (filters, pagination)", h::list_audit},
        {"GET", "/api/v1/audit/verify", A::firm, C::audit_read, S::none, "audit", "Verify the firm's hash chain", h::verify_audit},

        {"GET", "/api/v1/break-glass", A::firm, C::break_glass_manage, S::none, "break_glass_session", "Break-glass sessions on this firm", h::firm_list_break_glass},
        {"POST", "/api/v1/break-glass/{id}/revoke", A::firm, C::break_glass_manage, S::firm, "break_glass_session", "Revoke a session (owner/admin)", h::firm_revoke_break_glass},

        {"GET", "/api/v1/portal/me", A::portal, {}, S::none, "portal", "The portal user and client", h::portal_me},
        {"GET", "/api/v1/portal/invoices", A::portal, {}, S::none, "portal", "Own client's issued invoices", h::portal_list_invoices},
        {"GET", "/api/v1/portal/invoices/{id}", A::portal, {}, S::portal, "invoice", "One issued invoice", h::portal_get_invoice},
        {"GET", "/api/v1/portal/engagements", A::portal, {}, S::none, "portal", "Own client's engagements", h::portal_list_engagements},
        {"GET", "/api/v1/portal/engagements/{id}", A::portal, {}, S::portal, "engagement", "One engagement", h::portal_get_engagement},

        {"GET", "/api/v1/operator/firms", A::operator_, {}, S::none, "operator", "Firm metadata (no content)", h::operator_list_firms},
        {"GET", "/api/v1/operator/firms/{id}", A::operator_, {}, S::platform, "firm", "One firm's metadata", h::operator_get_firm},
        {"POST", "/api/v1/operator/firms/{id}/status", A::operator_, {}, S::platform, "firm", "Change a firm's status", h::operator_set_firm_status},
        {"GET", "/api/v1/operator/audit/verify", A::operator_, {}, S::none, "operator", "Verify every audit chain", h::operator_verify_audit},
        {"POST", "/api/v1/operator/break-glass", A::operator_, {}, S::none, "break_glass_session", "Open a break-glass session", h::open_break_glass},
        {"GET", "/api/v1/operator/break-glass/{id}", A::operator_, {}, S::platform, "break_glass_session", "Session status", h::get_break_glass},
        {"POST", "/api/v1/operator/break-glass/{id}/revoke", A::operator_, {}, S::platform, "break_glass_session", "Revoke with a reason", h::operator_revoke_break_glass},
        {"POST", "/api/v1/operator/break-glass/{id}/end", A::operator_, {}, S::platform, "break_glass_session", "End one's own session", h::end_break_glass},
        {"POST", "/api/v1/operator/break-glass/{id}/review", A::operator_, {}, S::platform, "break_glass_session", "Review a closed session", h::review_break_glass},
    };
    return routes;
}

}  // namespace cp::server
