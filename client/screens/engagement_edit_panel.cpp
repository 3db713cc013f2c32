// One engagement: its terms to edit (pricing read-only, with the reason, once frozen) and
// a renewal whose new dates and pricing the core computes as the overrides are typed.
#include "client/screens/engagement_edit_panel.hpp"

#include <imgui.h>

#include <string>
#include <vector>

#include "client/app/engagement_edit_actions.hpp"
#include "client/app/json_text.hpp"
#include "client/app/routes.hpp"
#include "client/app/staff_actions.hpp"
#include "client/widgets/a11y_tree.hpp"
#include "client/widgets/controls.hpp"
#include "client/widgets/error_text.hpp"
#include "client/widgets/form_fields.hpp"
#include "client/widgets/widget_rects.hpp"
#include "shared/auth/capabilities.hpp"

namespace cp::portal {
namespace {

constexpr const char* kPricingModes[] = {"package", "hourly", "mixed"};
constexpr const char* kSchedules[] = {"monthly", "quarterly", "annual", "one_time"};

void heading(const char* id, const std::string& text) {
    ImGui::Spacing();
    ImGui::TextUnformatted(text.c_str());
    track_last_item(id);
    mirror_text(id, "heading", text);
}

void wrapped_note(const char* id, const std::string& text) {
    ImGui::PushTextWrapPos(std::min(ImGui::GetContentRegionAvail().x, 560.0f * ImGui::GetFontSize() / 16.0f));
    ImGui::TextColored(kMutedColour, "%s", text.c_str());
    ImGui::PopTextWrapPos();
    mirror_text(id, "text", text);
}

void read_only(const char* id, const char* label, const std::string& value) {
    const std::string line = std::string(label) + ": " + (value.empty() ? "-" : value);
    ImGui::TextUnformatted(line.c_str());
    track_last_item(id);
    mirror_text(id, "text", line);
}

// Pricing, schedule, terms and start: editable until frozen, then shown with the reason.
bool draw_pricing(EngagementEdit& f, const std::vector<Error>& core, const std::vector<Error>& server) {
    const auto& st = f.stored;
    const std::string cur = " " + text_of(st, "currency");
    if (engagement_pricing_frozen(f)) {
        wrapped_note("engagement_edit.frozen",
                     text_of(st, "status") == "current"
                         ? "Pricing is frozen: this engagement has been invoiced, so its price, schedule, payment "
                           "terms and start date stay as billed. Renew it to change them for the next period."
                         : "Pricing is frozen: this engagement is " + text_of(st, "status") +
                               ". Its invoices keep the terms they were billed with.");
        read_only("engagement_edit.pricing_mode", "Pricing", text_of(st, "pricing_mode"));
        if (!text_of(st, "package_fee").empty()) read_only("engagement_edit.package_fee", "Package fee", text_of(st, "package_fee") + cur);
        if (!text_of(st, "hourly_rate").empty()) read_only("engagement_edit.hourly_rate", "Hourly rate", text_of(st, "hourly_rate") + cur);
        read_only("engagement_edit.schedule", "Billing schedule", text_of(st, "schedule"));
        read_only("engagement_edit.payment_terms", "Payment terms (days)", text_of(st, "payment_terms_days"));
        read_only("engagement_edit.start_date", "Start date", text_of(st, "start_date"));
        return false;
    }
    bool changed = choice("engagement_edit.pricing_mode", "Pricing", f.pricing_index, kPricingModes, 3);
    field_errors(core, server, "pricing_mode", f.shown_errors);
    const std::string mode = kPricingModes[f.pricing_index];
    if (mode != "hourly") {
        changed |= labelled_field("engagement_edit.package_fee", "Package fee", f.package_fee.data(), f.package_fee.size(),
                                  32, has_error(core, server, "package_fee"), cur.c_str());
        field_errors(core, server, "package_fee", f.shown_errors);
    }
    if (mode != "package") {
        changed |= labelled_field("engagement_edit.hourly_rate", "Hourly rate", f.hourly_rate.data(), f.hourly_rate.size(),
                                  32, has_error(core, server, "hourly_rate"), cur.c_str());
        field_errors(core, server, "hourly_rate", f.shown_errors);
    }
    changed |= choice("engagement_edit.schedule", "Billing schedule", f.schedule_index, kSchedules, 4);
    field_errors(core, server, "schedule", f.shown_errors);
    changed |= labelled_field("engagement_edit.payment_terms", "Payment terms (days)", f.payment_terms.data(),
                              f.payment_terms.size(), 4, has_error(core, server, "payment_terms_days"));
    field_errors(core, server, "payment_terms_days", f.shown_errors);
    changed |= labelled_field("engagement_edit.start_date", "Start date", f.start_date.data(), f.start_date.size(), 10,
                              has_error(core, server, "start_date"), "(YYYY-MM-DD)");
    field_errors(core, server, "start_date", f.shown_errors);
    wrapped_note("engagement_edit.freeze_note",
                 "Pricing freezes once the engagement is invoiced or completed; after that, renew to change it.");
    return changed;
}

void draw_edit(AppState& state, bool writes) {
    auto& f = state.staff.engagement_edit;
    f.shown_errors.clear();
    const auto& core = f.core_errors;
    const auto& server = f.server_errors;
    ImGui::BeginDisabled(!writes);
    bool changed = labelled_field("engagement_edit.name", "Name", f.name.data(), f.name.size(), 200,
                                  has_error(core, server, "name"));
    field_errors(core, server, "name", f.shown_errors);
    changed |= labelled_field("engagement_edit.end_date", "End date", f.end_date.data(), f.end_date.size(), 10,
                              has_error(core, server, "end_date"), "(YYYY-MM-DD)");
    field_errors(core, server, "end_date", f.shown_errors);
    changed |= draw_pricing(f, core, server);
    other_errors(core, server,
                 {"name", "end_date", "pricing_mode", "package_fee", "hourly_rate", "schedule", "payment_terms_days",
                  "start_date"},
                 f.shown_errors);
    ImGui::EndDisabled();
    if (changed) {
        f.server_errors.clear();
        f.notice.clear();
        validate_engagement_edit(f);
    }
    if (!writes) return;
    ImGui::Spacing();
    ImGui::BeginDisabled(f.saving);
    if (button("engagement_edit.save", f.saving ? "Saving...##save" : "Save changes##save")) save_engagement_edit(state);
    ImGui::EndDisabled();
}

void draw_renew(AppState& state) {
    auto& f = state.staff.engagement_edit;
    const auto& st = f.stored;
    heading("engagement_renew.heading", "Renew as version " + std::to_string(st.value("version", 0) + 1));
    if (text_of(st, "status") != "current") {
        wrapped_note("engagement_renew.closed", "Only the current version of an engagement can be renewed.");
        return;
    }
    f.renew_shown_errors.clear();
    const auto& core = f.renew_core_errors;
    const auto& server = f.renew_server_errors;
    const std::string cur = " " + text_of(st, "currency");
    const std::string mode = text_of(st, "pricing_mode");
    bool changed = labelled_field("engagement_renew.end_date", "New end date", f.renew_end.data(), f.renew_end.size(), 10,
                                  has_error(core, server, "end_date"), "(optional: a year after the new start)");
    field_errors(core, server, "end_date", f.renew_shown_errors);
    if (mode != "hourly") {
        changed |= labelled_field("engagement_renew.package_fee", "Package fee", f.renew_fee.data(), f.renew_fee.size(), 32,
                                  has_error(core, server, "package_fee"), cur.c_str());
        field_errors(core, server, "package_fee", f.renew_shown_errors);
    }
    if (mode != "package") {
        changed |= labelled_field("engagement_renew.hourly_rate", "Hourly rate", f.renew_rate.data(), f.renew_rate.size(), 32,
                                  has_error(core, server, "hourly_rate"), cur.c_str());
        field_errors(core, server, "hourly_rate", f.renew_shown_errors);
    }
    other_errors(core, server, {"end_date", "package_fee", "hourly_rate"}, f.renew_shown_errors);
    if (changed) {
        f.renew_server_errors.clear();
        validate_engagement_renewal(f);
    }
    if (f.renewal.is_object()) {
        wrapped_note("engagement_renew.preview",
                     "The new version runs " + text_of(f.renewal, "start_date") + " to " + text_of(f.renewal, "end_date") +
                         "; this version is marked renewed and keeps its invoices.");
    }
    ImGui::BeginDisabled(f.renewing);
    if (button("engagement_renew.submit", f.renewing ? "Renewing...##renew" : "Renew engagement##renew")) {
        renew_open_engagement(state);
    }
    ImGui::EndDisabled();
}

}  // namespace

void draw_engagement_edit(AppState& state) {
    auto& f = state.staff.engagement_edit;
    if (button("engagement_edit.back", "Back to engagements", true)) go_to_route(state, "#/engagements");
    const std::string title = f.stored.is_object()
                                  ? text_of(f.stored, "name") + "  (version " + text_of(f.stored, "version") + ", " +
                                        text_of(f.stored, "status") + ")"
                                  : std::string("Engagement");
    heading("engagement_edit.heading", title);
    if (f.loading) {
        ImGui::TextDisabled("loading...");
        return;
    }
    if (f.load_error) {
        draw_error(*f.load_error);
        return;
    }
    if (!f.stored.is_object()) return;
    if (!f.notice.empty()) {
        ImGui::TextColored(ImVec4(0.12f, 0.48f, 0.25f, 1), "%s", f.notice.c_str());
        mirror_text("engagement_edit.notice", "status", f.notice);
    }
    ImGui::TextColored(kMutedColour, "Client: %s", client_name(state, text_of(f.stored, "client_id")).c_str());
    const bool writes = auth::role_has(state.session.role, auth::Capability::engagements_write);
    draw_edit(state, writes);
    if (writes) draw_renew(state);
}

}  // namespace cp::portal
