// Clients (list with search, create and edit with every error at its field) and
// engagements (list, create). The forms are checked by the core's validators as they are
// typed, the same functions the server runs, so a save the core refuses is never sent.
#include <imgui.h>

#include <algorithm>
#include <string>
#include <vector>

#include "client/app/hourly_invoice_actions.hpp"
#include "client/app/routes.hpp"
#include "client/app/staff_actions.hpp"
#include "client/screens/engagement_edit_panel.hpp"
#include "client/screens/hourly_invoice_panel.hpp"
#include "client/screens/portal_users_panel.hpp"
#include "client/screens/screens.hpp"
#include "client/widgets/a11y_tree.hpp"
#include "client/widgets/controls.hpp"
#include "client/widgets/data_table.hpp"
#include "client/widgets/error_text.hpp"
#include "client/widgets/form_fields.hpp"
#include "client/widgets/widget_rects.hpp"
#include "shared/auth/capabilities.hpp"

namespace cp::portal {
namespace {

constexpr const char* kClientStatuses[] = {"active", "inactive", "terminated"};
constexpr const char* kPricingModes[] = {"package", "hourly", "mixed"};
constexpr const char* kSchedules[] = {"monthly", "quarterly", "annual", "one_time"};

std::string str_of(const nlohmann::json& j, const char* key) {
    if (!j.is_object() || !j.contains(key)) return {};
    if (j[key].is_string()) return j[key].get<std::string>();
    if (j[key].is_number_integer()) return std::to_string(j[key].get<long long>());
    if (j[key].is_boolean()) return j[key].get<bool>() ? "yes" : "no";
    return {};
}

void heading(const char* id, const std::string& text) {
    ImGui::TextUnformatted(text.c_str());
    track_last_item(id);
    mirror_text(id, "heading", text);
}

void list_status(const RemoteList& list) {
    if (list.loading) {
        ImGui::SameLine();
        ImGui::TextDisabled("loading...");
    }
    if (list.error) draw_error(*list.error);
}

bool can(const AppState& state, auth::Capability c) { return auth::role_has(state.session.role, c); }

void draw_client_form(AppState& state) {
    auto& f = state.staff.client_form;
    const bool create = f.id.empty();
    heading("client.heading", create ? "New client" : "Edit client");
    if (f.loading) {
        ImGui::TextDisabled("loading...");
        return;
    }
    if (f.load_error) {
        draw_error(*f.load_error);
        return;
    }
    f.shown_errors.clear();
    const auto& core = f.touched ? f.core_errors : std::vector<Error>{};
    const auto& server = f.server_errors;
    bool changed = false;
    changed |= labelled_field("client.company_name", "Company name", f.company_name.data(), f.company_name.size(), 200,
                              has_error(core, server, "company_name"));
    field_errors(core, server, "company_name", f.shown_errors);
    changed |= labelled_field("client.billing_email", "Billing email", f.billing_email.data(), f.billing_email.size(), 254,
                              has_error(core, server, "billing_email"));
    field_errors(core, server, "billing_email", f.shown_errors);
    changed |= labelled_field("client.time_zone", "Time zone", f.time_zone.data(), f.time_zone.size(), 64,
                              has_error(core, server, "time_zone"), "(IANA name; empty: the firm's)");
    field_errors(core, server, "time_zone", f.shown_errors);
    changed |= choice("client.status", "Status", f.status_index, kClientStatuses, 3);
    field_errors(core, server, "status", f.shown_errors);
    ImGui::Spacing();
    changed |= checkbox("client.portal_enabled", "Client portal enabled", f.portal_enabled);
    field_errors(core, server, "portal_enabled", f.shown_errors);
    changed |= checkbox("client.autopay_enabled", "Autopay: charge the card on file when an invoice is issued", f.autopay_enabled);
    field_errors(core, server, "autopay_enabled", f.shown_errors);
    changed |= labelled_field("client.payment_method_ref", "Payment method", f.payment_method_ref.data(),
                              f.payment_method_ref.size(), 128, has_error(core, server, "payment_method_ref"),
                              "(the processor's reference, e.g. pm_card_visa; never card numbers)");
    field_errors(core, server, "payment_method_ref", f.shown_errors);
    if (!create && f.stored.is_object()) {
        ImGui::Spacing();
        ImGui::TextColored(kMutedColour, "Created %s  ·  id %s", str_of(f.stored, "created_at").c_str(), f.id.c_str());
    }
    other_errors(core, server,
                 {"company_name", "billing_email", "time_zone", "status", "portal_enabled", "autopay_enabled",
                  "payment_method_ref"},
                 f.shown_errors);
    if (changed) {
        f.touched = true;
        f.server_errors.clear();
        validate_client_form(f);
    }
    ImGui::Spacing();
    ImGui::BeginDisabled(f.saving || !can(state, auth::Capability::clients_write));
    if (button("client.save", f.saving ? "Saving...##save" : create ? "Create client##save" : "Save changes##save")) save_client(state);
    ImGui::EndDisabled();
    ImGui::SameLine();
    if (button("client.cancel", "Cancel")) go_to_route(state, "#/clients");
    if (!create) draw_portal_users_panel(state, f.id, f.stored.is_object() && f.stored.value("portal_enabled", false));
}

void draw_client_list(AppState& state) {
    auto& list = state.staff.lists["clients"];
    heading("clients.heading", "Clients");
    ImGui::SameLine();
    if (button("clients.refresh", "Refresh", true)) load_clients(state);
    if (can(state, auth::Capability::clients_write)) {
        ImGui::SameLine();
        if (button("clients.new", "New client", true)) go_to_route(state, "#/clients/new");
    }
    list_status(list);
    if (!state.staff.notice.empty()) {
        ImGui::TextColored(ImVec4(0.12f, 0.48f, 0.25f, 1), "%s", state.staff.notice.c_str());
        mirror_text("clients.notice", "status", state.staff.notice);
    }
    TextFieldSpec search{"clients.search", "Search clients by name", 100};
    search.width = std::min(ImGui::GetContentRegionAvail().x, 360.0f * state.dpi_scale);
    ImGui::AlignTextToFramePadding();
    ImGui::TextColored(kMutedColour, "Search");
    ImGui::SameLine();
    if (text_field(search, state.staff.client_search.data(), state.staff.client_search.size()).changed) load_clients(state);
    std::vector<std::vector<std::string>> rows;
    for (const auto& c : list.rows) {
        rows.push_back({str_of(c, "company_name"), str_of(c, "billing_email"), str_of(c, "status"),
                        c.value("portal_enabled", false) ? "on" : "off", c.value("autopay_enabled", false) ? "on" : "off",
                        str_of(c, "time_zone")});
    }
    const int opened = data_table({"clients.table", "Clients", state.narrow, true},
                                  {{"Company"}, {"Billing email", DataColumn::text, false}, {"Status", DataColumn::status},
                                   {"Portal", DataColumn::text, false}, {"Autopay", DataColumn::text, false},
                                   {"Time zone", DataColumn::text, false}},
                                  rows);
    if (list.loaded && rows.empty()) {
        ImGui::TextDisabled(state.staff.client_search[0] ? "No client matches the search." : "No clients yet.");
    }
    if (opened >= 0) go_to_route(state, "#/clients/" + str_of(list.rows[static_cast<std::size_t>(opened)], "id"));
}

void draw_engagement_form(AppState& state) {
    auto& f = state.staff.engagement_form;
    heading("engagement.heading", "New engagement");
    f.shown_errors.clear();
    const auto& core = f.touched ? f.core_errors : std::vector<Error>{};
    const auto& server = f.server_errors;
    bool changed = false;
    // The client: a closed choice over the firm's clients.
    const auto& clients = state.staff.lists["clients"].rows;
    std::vector<std::string> names;
    for (const auto& c : clients) names.push_back(str_of(c, "company_name"));
    std::vector<const char*> name_ptrs;
    for (const auto& n : names) name_ptrs.push_back(n.c_str());
    ImGui::TextUnformatted("Client");
    ImGui::SetNextItemWidth(std::min(ImGui::GetContentRegionAvail().x, 320.0f * state.dpi_scale));
    const char* preview = f.client_index >= 0 && f.client_index < static_cast<int>(names.size())
                              ? names[static_cast<std::size_t>(f.client_index)].c_str()
                              : "Choose a client...";
    if (ImGui::BeginCombo("##engagement.client", preview)) {
        for (int k = 0; k < static_cast<int>(names.size()); ++k) {
            if (ImGui::Selectable(names[static_cast<std::size_t>(k)].c_str(), k == f.client_index)) {
                f.client_index = k;
                changed = true;
            }
            track_last_item("engagement.client." + std::to_string(k));
        }
        ImGui::EndCombo();
    }
    track_last_item("engagement.client");
    focusable_item("engagement.client");
    a11y_add({"engagement.client", "combobox", "Client", preview, false, false, has_error(core, server, "client_id"), false});
    field_errors(core, server, "client_id", f.shown_errors);
    changed |= labelled_field("engagement.name", "Name", f.name.data(), f.name.size(), 200, has_error(core, server, "name"));
    field_errors(core, server, "name", f.shown_errors);
    changed |= choice("engagement.pricing_mode", "Pricing", f.pricing_index, kPricingModes, 3);
    field_errors(core, server, "pricing_mode", f.shown_errors);
    const std::string mode = kPricingModes[f.pricing_index];
    if (mode != "hourly") {
        changed |= labelled_field("engagement.package_fee", "Package fee", f.package_fee.data(), f.package_fee.size(), 32,
                                  has_error(core, server, "package_fee"), "(per period, e.g. 1500.00)");
        field_errors(core, server, "package_fee", f.shown_errors);
    }
    if (mode != "package") {
        changed |= labelled_field("engagement.hourly_rate", "Hourly rate", f.hourly_rate.data(), f.hourly_rate.size(), 32,
                                  has_error(core, server, "hourly_rate"));
        field_errors(core, server, "hourly_rate", f.shown_errors);
    }
    changed |= choice("engagement.schedule", "Billing schedule", f.schedule_index, kSchedules, 4);
    field_errors(core, server, "schedule", f.shown_errors);
    changed |= labelled_field("engagement.start_date", "Start date", f.start_date.data(), f.start_date.size(), 10,
                              has_error(core, server, "start_date"), "(YYYY-MM-DD)");
    field_errors(core, server, "start_date", f.shown_errors);
    changed |= labelled_field("engagement.end_date", "End date", f.end_date.data(), f.end_date.size(), 10,
                              has_error(core, server, "end_date"), "(optional; required for one time)");
    field_errors(core, server, "end_date", f.shown_errors);
    changed |= labelled_field("engagement.payment_terms", "Payment terms (days)", f.payment_terms.data(),
                              f.payment_terms.size(), 4, has_error(core, server, "payment_terms_days"));
    field_errors(core, server, "payment_terms_days", f.shown_errors);
    ImGui::PushTextWrapPos(std::min(ImGui::GetContentRegionAvail().x, 560.0f * state.dpi_scale));
    ImGui::TextColored(kMutedColour, "Pricing is frozen once the engagement is invoiced or completed: to change it later, "
                                     "renew the engagement as a new version.");
    ImGui::PopTextWrapPos();
    other_errors(core, server,
                 {"client_id", "name", "pricing_mode", "package_fee", "hourly_rate", "schedule", "start_date", "end_date",
                  "payment_terms_days"},
                 f.shown_errors);
    if (changed) {
        f.touched = true;
        f.server_errors.clear();
        validate_engagement_form(state);
    }
    ImGui::Spacing();
    ImGui::BeginDisabled(f.saving);
    if (button("engagement.save", f.saving ? "Saving...##save" : "Create engagement##save")) save_engagement(state);
    ImGui::EndDisabled();
    ImGui::SameLine();
    if (button("engagement.cancel", "Cancel")) go_to_route(state, "#/engagements");
}

void draw_engagement_list(AppState& state) {
    auto& list = state.staff.lists["engagements"];
    heading("engagements.heading", "Engagements");
    ImGui::SameLine();
    if (button("engagements.refresh", "Refresh", true)) load_list(state, "engagements", "/api/v1/engagements?limit=200");
    if (can(state, auth::Capability::engagements_write)) {
        ImGui::SameLine();
        if (button("engagements.new", "New engagement", true)) go_to_route(state, "#/engagements/new");
    }
    list_status(list);
    if (!state.staff.notice.empty()) {
        ImGui::TextColored(ImVec4(0.12f, 0.48f, 0.25f, 1), "%s", state.staff.notice.c_str());
        mirror_text("engagements.notice", "status", state.staff.notice);
    }
    draw_hourly_invoice_panel(state);
    std::vector<std::vector<std::string>> rows;
    for (const auto& e : list.rows) {
        const std::string cur = " " + str_of(e, "currency");
        const std::string fee = str_of(e, "package_fee"), rate = str_of(e, "hourly_rate");
        rows.push_back({str_of(e, "name"), client_name(state, str_of(e, "client_id")), str_of(e, "pricing_mode"),
                        fee.empty() ? "-" : fee + cur, rate.empty() ? "-" : rate + cur, str_of(e, "schedule"),
                        str_of(e, "status"), "v" + str_of(e, "version"),
                        e.value("pricing_frozen", false) ? "frozen" : "editable"});
    }
    // Billing staff open a row to bill its hours (package fees are billed by the package run)
    // and then its page; others open its page straight away.
    const bool bills = can(state, auth::Capability::invoices_write);
    for (const auto& e : list.rows) {
        if (str_of(e, "id") != state.staff.engagement_selected) continue;
        const std::string label = "Edit or renew " + str_of(e, "name") + "##open";
        if (button("engagements.open", label.c_str(), true)) {
            go_to_route(state, "#/engagements/" + str_of(e, "id"));
            break;
        }
    }
    if (bills && state.hourly.engagement_id.empty()) {
        ImGui::TextDisabled("Open an hourly or mixed engagement to bill its approved hours.");
    }
    const int opened = data_table({"engagements.table", "Engagements", state.narrow, true},
               {{"Name"}, {"Client", DataColumn::text, false}, {"Pricing", DataColumn::text, false},
                {"Package fee", DataColumn::money, false}, {"Hourly rate", DataColumn::money, false},
                {"Schedule", DataColumn::text, false}, {"Status", DataColumn::status}, {"Version", DataColumn::text, false},
                {"Pricing lock", DataColumn::text, false}},
               rows);
    if (list.loaded && rows.empty()) ImGui::TextDisabled("No engagements yet.");
    if (opened >= 0 && opened < static_cast<int>(list.rows.size())) {
        const auto& e = list.rows[static_cast<std::size_t>(opened)];
        state.staff.engagement_selected = str_of(e, "id");
        if (!bills) {
            go_to_route(state, "#/engagements/" + str_of(e, "id"));
        } else if (str_of(e, "pricing_mode") == "package") {
            state.staff.notice = str_of(e, "name") + " is billed its package fee by the package run.";
        } else {
            state.staff.notice.clear();
            open_hourly_invoice_form(state, e);
        }
    }
}

}  // namespace

void draw_clients_screen(AppState& state) {
    if (state.staff.sub.empty()) {
        draw_client_list(state);
    } else {
        draw_client_form(state);
    }
}

void draw_engagements_screen(AppState& state) {
    if (state.staff.sub == "new") {
        draw_engagement_form(state);
    } else if (!state.staff.sub.empty()) {
        draw_engagement_edit(state);
    } else {
        draw_engagement_list(state);
    }
}

}  // namespace cp::portal
