// The Time section: log time (by hand or with the timer), log an expense, and, for those
// whose role may approve, the approval queue with a checkbox per row and bulk approve.
// One's own entries are never approvable here (the server refuses SELF_APPROVAL too). The
// forms are checked by the core's validators as typed; the server's 422 errors are drawn
// at the field they name. Below: the entries and expenses the server shows this person.
#include <imgui.h>

#include <algorithm>
#include <cstdio>
#include <string>
#include <vector>

#include "client/app/staff_actions.hpp"
#include "client/app/time_actions.hpp"
#include "client/screens/screens.hpp"
#include "client/widgets/a11y_tree.hpp"
#include "client/widgets/controls.hpp"
#include "client/widgets/data_table.hpp"
#include "client/widgets/error_text.hpp"
#include "client/widgets/form_fields.hpp"
#include "client/widgets/widget_rects.hpp"

namespace cp::portal {
namespace {

const ImVec4 kDoneColour{0.12f, 0.48f, 0.25f, 1};

std::string str_of(const nlohmann::json& j, const char* key) {
    if (!j.is_object() || !j.contains(key)) return {};
    const auto& v = j[key];
    if (v.is_string()) return v.get<std::string>();
    if (v.is_number_integer()) return std::to_string(v.get<long long>());
    return {};
}

void heading(const char* id, const std::string& text) {
    ImGui::Spacing();
    ImGui::TextUnformatted(text.c_str());
    track_last_item(id);
    mirror_text(id, "heading", text);
}

void notice(const char* id, const std::string& text) {
    if (text.empty()) return;
    ImGui::TextColored(kDoneColour, "%s", text.c_str());
    mirror_text(id, "status", text);
}

// Errors show once the person tried to save; the core's and the server's, at their field.
void errors_at(const FormErrors& e, const char* field, std::vector<std::string>& shown) {
    static const std::vector<Error> none;
    field_errors(e.touched ? e.core : none, e.server, field, shown);
}
bool invalid(const FormErrors& e, const char* field) {
    static const std::vector<Error> none;
    return has_error(e.touched ? e.core : none, e.server, field);
}

std::string engagement_label(const AppState& state, const nlohmann::json& e) {
    return client_name(state, str_of(e, "client_id")) + " / " + str_of(e, "name");
}

// A combo over the engagements list; items are "<id>.<n>" for tests.
bool engagement_picker(AppState& state, const char* id, int& index, bool invalid_choice) {
    const auto& rows = state.staff.lists["engagements"].rows;
    ImGui::TextUnformatted("Engagement");
    const bool valid = index >= 0 && index < static_cast<int>(rows.size());
    const std::string current = valid ? engagement_label(state, rows[static_cast<std::size_t>(index)]) : "Choose an engagement...";
    ImGui::SetNextItemWidth(std::min(ImGui::GetContentRegionAvail().x, 420.0f * state.dpi_scale));
    bool changed = false;
    if (invalid_choice) ImGui::PushStyleColor(ImGuiCol_Border, kErrorColour);
    if (invalid_choice) ImGui::PushStyleVar(ImGuiStyleVar_FrameBorderSize, 1.0f);
    const bool open = ImGui::BeginCombo((std::string("##") + id).c_str(), current.c_str());
    if (invalid_choice) {
        ImGui::PopStyleVar();
        ImGui::PopStyleColor();
    }
    if (open) {
        for (int k = 0; k < static_cast<int>(rows.size()); ++k) {
            const std::string label = engagement_label(state, rows[static_cast<std::size_t>(k)]) + "##" + std::to_string(k);
            if (ImGui::Selectable(label.c_str(), k == index)) {
                changed = k != index;
                index = k;
            }
            track_last_item(std::string(id) + "." + std::to_string(k));
        }
        ImGui::EndCombo();
    }
    track_last_item(id);
    focusable_item(id);
    a11y_add({id, "combobox", "Engagement", current, false, false, invalid_choice, false});
    return changed;
}

std::string clock_text(long long seconds) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%02lld:%02lld:%02lld", seconds / 3600, (seconds / 60) % 60, seconds % 60);
    return buf;
}

void draw_time_form(AppState& state) {
    pick_restored_engagement(state);
    auto& f = state.staff.time.entry;
    f.errors.shown.clear();
    bool changed = engagement_picker(state, "time.entry.engagement", f.engagement_index, invalid(f.errors, "engagement_id"));
    errors_at(f.errors, "engagement_id", f.errors.shown);
    changed |= labelled_field("time.entry.date", "Date", f.date.data(), f.date.size(), 16, invalid(f.errors, "date"),
                              "(YYYY-MM-DD)");
    errors_at(f.errors, "date", f.errors.shown);
    changed |= labelled_field("time.entry.hours", "Hours", f.hours.data(), f.hours.size(), 12, invalid(f.errors, "hours"),
                              "(e.g. 1.25; the timer fills it)");
    errors_at(f.errors, "hours", f.errors.shown);
    changed |= labelled_field("time.entry.description", "Description", f.description.data(), f.description.size(), 1000,
                              invalid(f.errors, "description"));
    errors_at(f.errors, "description", f.errors.shown);
    changed |= checkbox("time.entry.billable", "Billable", f.billable);
    static const std::vector<Error> none;
    other_errors(f.errors.touched ? f.errors.core : none, f.errors.server,
                 {"engagement_id", "date", "hours", "description", "billable"}, f.errors.shown);
    auto& timer = state.staff.time.timer;
    if (changed) {
        validate_time_entry_form(state);
        remember_timer(state);
    }

    ImGui::BeginDisabled(f.saving || timer.running);
    if (button("time.entry.save", f.saving ? "Saving...##entry" : "Log time##entry")) save_time_entry(state);
    ImGui::EndDisabled();
    ImGui::SameLine();
    if (!timer.running) {
        if (button("time.timer.start", "Start timer")) start_timer(state);
    } else if (button("time.timer.stop", "Stop and save")) {
        stop_timer(state);
    }
    if (timer.running || timer.stopped_seconds >= 0) {
        ImGui::SameLine();
        const long long secs = timer_seconds(state);
        const std::string text = (timer.running ? "Running " : "Last run ") + clock_text(secs) + " = " +
                                 hours_for_seconds(secs) + " h";
        ImGui::TextUnformatted(text.c_str());
        track_last_item("time.timer.elapsed");
        mirror_text("time.timer.elapsed", "status", text);
    }
    notice("time.entry.notice", f.notice);
}

void draw_expense_form(AppState& state) {
    auto& f = state.staff.time.expense;
    f.errors.shown.clear();
    bool changed = engagement_picker(state, "time.expense.engagement", f.engagement_index, invalid(f.errors, "engagement_id"));
    errors_at(f.errors, "engagement_id", f.errors.shown);
    changed |= labelled_field("time.expense.date", "Date", f.date.data(), f.date.size(), 16, invalid(f.errors, "date"),
                              "(YYYY-MM-DD)");
    errors_at(f.errors, "date", f.errors.shown);
    changed |= labelled_field("time.expense.amount", "Amount", f.amount.data(), f.amount.size(), 24,
                              invalid(f.errors, "amount"), "(in the engagement's currency)");
    errors_at(f.errors, "amount", f.errors.shown);
    changed |= labelled_field("time.expense.description", "Description", f.description.data(), f.description.size(), 1000,
                              invalid(f.errors, "description"));
    errors_at(f.errors, "description", f.errors.shown);
    changed |= labelled_field("time.expense.category", "Category", f.category.data(), f.category.size(), 100,
                              invalid(f.errors, "category"), "(optional)");
    errors_at(f.errors, "category", f.errors.shown);
    changed |= checkbox("time.expense.billable", "Billable", f.billable);
    static const std::vector<Error> none;
    other_errors(f.errors.touched ? f.errors.core : none, f.errors.server,
                 {"engagement_id", "date", "amount", "description", "category", "billable"}, f.errors.shown);
    if (changed) validate_expense_form(state);
    ImGui::BeginDisabled(f.saving);
    if (button("time.expense.save", f.saving ? "Saving...##expense" : "Log expense##expense")) save_expense(state);
    ImGui::EndDisabled();
    notice("time.expense.notice", f.notice);
}

// One queue row's checkbox: disabled, with the reason, for one's own entry.
void queue_checkbox(AppState& state, const std::string& key, bool own) {
    auto& selected = state.staff.time.queue.selected;
    bool ticked = !own && selected.count(key) > 0;
    const std::string id = "time.queue." + key;
    ImGui::BeginDisabled(own);
    bool changed = ImGui::Checkbox(("##" + id).c_str(), &ticked);
    ImGui::EndDisabled();
    track_last_item(id);
    if (own) {
        if (ImGui::IsItemHovered(ImGuiHoveredFlags_AllowWhenDisabled)) {
            ImGui::SetTooltip("Your own entry: another approver must approve it.");
        }
    } else {
        focusable_item(id);
        if (a11y_take_activation(id)) {
            ticked = !ticked;
            changed = true;
        }
    }
    if (changed) {
        if (ticked) selected.insert(key);
        else selected.erase(key);
    }
    a11y_add({id, "checkbox", own ? "Your own entry: another approver must approve it" : "Approve " + key,
              ticked ? "checked" : "not checked", false, own, false, false});
}

void draw_approval_queue(AppState& state) {
    auto& q = state.staff.time.queue;
    const auto& times = state.staff.lists["approve.time"];
    const auto& expenses = state.staff.lists["approve.expenses"];
    struct Row {
        std::string key, kind, date, description, quantity, author;
        bool own;
    };
    std::vector<Row> rows;
    for (const auto& t : times.rows) {
        const bool own = is_own_entry(state, t);
        rows.push_back({"time:" + str_of(t, "id"), "Time", str_of(t, "date"), str_of(t, "description"),
                        str_of(t, "hours") + " h", own ? "you" : "another member", own});
    }
    for (const auto& x : expenses.rows) {
        const bool own = is_own_entry(state, x);
        rows.push_back({"expense:" + str_of(x, "id"), "Expense", str_of(x, "date"), str_of(x, "description"),
                        str_of(x, "amount") + " " + str_of(x, "currency"), own ? "you" : "another member", own});
    }
    int approvable = 0, ticked = 0;
    for (const auto& r : rows) {
        if (r.own) continue;
        ++approvable;
        ticked += q.selected.count(r.key) ? 1 : 0;
    }
    ImGui::PushTextWrapPos(0.0f);
    ImGui::TextColored(kMutedColour, "Unapproved time and expenses of the firm. Nobody approves their own: those rows "
                                     "cannot be ticked.");
    ImGui::PopTextWrapPos();
    if (times.error) draw_error(*times.error);
    if (expenses.error) draw_error(*expenses.error);
    bool all = approvable > 0 && ticked == approvable;
    ImGui::BeginDisabled(approvable == 0);
    if (checkbox("time.queue.all", "Select all", all)) {
        for (const auto& r : rows) {
            if (r.own) continue;
            if (all) q.selected.insert(r.key);
            else q.selected.erase(r.key);
        }
    }
    ImGui::EndDisabled();
    ImGui::SameLine();
    ImGui::BeginDisabled(ticked == 0 || q.pending > 0);
    const std::string label = q.pending > 0 ? "Approving...##approve" : "Approve selected (" + std::to_string(ticked) + ")##approve";
    if (button("time.queue.approve", label.c_str())) approve_selected(state);
    ImGui::EndDisabled();
    for (const auto& e : q.errors) draw_error(e);
    notice("time.queue.notice", q.notice);
    if ((times.loaded && expenses.loaded) && rows.empty()) {
        ImGui::TextDisabled("Nothing waiting for approval.");
        return;
    }
    const float height = std::min(ImGui::GetContentRegionAvail().y * 0.5f, (rows.size() + 1.5f) * ImGui::GetFrameHeightWithSpacing());
    a11y_add("time.queue.table", "table", "Approval queue");
    a11y_push_parent("time.queue.table");
    if (ImGui::BeginTable("time.queue.table", 6, ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerH |
                                                     ImGuiTableFlags_ScrollY, ImVec2(0, height))) {
        ImGui::TableSetupColumn("", ImGuiTableColumnFlags_WidthFixed, ImGui::GetFrameHeight());
        ImGui::TableSetupColumn("Kind");
        ImGui::TableSetupColumn("Date");
        ImGui::TableSetupColumn("Description", ImGuiTableColumnFlags_WidthStretch, 3.0f);
        ImGui::TableSetupColumn("Hours / amount");
        ImGui::TableSetupColumn("Logged by");
        ImGui::TableSetupScrollFreeze(0, 1);
        ImGui::TableHeadersRow();
        for (const auto& r : rows) {
            ImGui::PushID(r.key.c_str());
            ImGui::TableNextRow();
            ImGui::TableNextColumn();
            queue_checkbox(state, r.key, r.own);
            for (const auto* cell : {&r.kind, &r.date, &r.description, &r.quantity, &r.author}) {
                ImGui::TableNextColumn();
                ImGui::TextUnformatted(cell->c_str());
            }
            if (r.own) {
                ImGui::SameLine();
                ImGui::TextColored(kMutedColour, "(your own: not approvable)");
            }
            mirror_text(("time.queue.row." + r.key).c_str(), "row",
                        r.kind + " " + r.date + " " + r.description + " " + r.quantity + " by " + r.author);
            ImGui::PopID();
        }
        ImGui::EndTable();
    }
    a11y_pop_parent();
}

void tab_button(AppState& state, const char* id, const char* label, int tab) {
    const bool on = state.staff.time.tab == tab;
    if (on) ImGui::PushStyleColor(ImGuiCol_Button, ImGui::GetStyleColorVec4(ImGuiCol_ButtonActive));
    if (button(id, label, true)) state.staff.time.tab = tab;
    if (on) ImGui::PopStyleColor();
    ImGui::SameLine();
}

}  // namespace

void draw_time_screen(AppState& state) {
    auto& ws = state.staff;
    ImGui::TextUnformatted("Time");
    mirror_text("time.heading", "heading", "Time");
    ImGui::SameLine();
    if (button("time.refresh", "Refresh", true)) load_time_section(state);
    if (ws.lists["engagements"].error) draw_error(*ws.lists["engagements"].error);

    tab_button(state, "time.tab.log", "Log time", 0);
    tab_button(state, "time.tab.expense", "Log an expense", 1);
    if (can_approve(state)) {
        const auto waiting = ws.lists["approve.time"].rows.size() + ws.lists["approve.expenses"].rows.size();
        const std::string label = "Approval queue (" + std::to_string(waiting) + ")";
        tab_button(state, "time.tab.queue", label.c_str(), 2);
    } else if (ws.time.tab == 2) {
        ws.time.tab = 0;
    }
    ImGui::NewLine();
    ImGui::Separator();
    if (ws.time.tab == 0) draw_time_form(state);
    if (ws.time.tab == 1) draw_expense_form(state);
    if (ws.time.tab == 2) draw_approval_queue(state);

    heading("time.entries.title", can_approve(state) ? "Time entries" : "Your time entries");
    std::vector<std::vector<std::string>> rows;
    for (const auto& t : ws.lists["time"].rows) {
        rows.push_back({str_of(t, "date"), str_of(t, "description"), str_of(t, "hours"), str_of(t, "rate") + " " + str_of(t, "currency"),
                        str_of(t, "status"), t.value("billable", true) ? "billable" : "not billable"});
    }
    if (ws.lists["time"].error) draw_error(*ws.lists["time"].error);
    const float half = ImGui::GetContentRegionAvail().y * 0.55f;
    data_table({"time.table", "Time entries", state.narrow, false, std::max(half, 120.0f)},
               {{"Date"}, {"Description", DataColumn::text, false}, {"Hours"}, {"Rate", DataColumn::money, false},
                {"Status", DataColumn::status}, {"Billable", DataColumn::text, false}},
               rows);
    if (ws.lists["time"].loaded && rows.empty()) ImGui::TextDisabled("No time logged yet.");

    heading("time.expenses.title", can_approve(state) ? "Expenses" : "Your expenses");
    std::vector<std::vector<std::string>> xrows;
    for (const auto& x : ws.lists["expenses"].rows) {
        xrows.push_back({str_of(x, "date"), str_of(x, "description"), str_of(x, "amount") + " " + str_of(x, "currency"),
                         str_of(x, "status"), x.value("billable", true) ? "billable" : "not billable"});
    }
    data_table({"time.expenses", "Expenses", state.narrow, false},
               {{"Date"}, {"Description", DataColumn::text, false}, {"Amount", DataColumn::money}, {"Status", DataColumn::status},
                {"Billable", DataColumn::text, false}},
               xrows);
    if (ws.lists["expenses"].loaded && xrows.empty()) ImGui::TextDisabled("No expenses logged yet.");
}

}  // namespace cp::portal
