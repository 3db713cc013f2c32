// The Payments side's second view: failed autopay charges, each with its retry schedule
// (+3, +7, +14 days after the invoice's first failure) computed by the core's
// retry_schedule in the *client's* time zone and shown on that client's calendar, and the
// firm's alerts (autopay exhausted, CRM follow-ups) with Acknowledge.
#include <imgui.h>

#include <algorithm>
#include <string>
#include <vector>

#include "client/app/staff_actions.hpp"
#include "client/app/payment_failure_actions.hpp"
#include "client/screens/screens.hpp"
#include "client/widgets/a11y_tree.hpp"
#include "client/widgets/controls.hpp"
#include "client/widgets/data_table.hpp"
#include "client/widgets/error_text.hpp"
#include "client/widgets/widget_rects.hpp"
#include "shared/auth/capabilities.hpp"

namespace cp::portal {
namespace {

std::string str_of(const nlohmann::json& j, const char* key) {
    if (!j.is_object() || !j.contains(key)) return {};
    const auto& v = j[key];
    if (v.is_string()) return v.get<std::string>();
    if (v.is_number_integer()) return std::to_string(v.get<long long>());
    return {};
}

void sub_heading(const char* id, const std::string& text) {
    ImGui::Spacing();
    ImGui::TextUnformatted(text.c_str());
    track_last_item(id);
    mirror_text(id, "heading", text);
}

void draw_failures(AppState& state) {
    fetch_failure_zones(state);
    fetch_failure_numbers(state);
    const auto& list = state.staff.lists["failures"];
    sub_heading("payments.failures.title", "Autopay failures");
    ImGui::TextColored(kMutedColour, "Retries run +3, +7 and +14 days after an invoice's first failure, at the same "
                                     "time of day; every time here is on the client's calendar, in its zone.");
    if (list.error) draw_error(*list.error);
    // One row per invoice: its latest failure, and the schedule counted from its first.
    std::vector<const nlohmann::json*> latest;
    for (const auto& f : list.rows) {
        auto same = std::find_if(latest.begin(), latest.end(),
                                 [&](const nlohmann::json* l) { return str_of(*l, "invoice_id") == str_of(f, "invoice_id"); });
        if (same == latest.end()) {
            latest.push_back(&f);
        } else if (f.value("attempt", 0) > (*same)->value("attempt", 0)) {
            *same = &f;
        }
    }
    std::vector<std::vector<std::string>> rows;
    for (const auto* f : latest) {
        const auto dates = retry_dates_for(state, *f);
        const std::string client_id = str_of(*f, "client_id");
        std::vector<std::string> retries(3, dates.loading ? "loading..." : "");
        if (dates.error) retries[0] = "unknown (" + dates.error->code + ")";
        for (std::size_t k = 0; k < dates.dates.size() && k < 3; ++k) retries[k] = dates.dates[k];
        const bool exhausted = !(f->contains("next_retry_at") && (*f)["next_retry_at"].is_string());
        const std::string failed = client_local_time(state, client_id, str_of(*f, "failed_at"));
        rows.push_back({failure_invoice_number(state, str_of(*f, "invoice_id")), client_name(state, client_id), dates.zone,
                        str_of(*f, "attempt") + (exhausted ? " (exhausted)" : " (retrying)"),
                        failed.empty() ? str_of(*f, "failed_at") : failed, retries[0], retries[1], retries[2]});
    }
    const float height = std::min(ImGui::GetContentRegionAvail().y * 0.5f,
                                  (static_cast<float>(rows.size()) + 2.5f) * ImGui::GetFrameHeightWithSpacing());
    data_table({"payments.failures", "Autopay failures", state.narrow, false, std::max(height, 80.0f)},
               {{"Invoice"}, {"Client", DataColumn::text, false}, {"Time zone", DataColumn::text, false},
                {"Attempts", DataColumn::text, false}, {"Last failure"}, {"Retry +3 days"}, {"Retry +7 days", DataColumn::text, false},
                {"Retry +14 days", DataColumn::text, false}},
               rows);
    if (list.loaded && rows.empty()) ImGui::TextDisabled("No failed autopay charges.");
}

void draw_alerts(AppState& state) {
    auto& tw = state.staff.time;
    const auto& list = state.staff.lists["alerts"];
    sub_heading("payments.alerts.title", "Alerts");
    if (list.error) draw_error(*list.error);
    if (tw.alert_error) draw_error(*tw.alert_error);
    if (!tw.alert_notice.empty()) {
        ImGui::TextColored(ImVec4(0.12f, 0.48f, 0.25f, 1), "%s", tw.alert_notice.c_str());
        mirror_text("payments.alerts.notice", "status", tw.alert_notice);
    }
    if (list.loaded && list.rows.empty()) ImGui::TextDisabled("No alerts.");
    const bool may_ack = auth::role_has(state.session.role, auth::Capability::invoices_write);
    for (const auto& a : list.rows) {
        const std::string id = str_of(a, "id");
        const bool acked = a.contains("acknowledged_at") && a["acknowledged_at"].is_string();
        ImGui::PushID(id.c_str());
        const std::string created = str_of(a, "created_at").substr(0, 16);
        const std::string line = "[" + str_of(a, "severity") + "] " + str_of(a, "message") + "  (" + str_of(a, "kind") +
                                 ", " + created + " UTC" + (acked ? ", acknowledged" : "") + ")";
        if (!acked && may_ack) {
            ImGui::BeginDisabled(!tw.acking.empty());
            const std::string label = tw.acking == id ? "Acknowledging..." : "Acknowledge";
            if (button(("payments.alerts.ack." + id).c_str(), label.c_str(), true)) acknowledge_alert(state, id);
            ImGui::EndDisabled();
            ImGui::SameLine();
        }
        if (acked) {
            ImGui::TextColored(kMutedColour, "%s", line.c_str());
        } else {
            ImGui::TextUnformatted(line.c_str());
        }
        track_last_item("payments.alerts." + id);
        mirror_text(("payments.alerts." + id).c_str(), "text", line);
        ImGui::PopID();
    }
}

}  // namespace

bool draw_payment_failures_panel(AppState& state) {
    auto& tw = state.staff.time;
    const auto waiting = state.staff.lists["failures"].rows.size();
    std::size_t open_alerts = 0;
    for (const auto& a : state.staff.lists["alerts"].rows) {
        if (!(a.contains("acknowledged_at") && a["acknowledged_at"].is_string())) ++open_alerts;
    }
    auto view_button = [](const char* id, const std::string& text, bool on) {
        if (on) ImGui::PushStyleColor(ImGuiCol_Button, ImGui::GetStyleColorVec4(ImGuiCol_ButtonActive));
        const bool clicked = button(id, text.c_str(), true);
        if (on) ImGui::PopStyleColor();
        return clicked;
    };
    if (view_button("payments.view.list", "Payments", !tw.failures_view)) tw.failures_view = false;
    ImGui::SameLine();
    const std::string label = "Autopay failures (" + std::to_string(waiting) + ") and alerts (" +
                              std::to_string(open_alerts) + ")##failures";
    if (view_button("payments.view.failures", label, tw.failures_view)) {
        tw.failures_view = true;
        load_failures_and_alerts(state);
    }
    if (!tw.failures_view) return false;
    draw_failures(state);
    draw_alerts(state);
    return true;
}

}  // namespace cp::portal
