// The workspace's other sections: payments, disputes, reports (with CSV downloads),
// settings (diff before saving, snapshots with rollback), members and the audit log with
// "verify chain". Each shows the server's own records through the existing API.
#include <imgui.h>

#include <algorithm>
#include <string>
#include <vector>

#include "client/app/dashboard_figures.hpp"
#include "client/app/routes.hpp"
#include "client/app/staff_actions.hpp"
#include "client/platform/page_bridge.hpp"
#include "client/screens/break_glass_sessions_panel.hpp"
#include "client/screens/screens.hpp"
#include "client/widgets/a11y_tree.hpp"
#include "client/widgets/controls.hpp"
#include "client/widgets/data_table.hpp"
#include "client/widgets/error_text.hpp"
#include "client/widgets/form_fields.hpp"
#include "client/widgets/widget_rects.hpp"
#include "shared/auth/capabilities.hpp"
#include "shared/text/messages.hpp"

namespace cp::portal {
namespace {

std::string str_of(const nlohmann::json& j, const char* key) {
    if (!j.is_object() || !j.contains(key)) return {};
    const auto& v = j[key];
    if (v.is_string()) return v.get<std::string>();
    if (v.is_number_integer()) return std::to_string(v.get<long long>());
    if (v.is_boolean()) return v.get<bool>() ? "yes" : "no";
    return {};
}

std::string money_of(const nlohmann::json& j, const char* key) {
    const std::string v = str_of(j, key);
    return v.empty() ? "-" : v + " " + str_of(j, "currency");
}

// Heading, Refresh, loading and error: the top of every list section.
RemoteList& list_header(AppState& state, const char* name, const char* title, const std::string& path) {
    auto& list = state.staff.lists[name];
    ImGui::TextUnformatted(title);
    mirror_text((std::string(name) + ".heading").c_str(), "heading", title);
    ImGui::SameLine();
    if (button((std::string(name) + ".refresh").c_str(), "Refresh", true)) load_list(state, name, path);
    if (!list.next_cursor.empty()) {
        ImGui::SameLine();
        if (button((std::string(name) + ".more").c_str(), "Load more", true)) load_list(state, name, path, true);
    }
    if (list.loading) {
        ImGui::SameLine();
        ImGui::TextDisabled("loading...");
    }
    if (list.error) draw_error(*list.error);
    return list;
}

void empty_note(const RemoteList& list, const std::vector<std::vector<std::string>>& rows, const char* text) {
    if (list.loaded && rows.empty()) ImGui::TextDisabled("%s", text);
}

void draw_member_edit(AppState& state, RemoteList& list);

void sub_heading(const char* id, const std::string& text) {
    ImGui::Spacing();
    ImGui::TextUnformatted(text.c_str());
    track_last_item(id);
    mirror_text(id, "heading", text);
}

void poll_downloads(AppState& state) {
    for (auto it = state.staff.downloads.begin(); it != state.staff.downloads.end();) {
        const int status = page::download_status(it->second);
        if (status == 0) {
            ++it;
            continue;
        }
        state.staff.notice = status == 200 ? "Saved " + it->first + " to your downloads."
                                           : "The download failed (" + std::to_string(status) + ").";
        it = state.staff.downloads.erase(it);
    }
}

}  // namespace

void draw_payments_screen(AppState& state) {
    const std::string path = "/api/v1/payments?limit=200";
    auto& list = list_header(state, "payments", "Payments", path);
    if (draw_payment_failures_panel(state)) return;  // the failures and alerts sub-view
    std::vector<std::vector<std::string>> rows;
    for (const auto& p : list.rows) {
        std::string when = str_of(p, "received_on");
        if (when.empty()) when = str_of(p, "settled_at").substr(0, 10);
        rows.push_back({when, client_name(state, str_of(p, "client_id")), money_of(p, "amount"), str_of(p, "method"),
                        str_of(p, "source"), str_of(p, "status"), str_of(p, "reference")});
    }
    data_table({"payments.table", "Payments", state.narrow, false},
               {{"Date"}, {"Client", DataColumn::text, false}, {"Amount", DataColumn::money}, {"Method", DataColumn::text, false},
                {"Source", DataColumn::text, false}, {"Status", DataColumn::status}, {"Reference", DataColumn::text, false}},
               rows);
    empty_note(list, rows, "No payments recorded yet.");
}

void draw_disputes_screen(AppState& state) {
    const std::string path = "/api/v1/disputes?limit=200";
    auto& list = list_header(state, "disputes", "Disputes", path);
    std::vector<std::vector<std::string>> rows;
    for (const auto& d : list.rows) {
        rows.push_back({str_of(d, "invoice_id"), money_of(d, "amount"), str_of(d, "status"), str_of(d, "reason"),
                        str_of(d, "evidence_due_by").substr(0, 10), d.value("open", false) ? "open" : "closed"});
    }
    data_table({"disputes.table", "Disputes", state.narrow, false},
               {{"Invoice"}, {"Amount", DataColumn::money}, {"Status", DataColumn::status}, {"Reason", DataColumn::text, false},
                {"Evidence due"}, {"Open", DataColumn::text, false}},
               rows);
    empty_note(list, rows, "No disputes or chargebacks. Cardholders' disputes appear here as the processor reports them.");
}

void draw_reports_screen(AppState& state) {
    poll_downloads(state);
    auto& d = state.staff.dashboard;
    ImGui::TextUnformatted("Reports");
    mirror_text("reports.heading", "heading", "Reports");
    ImGui::SameLine();
    if (button("reports.refresh", "Refresh", true)) load_dashboard(state);
    if (d.loading) {
        ImGui::SameLine();
        ImGui::TextDisabled("loading...");
    }
    if (d.error) draw_error(*d.error);
    if (!state.staff.notice.empty()) {
        ImGui::TextColored(kMutedColour, "%s", state.staff.notice.c_str());
        mirror_text("reports.notice", "status", state.staff.notice);
    }
    const std::string as_of = str_of(d.aging, "as_of");
    sub_heading("reports.aging.title", "Accounts receivable aging as of " + as_of);
    if (button("reports.aging.csv", "Download CSV##aging", true)) {
        download_csv(state, "ar-aging-" + as_of + ".csv", "/api/v1/reports/ar-aging", "ar-aging-" + as_of + ".csv");
    }
    std::vector<std::vector<std::string>> aging_rows;
    if (d.aging.is_object() && d.aging.contains("currencies") && d.aging["currencies"].is_array()) {
        for (const auto& c : d.aging["currencies"]) {
            const std::string cur = " " + str_of(c, "currency");
            auto add = [&](const std::string& name, const nlohmann::json& row) {
                aging_rows.push_back({name, str_of(row, "current") + cur, str_of(row, "1_30") + cur,
                                      str_of(row, "31_60") + cur, str_of(row, "61_90") + cur, str_of(row, "over_90") + cur,
                                      str_of(row, "total") + cur});
            };
            if (c.contains("clients") && c["clients"].is_array()) {
                for (const auto& row : c["clients"]) add(str_of(row, "client_name"), row);
            }
            if (c.contains("total")) add("Total", c["total"]);
        }
    }
    data_table({"reports.aging", "Accounts receivable aging", state.narrow, false},
               {{"Client"}, {"Current", DataColumn::money, false}, {"1-30", DataColumn::money, false},
                {"31-60", DataColumn::money, false}, {"61-90", DataColumn::money, false}, {"90+", DataColumn::money, false},
                {"Total", DataColumn::money}},
               aging_rows);
    if (d.aging.is_object() && aging_rows.empty()) ImGui::TextDisabled("Nothing outstanding.");

    const std::string from = str_of(d.revenue, "from"), to = str_of(d.revenue, "to");
    sub_heading("reports.revenue.title", "Revenue by month, " + from + " to " + to);
    if (button("reports.revenue.csv", "Download CSV##revenue", true) && !from.empty()) {
        download_csv(state, "revenue-" + from + "-" + to + ".csv",
                     "/api/v1/reports/revenue?interval=month&from=" + from + "&to=" + to,
                     "revenue-" + from + "-" + to + ".csv");
    }
    std::vector<std::vector<std::string>> revenue_rows;
    if (d.revenue.is_object() && d.revenue.contains("currencies") && d.revenue["currencies"].is_array()) {
        for (const auto& c : d.revenue["currencies"]) {
            const std::string cur = " " + str_of(c, "currency");
            if (!c.contains("periods") || !c["periods"].is_array()) continue;
            for (const auto& p : c["periods"]) {
                revenue_rows.push_back({str_of(p, "period"), str_of(p, "issued") + cur, str_of(p, "credited") + cur,
                                        str_of(p, "collected") + cur, str_of(p, "refunded") + cur,
                                        str_of(p, "charged_back") + cur});
            }
        }
    }
    data_table({"reports.revenue", "Revenue by month", state.narrow, false},
               {{"Month"}, {"Issued", DataColumn::money}, {"Credited", DataColumn::money, false},
                {"Collected", DataColumn::money}, {"Refunded", DataColumn::money, false},
                {"Charged back", DataColumn::money, false}},
               revenue_rows);
}

void draw_settings_screen(AppState& state) {
    constexpr const char* kTaxModes[] = {"per_line", "per_document"};
    constexpr const char* kRoundings[] = {"half_up", "half_even"};
    auto& f = state.staff.settings;
    ImGui::TextUnformatted("Settings");
    mirror_text("settings.heading", "heading", "Settings");
    if (f.loading) {
        ImGui::SameLine();
        ImGui::TextDisabled("loading...");
    }
    if (f.error) draw_error(*f.error);
    if (!f.firm.is_object()) return;
    ImGui::TextColored(kMutedColour, "%s  ·  plan %s  ·  %s  ·  %s", str_of(f.firm, "name").c_str(),
                       str_of(f.firm, "plan").c_str(), str_of(f.firm, "time_zone").c_str(), str_of(f.firm, "currency").c_str());
    std::vector<std::string> shown;
    const std::vector<Error> none;
    choice("settings.tax_mode", "Tax rounding", f.tax_mode_index, kTaxModes, 2);
    field_errors(none, f.server_errors, "settings.tax_mode", shown);
    choice("settings.rounding", "Rounding", f.rounding_index, kRoundings, 2);
    field_errors(none, f.server_errors, "settings.rounding", shown);
    labelled_field("settings.prefix", "Invoice number prefix", f.prefix.data(), f.prefix.size(), 20,
                   has_error(none, f.server_errors, "settings.invoice_number_prefix"));
    field_errors(none, f.server_errors, "settings.invoice_number_prefix", shown);
    labelled_field("settings.terms", "Payment terms (days)", f.terms.data(), f.terms.size(), 4,
                   has_error(none, f.server_errors, "settings.payment_terms_days"));
    field_errors(none, f.server_errors, "settings.payment_terms_days", shown);
    labelled_field("settings.run_time", "Daily billing run (local time)", f.run_time.data(), f.run_time.size(), 5,
                   has_error(none, f.server_errors, "settings.billing_run_time"), "(HH:MM; empty: 06:00)");
    field_errors(none, f.server_errors, "settings.billing_run_time", shown);
    ImGui::Spacing();
    checkbox("settings.proration", "Prorate package fees for partial periods", f.proration);
    field_errors(none, f.server_errors, "settings.proration", shown);

    // The diff: every setting that would change, before and after.
    const auto changes = settings_changes(f);
    const auto& before = f.firm["settings"];
    sub_heading("settings.diff.title", changes.empty() ? "No changes" : "Changes to save");
    if (!changes.empty()) {
        std::vector<std::vector<std::string>> rows;
        auto text = [](const nlohmann::json& v) {
            if (v.is_string()) return v.get<std::string>();
            return v.dump();
        };
        for (const auto& [key, value] : changes.items()) {
            rows.push_back({text::choice_label(key), before.contains(key) ? text(before[key]) : "-", text(value)});
        }
        data_table({"settings.diff", "Changes to save", state.narrow, false}, {{"Setting"}, {"Before"}, {"After"}}, rows);
        labelled_field("settings.reason", "Reason", f.reason.data(), f.reason.size(), 200, false, "(kept in the audit log)");
    }
    other_errors(none, f.server_errors,
                 {"settings.tax_mode", "settings.rounding", "settings.invoice_number_prefix", "settings.payment_terms_days",
                  "settings.billing_run_time", "settings.proration"},
                 shown);
    ImGui::BeginDisabled(changes.empty() || f.saving);
    if (button("settings.save", f.saving ? "Saving...##save" : "Save settings##save")) save_settings(state);
    ImGui::EndDisabled();
    if (!changes.empty()) {
        ImGui::SameLine();
        if (button("settings.discard", "Discard changes")) load_section(state);
    }
    if (!f.notice.empty()) {
        ImGui::TextColored(ImVec4(0.12f, 0.48f, 0.25f, 1), "%s", f.notice.c_str());
        mirror_text("settings.notice", "status", f.notice);
    }

    // Snapshots, newest first, each restorable.
    auto& snaps = state.staff.lists["snapshots"];
    sub_heading("settings.snapshots.title", "Snapshots");
    ImGui::TextColored(kMutedColour, "Every change keeps the settings it replaced; roll back to any of them.");
    if (snaps.error) draw_error(*snaps.error);
    if (snaps.loaded && snaps.rows.empty()) ImGui::TextDisabled("No snapshots yet: the first change makes one.");
    for (std::size_t k = snaps.rows.size(); k-- > 0;) {
        const auto& snap = snaps.rows[k];
        const std::string id = str_of(snap, "id");
        const auto& conf = snap.contains("configuration") ? snap["configuration"] : nlohmann::json::object();
        const auto& st = conf.contains("settings") ? conf["settings"] : nlohmann::json::object();
        ImGui::PushID(static_cast<int>(k));
        const std::string button_id = "settings.snapshot." + std::to_string(k) + ".rollback";
        ImGui::BeginDisabled(f.saving);
        if (button(button_id.c_str(), "Roll back", true)) rollback_settings(state, id);
        ImGui::EndDisabled();
        ImGui::SameLine();
        const std::string line = str_of(snap, "created_at").substr(0, 16) + "  " + str_of(snap, "reason") + "  (" +
                                 text::choice_label(str_of(st, "tax_mode")) + ", " + text::choice_label(str_of(st, "rounding")) +
                                 ", " + str_of(st, "payment_terms_days") + " days, prefix " + str_of(st, "invoice_number_prefix") + ")";
        ImGui::TextUnformatted(line.c_str());
        track_last_item("settings.snapshot." + std::to_string(k));
        mirror_text(("settings.snapshot." + std::to_string(k)).c_str(), "text", line);
        ImGui::PopID();
    }
}

void draw_members_screen(AppState& state) {
    const std::string path = "/api/v1/memberships?limit=200";
    auto& list = list_header(state, "members", "Members", path);
    std::vector<std::vector<std::string>> rows;
    for (const auto& m : list.rows) {
        const auto& user = m.contains("user") ? m["user"] : nlohmann::json::object();
        rows.push_back({str_of(user, "name"), str_of(user, "email"), text::choice_label(str_of(m, "role")), str_of(m, "status")});
    }
    data_table({"members.table", "Members", state.narrow, false},
               {{"Name"}, {"Email", DataColumn::text, false}, {"Role"}, {"Status", DataColumn::status}}, rows);
    // The last-owner rule, said of the member chosen below before the server has to refuse
    // (LAST_OWNER at the role field): in place of the general rule, so the page keeps its height.
    std::string rule = "Only owners grant or remove the owner role, and a firm always keeps one active owner.";
    const auto& edit_state = state.staff.member_edit;
    if (edit_state.member_index >= 0 && edit_state.member_index < static_cast<int>(list.rows.size())) {
        const auto& chosen = list.rows[static_cast<std::size_t>(edit_state.member_index)];
        int active_owners = 0;
        for (const auto& m : list.rows) active_owners += str_of(m, "role") == "owner" && str_of(m, "status") == "active";
        if (str_of(chosen, "role") == "owner" && str_of(chosen, "status") == "active" && active_owners <= 1) {
            const auto& user = chosen.contains("user") ? chosen["user"] : nlohmann::json::object();
            rule = str_of(user, "email") + " is the only active owner: make another member an owner before changing "
                                           "their role or status.";
        }
    }
    ImGui::PushTextWrapPos(0.0f);
    ImGui::TextColored(kMutedColour, "%s", rule.c_str());
    ImGui::PopTextWrapPos();
    mirror_text("members.owner_rule", "text", rule);
    if (!auth::role_has(state.session.role, auth::Capability::members_manage) || list.rows.empty()) return;
    draw_member_edit(state, list);
    draw_member_add_panel(state);
}

namespace {

void draw_member_edit(AppState& state, RemoteList& list) {
    // Change one member's role or status; the server's refusals (the last owner, an admin
    // granting owner) are drawn under the field they concern.
    auto& edit = state.staff.member_edit;
    sub_heading("members.edit.title", "Change a member");
    std::vector<std::string> names;
    for (const auto& m : list.rows) {
        const auto& user = m.contains("user") ? m["user"] : nlohmann::json::object();
        names.push_back(str_of(user, "name") + " <" + str_of(user, "email") + ">");
    }
    ImGui::TextUnformatted("Member");
    ImGui::SetNextItemWidth(std::min(ImGui::GetContentRegionAvail().x, 360.0f * state.dpi_scale));
    const std::string current = edit.member_index >= 0 && edit.member_index < static_cast<int>(names.size())
                                    ? names[static_cast<std::size_t>(edit.member_index)]
                                    : std::string("Choose a member...");
    if (ImGui::BeginCombo("##members.edit.member", current.c_str())) {
        for (int k = 0; k < static_cast<int>(names.size()); ++k) {
            if (ImGui::Selectable(names[static_cast<std::size_t>(k)].c_str(), k == edit.member_index)) {
                edit.member_index = k;
                edit.errors.clear();
                edit.notice.clear();
                const auto& m = list.rows[static_cast<std::size_t>(k)];
                for (int r = 0; r < 5; ++r) {
                    if (str_of(m, "role") == kMemberRoles[r]) edit.role_index = r;
                }
                edit.status_index = str_of(m, "status") == "disabled" ? 1 : 0;
            }
            track_last_item("members.edit.member." + std::to_string(k));
        }
        ImGui::EndCombo();
    }
    track_last_item("members.edit.member");
    focusable_item("members.edit.member");
    a11y_add({"members.edit.member", "combobox", "Member", current, false, false, false, false});
    if (edit.member_index < 0) return;
    edit.shown_errors.clear();
    const std::vector<Error> none;
    choice("members.edit.role", "Role", edit.role_index, kMemberRoles, 5);
    field_errors(none, edit.errors, "role", edit.shown_errors);
    choice("members.edit.status", "Status", edit.status_index, kMemberStatuses, 2);
    field_errors(none, edit.errors, "status", edit.shown_errors);
    other_errors(none, edit.errors, {"role", "status"}, edit.shown_errors);
    ImGui::BeginDisabled(edit.saving);
    if (button("members.edit.save", edit.saving ? "Saving...##member" : "Save member##member")) save_member(state);
    ImGui::EndDisabled();
    if (!edit.notice.empty()) {
        ImGui::SameLine();
        ImGui::TextColored(ImVec4(0.12f, 0.48f, 0.25f, 1), "%s", edit.notice.c_str());
        mirror_text("members.edit.notice", "status", edit.notice);
    }
}

}  // namespace

void draw_audit_screen(AppState& state) {
    const std::string path = "/api/v1/audit?limit=200";
    auto& list = list_header(state, "audit", "Audit log", path);
    ImGui::BeginDisabled(state.staff.verifying);
    if (button("audit.verify", state.staff.verifying ? "Verifying...##verify" : "Verify chain##verify")) verify_audit_chain(state);
    ImGui::EndDisabled();
    const auto& v = state.staff.audit_verify;
    if (v.is_object()) {
        ImGui::SameLine();
        if (v.contains("error")) {
            draw_error({str_of(v["error"], "code"), str_of(v["error"], "field"), str_of(v["error"], "message")});
        } else if (v.value("ok", false)) {
            const std::string text = "Chain intact: " + str_of(v, "checked") + " events checked, no gap or altered event.";
            ImGui::TextColored(ImVec4(0.12f, 0.48f, 0.25f, 1), "%s", text.c_str());
            mirror_text("audit.verify.result", "status", text);
        } else {
            const std::string text = "Chain broken: " + std::to_string(v.contains("problems") ? v["problems"].size() : 0) +
                                     " problem(s) in " + str_of(v, "checked") + " events.";
            ImGui::TextColored(kErrorColour, "%s", text.c_str());
            mirror_text("audit.verify.result", "alert", text);
            if (v.contains("problems")) {
                for (const auto& p : v["problems"]) ImGui::BulletText("event %s: %s", str_of(p, "seq").c_str(), str_of(p, "problem").c_str());
            }
        }
    }
    draw_break_glass_sessions(state);
    std::vector<std::vector<std::string>> rows;
    for (const auto& e : list.rows) {
        const auto& actor = e.contains("actor") ? e["actor"] : nlohmann::json::object();
        const auto& target = e.contains("target") ? e["target"] : nlohmann::json::object();
        std::string who = str_of(actor, "email");
        if (who.empty()) who = str_of(actor, "type");
        std::string what = str_of(target, "label");
        if (what.empty()) what = str_of(target, "type") + " " + str_of(target, "id");
        std::string when = str_of(e, "created_at").substr(0, 19);
        if (when.size() > 10 && when[10] == 'T') when[10] = ' ';
        rows.push_back({str_of(e, "seq"), when + " UTC", str_of(e, "action"), who, what,
                        str_of(e, "severity"), str_of(e, "outcome")});
    }
    data_table({"audit.table", "Audit events", state.narrow, false},
               {{"#"}, {"When", DataColumn::text, false}, {"Action"}, {"Actor", DataColumn::text, false},
                {"Target", DataColumn::text, false}, {"Severity", DataColumn::text, false}, {"Outcome", DataColumn::status}},
               rows);
    empty_note(list, rows, "No audit events.");
}

void draw_staff_screen(AppState& state) {
    switch (state.staff.section) {
        case Section::dashboard: draw_dashboard_screen(state); break;
        case Section::pipeline: draw_pipeline_screen(state); break;
        case Section::clients: draw_clients_screen(state); break;
        case Section::engagements: draw_engagements_screen(state); break;
        case Section::time: draw_time_screen(state); break;
        case Section::payments: draw_payments_screen(state); break;
        case Section::disputes: draw_disputes_screen(state); break;
        case Section::reports: draw_reports_screen(state); break;
        case Section::settings: draw_settings_screen(state); break;
        case Section::members: draw_members_screen(state); break;
        case Section::audit: draw_audit_screen(state); break;
        case Section::invoices: break;
    }
}

}  // namespace cp::portal
