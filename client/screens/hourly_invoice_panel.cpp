#include "client/screens/hourly_invoice_panel.hpp"

#include <imgui.h>

#include "client/app/hourly_invoice_actions.hpp"
#include "client/widgets/a11y_tree.hpp"
#include "client/widgets/controls.hpp"
#include "client/widgets/form_fields.hpp"

namespace cp::portal {

void draw_hourly_invoice_panel(AppState& state) {
    auto& f = state.hourly;
    if (f.engagement_id.empty()) return;
    static const std::vector<Error> none;
    const auto& core = f.touched ? f.core_errors : none;
    f.shown_errors.clear();
    const std::string title = "Bill approved hours and expenses of " + f.engagement_name;
    ImGui::TextUnformatted(title.c_str());
    mirror_text("hourly.heading", "heading", title);
    ImGui::TextWrapped("A draft invoice gets one line per approved, unbilled, billable time entry and expense of the "
                       "period; you review and issue it on its page.");
    bool changed = labelled_field("hourly.period_start", "Period start", f.period_start.data(), f.period_start.size(), 10,
                                  has_error(core, f.server_errors, "period_start"), "YYYY-MM-DD");
    field_errors(core, f.server_errors, "period_start", f.shown_errors);
    changed |= labelled_field("hourly.period_end", "Period end", f.period_end.data(), f.period_end.size(), 10,
                              has_error(core, f.server_errors, "period_end"), "YYYY-MM-DD");
    field_errors(core, f.server_errors, "period_end", f.shown_errors);
    changed |= labelled_field("hourly.tax_rate", "Tax rate %", f.tax_rate.data(), f.tax_rate.size(), 15,
                              has_error(core, f.server_errors, "tax_rate"), "empty: 0");
    field_errors(core, f.server_errors, "tax_rate", f.shown_errors);
    other_errors(core, f.server_errors, {"period_start", "period_end", "tax_rate"}, f.shown_errors);
    if (changed) {
        f.touched = true;
        judge_hourly_invoice(state);
    }
    if (button("hourly.submit", f.in_flight ? "Creating draft..." : "Create draft invoice")) create_hourly_invoice(state);
    ImGui::SameLine();
    if (button("hourly.cancel", "Cancel")) f = {};
    ImGui::Separator();
}

}  // namespace cp::portal
