#include "client/screens/package_run_panel.hpp"

#include <imgui.h>

#include <algorithm>
#include <string>

#include "client/app/json_text.hpp"
#include "client/app/package_run_actions.hpp"
#include "client/app/staff_actions.hpp"
#include "client/widgets/a11y_tree.hpp"
#include "client/widgets/controls.hpp"
#include "client/widgets/data_table.hpp"
#include "client/widgets/form_fields.hpp"
#include "shared/auth/capabilities.hpp"

namespace cp::portal {
namespace {

long long count_of(const nlohmann::json& j, const char* key) {
    return j.is_object() && j.contains(key) && j[key].is_number_integer() ? j[key].get<long long>() : 0;
}

std::string plural(long long n, const char* one, const char* many) { return std::to_string(n) + " " + (n == 1 ? one : many); }

void draw_preview(AppState& state) {
    const auto& f = state.package_run;
    if (!f.preview.is_object()) return;
    const std::string date = text_of(f.preview, "date");
    const auto& items = f.preview.contains("invoices") && f.preview["invoices"].is_array() ? f.preview["invoices"]
                                                                                          : nlohmann::json::array();
    const std::string summary = "Dry run for " + date + ": would create " + plural(static_cast<long long>(items.size()), "invoice", "invoices") +
                                "; " + plural(count_of(f.preview, "already_invoiced"), "engagement", "engagements") +
                                " already invoiced for the period, " + std::to_string(count_of(f.preview, "skipped")) + " skipped.";
    ImGui::TextWrapped("%s", summary.c_str());
    mirror_text("package_run.preview.summary", "status", summary);
    if (items.empty()) return;
    std::vector<std::vector<std::string>> rows;
    for (const auto& i : items) {
        rows.push_back({client_name(state, text_of(i, "client_id")), text_of(i, "period_start") + " to " + text_of(i, "period_end"),
                        text_of(i, "total") + " " + text_of(i, "currency")});
    }
    const float row_h = ImGui::GetTextLineHeight() + ImGui::GetStyle().CellPadding.y * 2.0f;
    const float height = static_cast<float>(std::min<std::size_t>(rows.size(), 8) + 1) * row_h + row_h * 0.5f;
    data_table({"package_run.preview", "Invoices the run would create", state.narrow, false, height},
               {{"Client"}, {"Period"}, {"Total", DataColumn::money}}, rows);
}

void draw_result(const PackageRunForm& f) {
    if (!f.result.is_object()) return;
    const std::string text = "Package run for " + text_of(f.result, "date") + ": created " +
                             plural(count_of(f.result, "created"), "invoice", "invoices") + ", " +
                             std::to_string(count_of(f.result, "already_invoiced")) + " already invoiced, " +
                             std::to_string(count_of(f.result, "skipped")) + " skipped.";
    ImGui::TextColored(ImVec4(0.12f, 0.48f, 0.25f, 1), "%s", text.c_str());
    mirror_text("package_run.result", "status", text);
}

}  // namespace

void draw_package_run_button(AppState& state) {
    if (!auth::role_has(state.session.role, auth::Capability::billing_run)) return;
    ImGui::SameLine();
    auto& f = state.package_run;
    if (button("invoices.package_run", f.open ? "Close package billing" : "Run package billing", true)) {
        const bool open = !f.open;
        f = {};
        f.open = open;
    }
}

void draw_package_run_panel(AppState& state) {
    auto& f = state.package_run;
    if (!f.open || !auth::role_has(state.session.role, auth::Capability::billing_run)) return;
    static const std::vector<Error> none;
    const auto& core = f.touched ? f.core_errors : none;
    f.shown_errors.clear();
    ImGui::Separator();
    ImGui::TextUnformatted("Package billing");
    mirror_text("package_run.heading", "heading", "Package billing");
    ImGui::TextWrapped("Bills every current package or mixed engagement its fee for the period containing the date, "
                       "as the daily run does; a period already invoiced is left alone. Preview first: nothing is "
                       "written until you run it.");
    if (labelled_field("package_run.date", "Run date", f.date.data(), f.date.size(), 10,
                       has_error(core, f.server_errors, "date"), "YYYY-MM-DD; empty: today in the firm's time zone")) {
        f.touched = true;
        f.server_errors.clear();
        judge_package_run(state);
    }
    field_errors(core, f.server_errors, "date", f.shown_errors);
    other_errors(core, f.server_errors, {"date"}, f.shown_errors);
    if (button("package_run.preview", f.in_flight ? "Working..." : "Preview (dry run)")) preview_package_run(state);
    const bool previewed = f.preview.is_object() && f.previewed_date == str(f.date);
    ImGui::SameLine();
    ImGui::BeginDisabled(!previewed || f.in_flight);
    if (button("package_run.run", "Run package billing now")) start_package_run(state);
    ImGui::EndDisabled();
    if (previewed) draw_preview(state);
    draw_result(f);
    ImGui::Separator();
}

}  // namespace cp::portal
