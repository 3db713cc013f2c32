// The Payments side's second view: failed autopay charges, each with its retry schedule
// (+3, +7, +14 days after the invoice's first failure) computed by the core's
// retry_schedule in the *client's* time zone and shown on that client's calendar, and the
// firm's alerts (autopay exhausted, CRM follow-ups) with Acknowledge.
#include <imgui.h>

#include <algorithm>
#include <string>
#include <vector>

#include "client/app/staff_actions.hpp"
#include "client/app/time_actions.hpp"
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

std::string invoice_number(const AppState& state, const std::string& id) {
    for (const auto& row : state.invoices.rows) {
        if (row.id == id && !row.number.empty()) return row.number;
    }
    return id;
}

void sub_heading(const char* id, const std::string& text) {
    ImGui::Spacing();
    ImGui::TextUnformatted(text.c_str());
    track_last_item(id);
    mirror_text(id, "heading", text);
}

void draw_failures(AppState& state) {
    fetch_failure_zones(state);
    const auto& list = state.staff.lists["failures"];
    sub_heading("payments.failures.title", "Autopay failures");
    ImGui::TextColored(kMutedColour, "Retries run +3, +7 and +14 days after an invoice's first failure, at the same "
                                     "time of day on the client's calendar.");
    if (list.error) draw_error(*list.error);
    std::vector<std::vector<std::string>> rows;
    for (const auto& f : list.rows) {
        const auto dates = retry_dates_for(state, f);
        std::string schedule;
        if (dates.error) {
            schedule = "unknown (" + dates.error->code + ")";
        } else if (dates.loading) {
            schedule = "loading...";
        } else {
            for (const auto& d : dates.dates) schedule += (schedule.empty() ? "" : ", ") + d;
            schedule += " " + dates.zone;
        }
        const std::string client_id = str_of(f, "client_id");
        std::string failed = client_local_time(state, client_id, str_of(f, "failed_at"));
        std::string next = f.contains("next_retry_at") && f["next_retry_at"].is_string()
                               ? client_local_time(state, client_id, str_of(f, "next_retry_at"))
                               : std::string("none: retries exhausted");
        rows.push_back({invoice_number(state, str_of(f, "invoice_id")), client_name(state, client_id),
                        str_of(f, "attempt"), failed.empty() ? str_of(f, "failed_at") : failed, str_of(f, "message"),
                        schedule, next.empty() ? str_of(f, "next_retry_at") : next});
    }
    const float height = std::min(ImGui::GetContentRegionAvail().y * 0.5f,
                                  (static_cast<float>(rows.size()) + 2.5f) * ImGui::GetFrameHeightWithSpacing());
    data_table({"payments.failures", "Autopay failures", state.narrow, false, std::max(height, 80.0f)},
               {{"Invoice"}, {"Client", DataColumn::text, false}, {"Attempt"}, {"Failed (client time)", DataColumn::text, false},
                {"Reason", DataColumn::text, false}, {"Retry schedule (client time)"}, {"Next retry"}},
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
    if (button("payments.view.list", "Payments", true)) tw.failures_view = false;
    ImGui::SameLine();
    const std::string label = "Autopay failures (" + std::to_string(waiting) + ") and alerts (" +
                              std::to_string(open_alerts) + ")##failures";
    if (button("payments.view.failures", label.c_str(), true)) {
        tw.failures_view = true;
        load_failures_and_alerts(state);
    }
    if (!tw.failures_view) return false;
    draw_failures(state);
    draw_alerts(state);
    return true;
}

}  // namespace cp::portal
