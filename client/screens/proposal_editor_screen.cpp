// The proposal editor: the offer (prospect, title, expiry), the engagement terms it becomes
// on acceptance and its priced lines, with live totals from crm::proposal_preview — the
// call the server stores a proposal's totals with — and every error of the core's
// proposal validator (or the server's answer) at its field. A draft is saved and sent; a
// sent proposal is accepted on the client's behalf or declined; an accepted one links to
// the client and engagement it opened.
#include <imgui.h>

#include <algorithm>
#include <string>
#include <vector>

#include "client/app/crm_actions.hpp"
#include "client/app/routes.hpp"
#include "client/screens/pipeline_screens.hpp"
#include "client/widgets/a11y_tree.hpp"
#include "client/widgets/controls.hpp"
#include "client/widgets/error_text.hpp"
#include "client/widgets/form_fields.hpp"
#include "client/widgets/table_cells.hpp"
#include "client/widgets/widget_rects.hpp"
#include "shared/auth/capabilities.hpp"
#include "shared/text/messages.hpp"

namespace cp::portal {
namespace {

const ImVec4 kGood{0.12f, 0.48f, 0.25f, 1.0f};

std::string str_of(const nlohmann::json& j, const char* key) {
    if (!j.is_object() || !j.contains(key)) return {};
    if (j[key].is_string()) return j[key].get<std::string>();
    if (j[key].is_number_integer()) return std::to_string(j[key].get<long long>());
    return {};
}

std::string preview_text(const nlohmann::json& preview, const char* key) {
    return preview.is_object() && preview.value("ok", false) ? str_of(preview, key) : std::string{};
}

bool can(const AppState& state, auth::Capability c) { return auth::role_has(state.session.role, c); }

// The prospect a new proposal is for: a closed choice over the open prospects.
bool draw_prospect_choice(AppState& state, const std::vector<Error>& core, const std::vector<Error>& server) {
    auto& f = state.staff.crm.proposal;
    bool changed = false;
    ImGui::TextUnformatted("Prospect");
    ImGui::SetNextItemWidth(std::min(ImGui::GetContentRegionAvail().x, 320.0f * ImGui::GetFontSize() / 16.0f));
    const std::string current = f.prospect_id.empty() ? "Choose a prospect..." : prospect_company(state, f.prospect_id);
    if (ImGui::BeginCombo("##proposal.prospect", current.c_str())) {
        int k = 0;
        for (const auto& p : state.staff.lists["prospects"].rows) {
            const std::string stage = str_of(p, "stage");
            if (stage == "won" || stage == "lost") continue;
            const std::string id = str_of(p, "id");
            ImGui::PushID(k++);
            if (ImGui::Selectable(str_of(p, "company").c_str(), id == f.prospect_id)) {
                f.prospect_id = id;
                f.currency = str_of(p, "currency");
                changed = true;
            }
            track_last_item("proposal.prospect." + id);
            ImGui::PopID();
        }
        ImGui::EndCombo();
    }
    track_last_item("proposal.prospect");
    focusable_item("proposal.prospect");
    a11y_add({"proposal.prospect", "combobox", "Prospect", current, false, false, has_error(core, server, "prospect_id"), false});
    field_errors(core, server, "prospect_id", f.shown_errors);
    return changed;
}

bool draw_offer(AppState& state, const std::vector<Error>& core, const std::vector<Error>& server) {
    auto& f = state.staff.crm.proposal;
    bool changed = false;
    if (f.id.empty()) {
        changed |= draw_prospect_choice(state, core, server);
    } else {
        ImGui::TextColored(kMutedColour, "For %s  ·  %s", prospect_company(state, f.prospect_id).c_str(), f.currency.c_str());
    }
    changed |= labelled_field("proposal.title", "Title", f.title.data(), f.title.size(), 200, has_error(core, server, "title"),
                              "(also the engagement's name)");
    field_errors(core, server, "title", f.shown_errors);
    changed |= labelled_field("proposal.expires_on", "Expires on", f.expires_on.data(), f.expires_on.size(), 10,
                              has_error(core, server, "expires_on"), "(last local day it can be accepted)");
    field_errors(core, server, "expires_on", f.shown_errors);
    changed |= labelled_field("proposal.billing_email", "Billing email", f.billing_email.data(), f.billing_email.size(), 254,
                              has_error(core, server, "billing_email"), "(empty: the lead's contact email)");
    field_errors(core, server, "billing_email", f.shown_errors);
    changed |= choice("proposal.tax_mode", "Tax rounding", f.tax_mode_index, kProposalTaxModes, 2);
    field_errors(core, server, "tax_mode", f.shown_errors);
    return changed;
}

bool draw_terms(AppState& state, const std::vector<Error>& core, const std::vector<Error>& server) {
    auto& f = state.staff.crm.proposal;
    bool changed = false;
    changed |= choice("proposal.pricing_mode", "Pricing", f.pricing_index, kProposalPricing, 3);
    field_errors(core, server, "pricing_mode", f.shown_errors);
    const std::string mode = kProposalPricing[f.pricing_index];
    if (mode != "hourly") {
        changed |= labelled_field("proposal.package_fee", "Package fee", f.package_fee.data(), f.package_fee.size(), 32,
                                  has_error(core, server, "package_fee"), "(per period)");
        field_errors(core, server, "package_fee", f.shown_errors);
    }
    if (mode != "package") {
        changed |= labelled_field("proposal.hourly_rate", "Hourly rate", f.hourly_rate.data(), f.hourly_rate.size(), 32,
                                  has_error(core, server, "hourly_rate"));
        field_errors(core, server, "hourly_rate", f.shown_errors);
    }
    changed |= choice("proposal.schedule", "Billing schedule", f.schedule_index, kProposalSchedules, 4);
    field_errors(core, server, "schedule", f.shown_errors);
    changed |= labelled_field("proposal.start_date", "Start date", f.start_date.data(), f.start_date.size(), 10,
                              has_error(core, server, "start_date"), "(YYYY-MM-DD)");
    field_errors(core, server, "start_date", f.shown_errors);
    changed |= labelled_field("proposal.end_date", "End date", f.end_date.data(), f.end_date.size(), 10,
                              has_error(core, server, "end_date"), "(optional)");
    field_errors(core, server, "end_date", f.shown_errors);
    changed |= labelled_field("proposal.payment_terms", "Payment terms (days)", f.payment_terms.data(),
                              f.payment_terms.size(), 4, has_error(core, server, "payment_terms_days"));
    field_errors(core, server, "payment_terms_days", f.shown_errors);
    return changed;
}

// A line's kind: a combo without a label of its own (the column header names it).
bool kind_choice(const std::string& id, const std::string& label, int& index) {
    bool changed = false;
    const std::string current = text::choice_label(kProposalLineKinds[index]);
    ImGui::SetNextItemWidth(ImGui::GetContentRegionAvail().x);
    if (ImGui::BeginCombo(("##" + id).c_str(), current.c_str())) {
        for (int k = 0; k < 4; ++k) {
            if (ImGui::Selectable(text::choice_label(kProposalLineKinds[k]).c_str(), k == index)) {
                changed = k != index;
                index = k;
            }
            track_last_item(id + "." + kProposalLineKinds[k]);
        }
        ImGui::EndCombo();
    }
    track_last_item(id);
    focusable_item(id);
    a11y_add({id, "combobox", label, current, false, false, false, false});
    return changed;
}

// The priced lines: kind, description, quantity, unit price, tax rate, and the amount the
// core computes for each, errors under the cell they name.
bool draw_lines(AppState& state, const std::vector<Error>& core, const std::vector<Error>& server, bool editable) {
    auto& f = state.staff.crm.proposal;
    bool changed = false;
    int remove = -1;
    const int columns = editable ? 7 : 6;
    if (!ImGui::BeginTable("proposal.lines", columns, ImGuiTableFlags_BordersInnerH | ImGuiTableFlags_SizingStretchProp)) {
        return false;
    }
    ImGui::TableSetupColumn("Kind", ImGuiTableColumnFlags_WidthStretch, 1.3f);
    ImGui::TableSetupColumn("Description", ImGuiTableColumnFlags_WidthStretch, 2.6f);
    ImGui::TableSetupColumn("Quantity", ImGuiTableColumnFlags_WidthStretch, 0.9f);
    ImGui::TableSetupColumn("Unit price", ImGuiTableColumnFlags_WidthStretch, 1.1f);
    ImGui::TableSetupColumn("Tax %", ImGuiTableColumnFlags_WidthStretch, 0.8f);
    ImGui::TableSetupColumn("Amount", ImGuiTableColumnFlags_WidthStretch, 1.1f);
    if (editable) ImGui::TableSetupColumn("", ImGuiTableColumnFlags_WidthFixed, 70.0f * ImGui::GetFontSize() / 16.0f);
    ImGui::TableHeadersRow();
    const auto& preview = f.preview;
    for (std::size_t i = 0; i < f.lines.size(); ++i) {
        auto& line = f.lines[i];
        const std::string prefix = "proposal.line." + std::to_string(i) + ".";
        const std::string path = "lines[" + std::to_string(i) + "].";
        const std::string name = "Line " + std::to_string(i + 1) + " ";
        ImGui::PushID(static_cast<int>(i));
        ImGui::TableNextRow();
        ImGui::TableNextColumn();
        changed |= kind_choice(prefix + "kind", name + "kind", line.kind_index);
        field_errors(core, server, path + "kind", f.shown_errors);
        struct Cell {
            const char* key;
            const char* label;
            char* buffer;
            std::size_t size;
            int max_chars;
        };
        const Cell cells[] = {{"description", "description", line.description.data(), line.description.size(), 500},
                              {"quantity", "quantity", line.quantity.data(), line.quantity.size(), 32},
                              {"unit_price", "unit price", line.unit_price.data(), line.unit_price.size(), 32},
                              {"tax_rate", "tax rate", line.tax_rate.data(), line.tax_rate.size(), 32}};
        for (const auto& cell : cells) {
            ImGui::TableNextColumn();
            const std::string id = prefix + cell.key;
            const std::string label = name + cell.label;
            TextFieldSpec spec{id.c_str(), label.c_str(), cell.max_chars};
            spec.width = ImGui::GetContentRegionAvail().x;
            spec.invalid = has_error(core, server, path + cell.key);
            changed |= text_field(spec, cell.buffer, cell.size).changed;
            field_errors(core, server, path + cell.key, f.shown_errors);
        }
        ImGui::TableNextColumn();
        ImGui::AlignTextToFramePadding();
        if (preview.is_object() && preview.value("ok", false) && preview.contains("lines") && i < preview["lines"].size()) {
            cell_money(prefix + "amount", str_of(preview["lines"][i], "amount"), f.currency);
        } else {
            ImGui::TextDisabled("-");
        }
        track_last_item(prefix + "amount");
        field_errors(core, server, path + "amount", f.shown_errors);
        if (editable) {
            ImGui::TableNextColumn();
            if (button((prefix + "remove").c_str(), "Remove", true)) remove = static_cast<int>(i);
        }
        ImGui::PopID();
    }
    ImGui::EndTable();
    if (remove >= 0) {
        f.lines.erase(f.lines.begin() + remove);
        changed = true;
    }
    if (editable && button("proposal.add_line", "Add line", true)) {
        add_proposal_line(f);
        changed = true;
    }
    return changed;
}

void draw_totals(AppState& state) {
    auto& f = state.staff.crm.proposal;
    const std::string cur = " " + f.currency;
    const std::string subtotal = preview_text(f.preview, "subtotal"), tax = preview_text(f.preview, "tax"),
                      total = preview_text(f.preview, "total");
    const float right = ImGui::GetContentRegionAvail().x;
    const struct {
        const char* id;
        const char* label;
        const std::string& value;
    } rows[] = {{"proposal.subtotal", "Subtotal", subtotal}, {"proposal.tax", "Tax", tax}, {"proposal.total", "Total", total}};
    for (const auto& row : rows) {
        const std::string text = std::string(row.label) + ": " + (row.value.empty() ? "-" : row.value + cur);
        const float w = ImGui::CalcTextSize(text.c_str()).x;
        ImGui::SetCursorPosX(ImGui::GetCursorPosX() + std::max(0.0f, right - w));
        if (std::string(row.id) == "proposal.total") {
            ImGui::TextColored(ImVec4(0.16f, 0.36f, 0.70f, 1.0f), "%s", text.c_str());
        } else {
            ImGui::TextUnformatted(text.c_str());
        }
        track_last_item(row.id);
        mirror_text(row.id, "status", text);
    }
}

// What was opened by the acceptance, with links to it.
void draw_acceptance(AppState& state) {
    auto& f = state.staff.crm.proposal;
    const auto& a = f.acceptance;
    if (!a.is_object() || !a.contains("client") || !a.contains("engagement")) {
        if (str_of(f.stored, "status") == "accepted") {
            ImGui::TextColored(kGood, "Accepted %s: the client and its engagement are in Clients and Engagements.",
                               str_of(f.stored, "decided_at").substr(0, 10).c_str());
            if (link("proposal.clients", "Clients", false, ImGui::CalcTextSize("Clients").x)) go_to_route(state, "#/clients");
            ImGui::SameLine();
            if (link("proposal.engagements", "Engagements", false, ImGui::CalcTextSize("Engagements").x)) {
                go_to_route(state, "#/engagements");
            }
        }
        return;
    }
    const auto& client = a["client"];
    const auto& engagement = a["engagement"];
    const std::string client_label = "Client: " + str_of(client, "company_name");
    const std::string fee = str_of(engagement, "package_fee"), rate = str_of(engagement, "hourly_rate");
    const std::string engagement_label = "Engagement v" + str_of(engagement, "version") + ": " + str_of(engagement, "name") +
                                         " (" + text::choice_label(str_of(engagement, "pricing_mode")) +
                                         (fee.empty() ? "" : ", " + fee + " " + str_of(engagement, "currency")) +
                                         (rate.empty() ? "" : ", " + rate + "/h") + ", " +
                                         text::choice_label(str_of(engagement, "schedule")) + ")";
    ImGui::PushStyleColor(ImGuiCol_ChildBg, ImVec4(0.92f, 0.97f, 0.93f, 1));
    const float h = ImGui::GetTextLineHeightWithSpacing() * 3.0f + ImGui::GetStyle().WindowPadding.y * 2.0f + 4.0f;
    ImGui::BeginChild("proposal.acceptance", ImVec2(0, h), true, ImGuiWindowFlags_NoScrollbar);
    ImGui::TextColored(kGood, "Accepted by %s: ready to bill.", str_of(a["contract"], "accepted_by").c_str());
    ImGui::PushStyleColor(ImGuiCol_Text, ImVec4(0.12f, 0.33f, 0.68f, 1.0f));
    if (link("proposal.client_link", client_label, false, ImGui::CalcTextSize(client_label.c_str()).x)) {
        go_to_route(state, "#/clients/" + str_of(client, "id"));
    }
    if (link("proposal.engagement_link", engagement_label, false, ImGui::CalcTextSize(engagement_label.c_str()).x)) {
        go_to_route(state, "#/engagements");
    }
    ImGui::PopStyleColor();
    ImGui::EndChild();
    ImGui::PopStyleColor();
}

void draw_actions(AppState& state, bool editable, bool dirty) {
    auto& f = state.staff.crm.proposal;
    const std::string status = f.id.empty() ? "draft" : str_of(f.stored, "status");
    const bool busy = f.saving || f.acting;
    const bool writer = can(state, auth::Capability::clients_write);
    if (editable) {
        ImGui::BeginDisabled(busy || !writer);
        if (button("proposal.save", f.saving ? "Saving...##save" : f.id.empty() ? "Save draft##save" : "Save changes##save")) {
            save_proposal(state);
        }
        ImGui::SameLine();
        ImGui::BeginDisabled(f.id.empty() || dirty);
        if (button("proposal.send", "Send to the client")) send_proposal(state);
        ImGui::EndDisabled();
        ImGui::EndDisabled();
        ImGui::SameLine();
    }
    if (status == "sent") {
        ImGui::BeginDisabled(busy || !can(state, auth::Capability::engagements_write));
        if (button("proposal.accept", "Accept for the client")) accept_proposal(state);
        ImGui::EndDisabled();
        ImGui::SameLine();
        ImGui::BeginDisabled(busy || !writer);
        if (button("proposal.decline", "Decline")) decline_proposal(state);
        ImGui::EndDisabled();
        ImGui::SameLine();
    }
    if (button("proposal.back", "Back to the board")) go_to_route(state, "#/pipeline");
    if (editable && dirty && !f.id.empty()) {
        ImGui::TextColored(kMutedColour, "Save the changes before sending.");
    }
}

}  // namespace

void draw_proposal_editor_screen(AppState& state) {
    auto& f = state.staff.crm.proposal;
    const bool create = f.id.empty();
    const std::string status = create ? "draft" : str_of(f.stored, "status");
    const std::string title = create ? "New proposal"
                                     : "Proposal v" + str_of(f.stored, "version") + ": " + str_of(f.stored, "title") +
                                           "  (" + text::choice_label(status) + ")";
    ImGui::TextUnformatted(title.c_str());
    track_last_item("proposal.heading");
    mirror_text("proposal.heading", "heading", title);
    if (f.loading) {
        ImGui::TextDisabled("loading...");
        return;
    }
    if (f.load_error) {
        draw_error(*f.load_error);
        return;
    }
    if (!f.notice.empty()) {
        ImGui::TextColored(kGood, "%s", f.notice.c_str());
        mirror_text("proposal.notice", "status", f.notice);
    }
    draw_acceptance(state);
    const bool editable = status == "draft";
    f.shown_errors.clear();
    const auto& core = f.touched && editable ? f.core_errors : std::vector<Error>{};
    const auto& server = f.server_errors;
    bool changed = false;
    ImGui::BeginDisabled(!editable);
    if (!state.narrow && ImGui::BeginTable("proposal.layout", 2, ImGuiTableFlags_SizingStretchSame)) {
        ImGui::TableNextColumn();
        ImGui::TextColored(kMutedColour, "THE OFFER");
        changed |= draw_offer(state, core, server);
        ImGui::TableNextColumn();
        ImGui::TextColored(kMutedColour, "ENGAGEMENT TERMS ON ACCEPTANCE");
        changed |= draw_terms(state, core, server);
        ImGui::EndTable();
    } else {
        changed |= draw_offer(state, core, server);
        changed |= draw_terms(state, core, server);
    }
    ImGui::Spacing();
    changed |= draw_lines(state, core, server, editable);
    ImGui::EndDisabled();
    if (changed) {
        f.touched = true;
        f.server_errors.clear();
        f.notice.clear();
        validate_proposal_form(f);
    }
    refresh_proposal_preview(f);  // cheap when nothing changed: the last input is kept
    draw_totals(state);
    std::vector<std::string> drawn = {"prospect_id", "title", "expires_on", "billing_email", "tax_mode", "pricing_mode",
                                      "package_fee", "hourly_rate", "schedule", "start_date", "end_date",
                                      "payment_terms_days"};
    for (std::size_t i = 0; i < f.lines.size(); ++i) {
        for (const char* key : {"kind", "description", "quantity", "unit_price", "tax_rate", "amount"}) {
            drawn.push_back("lines[" + std::to_string(i) + "]." + key);
        }
    }
    other_errors(core, server, drawn, f.shown_errors);
    ImGui::Spacing();
    draw_actions(state, editable, proposal_form_body(f).dump() != f.saved_body);
}

}  // namespace cp::portal
