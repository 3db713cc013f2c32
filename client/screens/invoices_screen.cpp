#include <GLFW/glfw3.h>
#include <imgui.h>

#include <algorithm>
#include <array>
#include <cstring>
#include <iterator>
#include <map>
#include <vector>

#include "client/app/actions.hpp"
#include "client/app/editor_choices.hpp"
#include "client/app/invoice_order.hpp"
#include "client/app/routes.hpp"
#include "client/platform/input_events.hpp"
#include "client/screens/package_run_panel.hpp"
#include "client/screens/portal_billing_panels.hpp"
#include "client/screens/screens.hpp"
#include "client/widgets/a11y_tree.hpp"
#include "client/widgets/controls.hpp"
#include "client/widgets/error_text.hpp"
#include "client/widgets/table_cells.hpp"
#include "client/widgets/widget_rects.hpp"
#include "shared/text/messages.hpp"
#include "shared/validation/invoice_list_query.hpp"

namespace cp::portal {
namespace {

ImVec4 status_colour(const std::string& status) {
    if (status == "paid") return {0.12f, 0.48f, 0.25f, 1};
    if (status == "overdue" || status == "failed" || status == "charged_back") return kErrorColour;
    if (status == "draft" || status == "void") return kMutedColour;
    return {0.12f, 0.33f, 0.68f, 1};
}

// A right-aligned amount (so amounts line up by their decimals); the mirror has it already.
void draw_money(const std::string& amount, const std::string& currency) {
    const std::string text = amount.empty() ? "-" : amount + " " + currency;
    const float width = ImGui::CalcTextSize(text.c_str()).x;
    const float avail = ImGui::GetContentRegionAvail().x;
    if (avail > width) ImGui::SetCursorPosX(ImGui::GetCursorPosX() + avail - width);
    ImGui::TextUnformatted(text.c_str());
}

struct Column {
    const char* title;
    bool money;
    bool narrow;  // kept on a phone-width screen
};
constexpr Column kColumns[] = {{"Number", false, true}, {"Client", false, false}, {"Status", false, true},
                               {"Issued", false, false}, {"Due", false, false},   {"Total", true, false},
                               {"Balance due", true, true}};

// Up/Down move the row cursor, Enter opens it, Ctrl+C copies its number.
void handle_table_keys(AppState& state, const std::vector<int>& order, std::string& open_id) {
    if (order.empty() || ImGui::GetIO().WantTextInput) return;
    int& sel = state.selected_row;
    if (ImGui::IsKeyPressed(GLFW_KEY_DOWN)) sel = std::min(sel + 1, static_cast<int>(order.size()) - 1);
    if (ImGui::IsKeyPressed(GLFW_KEY_UP)) sel = std::max(sel - 1, 0);
    if (sel >= static_cast<int>(order.size())) sel = -1;
    if (sel >= 0 && (ImGui::IsKeyPressed(GLFW_KEY_ENTER, false) || ImGui::IsKeyPressed(GLFW_KEY_KP_ENTER, false))) {
        open_id = state.invoices.rows[static_cast<std::size_t>(order[static_cast<std::size_t>(sel)])].id;
    }
}

// "Issued from/to": judged by the core's reader of the list's query (as the server will
// judge it) once a date is whole, on Enter, or when emptied; only a valid range is sent.
bool draw_issue_date_range(AppState& state) {
    auto& list = state.invoices;
    const float w = 104.0f * state.dpi_scale;
    bool judge = false, submitted = false;
    const auto field = [&](const char* id, const char* label, std::array<char, 41>& buffer) {
        ImGui::AlignTextToFramePadding();
        ImGui::TextColored(kMutedColour, "%s", label);
        ImGui::SameLine();
        bool invalid = false;
        for (const auto& e : list.date_errors) invalid = invalid || std::string(id).ends_with(e.field);
        auto r = text_field({id, label, 10, false, invalid, w, "YYYY-MM-DD"}, buffer.data(), buffer.size());
        const std::size_t length = std::strlen(buffer.data());
        if (r.changed && (length == 0 || length == 10)) judge = true;
        if (r.submitted) judge = submitted = true;
    };
    if (!state.narrow) ImGui::SameLine();
    field("invoices.filter.issued_from", "Issued from", list.issued_from);
    ImGui::SameLine();
    field("invoices.filter.issued_to", "to", list.issued_to);
    if (!judge) {
        for (const auto& e : list.date_errors) draw_error(e);
        return false;
    }
    const std::string from = list.issued_from.data(), to = list.issued_to.data();
    std::map<std::string, std::string> query;
    // A half-typed other date is no verdict on this one: judge only whole or empty dates.
    if (from.size() == 10 || (submitted && !from.empty())) query["issued_from"] = from;
    if (to.size() == 10 || (submitted && !to.empty())) query["issued_to"] = to;
    auto read = validation::read_invoice_list_query(query);
    list.date_errors.clear();
    if (!read) {
        list.date_errors.push_back(read.error());
        draw_error(read.error());
        return false;
    }
    const std::string new_from = read->issued_from.value_or(""), new_to = read->issued_to.value_or("");
    if ((from.size() != 10 && !from.empty()) || (to.size() != 10 && !to.empty())) return false;  // still typing
    if (new_from == list.applied_from && new_to == list.applied_to) return false;
    list.applied_from = new_from;
    list.applied_to = new_to;
    return true;
}

// Status and client, filtered by the server (so "overdue" is its computation, and paging
// pages the filtered list).
void draw_invoice_filters(AppState& state) {
    auto& list = state.invoices;
    bool changed = false;
    const float w = (state.narrow ? 150.0f : 170.0f) * state.dpi_scale;
    ImGui::AlignTextToFramePadding();
    ImGui::TextColored(kMutedColour, "Status");
    ImGui::SameLine();
    ImGui::SetNextItemWidth(w);
    const std::string status_label = text::choice_label(kInvoiceStatusFilters[list.status_filter]);
    if (ImGui::BeginCombo("##invoices.status", status_label.c_str())) {
        for (int k = 0; k < static_cast<int>(std::size(kInvoiceStatusFilters)); ++k) {
            if (ImGui::Selectable(text::choice_label(kInvoiceStatusFilters[k]).c_str(), k == list.status_filter)) {
                changed = k != list.status_filter;
                list.status_filter = k;
            }
            track_last_item(std::string("invoices.filter.status.") + kInvoiceStatusFilters[k]);
        }
        ImGui::EndCombo();
    }
    track_last_item("invoices.filter.status");
    focusable_item("invoices.filter.status");
    a11y_add({"invoices.filter.status", "combobox", "Status filter", status_label, false, false, false, false});
    if (!state.narrow) ImGui::SameLine();
    ImGui::AlignTextToFramePadding();
    ImGui::TextColored(kMutedColour, "Client");
    ImGui::SameLine();
    ImGui::SetNextItemWidth(w * 1.4f);
    std::string client_label = "All clients";
    if (!list.client_filter.empty()) {
        auto known = list.client_names.find(list.client_filter);
        client_label = known != list.client_names.end() ? known->second : list.client_filter;
    }
    if (ImGui::BeginCombo("##invoices.client", client_label.c_str())) {
        if (ImGui::Selectable("All clients", list.client_filter.empty())) {
            changed = !list.client_filter.empty();
            list.client_filter.clear();
        }
        for (const auto& [id, name] : list.client_names) {
            ImGui::PushID(id.c_str());
            if (ImGui::Selectable(name.c_str(), id == list.client_filter)) {
                changed = id != list.client_filter;
                list.client_filter = id;
            }
            ImGui::PopID();
        }
        ImGui::EndCombo();
    }
    track_last_item("invoices.filter.client");
    focusable_item("invoices.filter.client");
    a11y_add({"invoices.filter.client", "combobox", "Client filter", client_label, false, false, false, false});
    if (draw_issue_date_range(state)) changed = true;
    if (changed) {
        state.selected_row = -1;
        load_invoices(state);
    }
}

struct DrawnRows {
    int first = -1, last = -1;  // positions in display order drawn this frame (-1: none)
};

// The table itself: only the rows in view are drawn (ImGuiListClipper).
DrawnRows draw_invoice_table(AppState& state, const std::vector<int>& order, const std::vector<int>& columns,
                             std::string& open_id) {
    DrawnRows drawn;
    const ImGuiTableFlags flags = ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerH | ImGuiTableFlags_ScrollY |
                                  ImGuiTableFlags_Resizable | ImGuiTableFlags_Sortable | ImGuiTableFlags_SortTristate;
    // A client's list is short and has their payment history below it: the table keeps to
    // its rows instead of taking the whole page.
    ImVec2 outer(0.0f, 0.0f);
    if (state.session.is_portal_user) {
        const float rows = static_cast<float>(std::min<std::size_t>(order.size(), 10) + 1);
        outer.y = rows * (ImGui::GetTextLineHeight() + ImGui::GetStyle().CellPadding.y * 2.0f) + ImGui::GetStyle().CellPadding.y * 2.0f;
    }
    if (!ImGui::BeginTable(state.narrow ? "invoices_narrow" : "invoices", static_cast<int>(columns.size()), flags, outer)) {
        return drawn;
    }
    track_last_item("invoices.table");
    ImGui::TableSetupScrollFreeze(0, 1);
    for (int c : columns) {
        ImGuiTableColumnFlags f = ImGuiTableColumnFlags_None;
        if (kColumns[c].money) f |= ImGuiTableColumnFlags_WidthStretch;
        ImGui::TableSetupColumn(kColumns[c].title, f, 0.0f, static_cast<ImGuiID>(c));
    }
    // Headers drawn one by one so each has a name (a click sorts by it).
    ImGui::TableNextRow(ImGuiTableRowFlags_Headers);
    for (int k = 0; k < static_cast<int>(columns.size()); ++k) {
        ImGui::TableSetColumnIndex(k);
        ImGui::TableHeader(kColumns[columns[static_cast<std::size_t>(k)]].title);
        track_last_item(std::string("invoices.header.") + kColumns[columns[static_cast<std::size_t>(k)]].title);
    }
    // The header's arrow is the truth: compared every frame, not only when ImGui marks a
    // change, so a list reset (signing in again) follows the arrow ImGui kept.
    if (ImGuiTableSortSpecs* specs = ImGui::TableGetSortSpecs()) {
        TableSort next;  // no column: a third click returns to the server's creation order
        if (specs->SpecsCount > 0) {
            next.column = static_cast<int>(specs->Specs[0].ColumnUserID);
            next.descending = specs->Specs[0].SortDirection == ImGuiSortDirection_Descending;
        }
        specs->SpecsDirty = false;
        if (!(next == state.invoice_sort)) {
            // The server orders the whole list, not the pages loaded so far: ask again.
            const bool server = invoice_sort_key(next.column) || invoice_sort_key(state.invoice_sort.column);
            state.invoice_sort = next;
            if (server) {
                state.selected_row = -1;
                load_invoices(state);
            }
        }
    }
    const float row_h = ImGui::GetTextLineHeight() + ImGui::GetStyle().CellPadding.y * 2.0f;
    // The keyboard cursor stays in view (it may be outside the rows the clipper draws).
    if (state.selected_row >= 0 && state.selected_row != state.invoices.scrolled_to) {
        state.invoices.scrolled_to = state.selected_row;
        const float y = static_cast<float>(state.selected_row) * row_h;
        const float top = ImGui::GetScrollY();
        const float view = ImGui::GetWindowHeight() - row_h * 2.0f;
        if (y < top) ImGui::SetScrollY(y);
        if (y + row_h > top + view) ImGui::SetScrollY(y + row_h - view);
    }
    ImGuiListClipper clipper;
    clipper.Begin(static_cast<int>(order.size()), row_h);
    while (clipper.Step()) {
        for (int pos = clipper.DisplayStart; pos < clipper.DisplayEnd; ++pos) {
            drawn.first = drawn.first < 0 ? pos : std::min(drawn.first, pos);
            drawn.last = std::max(drawn.last, pos);
            const int index = order[static_cast<std::size_t>(pos)];
            const auto& row = state.invoices.rows[static_cast<std::size_t>(index)];
            const std::string row_id = "invoices.row." + std::to_string(index);
            const bool selected = state.selected_row == pos;
            ImGui::TableNextRow(ImGuiTableRowFlags_None, row_h);
            ImGui::TableNextColumn();
            ImGui::PushID(index);
            const std::string number = invoice_cell(state, row, 0);
            if (ImGui::Selectable(number.c_str(), selected, ImGuiSelectableFlags_SpanAllColumns)) open_id = row.id;
            copy_menu("row_menu", {{"Copy invoice number", row.number},
                                   {"Copy total", row.total + " " + row.currency},
                                   {"Copy balance due", row.balance_due + " " + row.currency}});
            if (selected) table_copy_text() = row.number;  // a draft has none: nothing to copy
            ImGui::PopID();
            track_last_item(row_id);
            for (std::size_t k = 1; k < columns.size(); ++k) {
                const int c = columns[k];
                ImGui::TableNextColumn();
                const std::string value = invoice_cell(state, row, c);
                if (kColumns[c].money) {
                    draw_money(value, row.currency);
                } else if (c == 2) {
                    ImGui::TextColored(status_colour(row.status), "%s", value.c_str());
                } else {
                    ImGui::TextUnformatted(value.c_str());
                }
                if (c == 6) track_last_item(row_id + ".balance_due");
            }
        }
    }
    ImGui::EndTable();
    return drawn;
}

// The mirror lists every row of a list up to kMirrorAllRows; past that, the rows around
// those in view (and the keyboard cursor's), with the total in the table's name, as a
// virtualised web grid does with aria-rowcount: a page of 100,000 hidden DOM rows rebuilt
// on every change would cost the browser more than the canvas does.
constexpr int kMirrorAllRows = 500;
constexpr int kMirrorMargin = 10;

void mirror_invoice_table(AppState& state, const std::vector<int>& order, const std::vector<int>& columns,
                          const DrawnRows& drawn, std::string& open_id) {
    const int total = static_cast<int>(order.size());
    int from = 0, to = total;  // positions [from, to)
    std::string name = state.session.is_portal_user ? "Your invoices" : "Invoices";
    if (total > kMirrorAllRows) {
        const int first = drawn.first >= 0 ? drawn.first : std::max(state.selected_row, 0);
        const int last = drawn.last >= 0 ? drawn.last : first;
        // Whole blocks of kMirrorMargin rows, so scrolling rebuilds the page's copy only
        // when a block boundary is crossed, not on every frame of a scroll.
        from = std::max(0, (first - kMirrorMargin) / kMirrorMargin * kMirrorMargin);
        to = std::min(total, (last + 2 * kMirrorMargin) / kMirrorMargin * kMirrorMargin);
        name += ", " + std::to_string(total) + " rows; rows " + std::to_string(from + 1) + " to " + std::to_string(to) + " listed";
    }
    a11y_add("invoices.table", "table", name);
    a11y_push_parent("invoices.table");
    a11y_add("invoices.header", "row", "Column headers");
    a11y_push_parent("invoices.header");
    for (int c : columns) a11y_add(std::string("invoices.header.") + kColumns[c].title, "columnheader", kColumns[c].title);
    a11y_pop_parent();
    for (int pos = from; pos < to; ++pos) {
        const int index = order[static_cast<std::size_t>(pos)];
        const auto& row = state.invoices.rows[static_cast<std::size_t>(index)];
        const std::string row_id = "invoices.row." + std::to_string(index);
        const std::string number = invoice_cell(state, row, 0);
        a11y_add(row_id, "row", number + ", " + invoice_client_name(state, row) + ", " + text::choice_label(row.status) + ", " +
                                    row.balance_due + " " + row.currency + " due");
        if (a11y_take_activation(row_id)) open_id = row.id;
        a11y_push_parent(row_id);
        a11y_add(row_id + ".number", "cell", number);
        for (std::size_t k = 1; k < columns.size(); ++k) {
            const int c = columns[k];
            const std::string value = invoice_cell(state, row, c);
            a11y_add(row_id + "." + std::to_string(c), "cell", kColumns[c].money ? (value.empty() ? "-" : value + " " + row.currency) : value);
        }
        a11y_pop_parent();
    }
    a11y_pop_parent();
}

}  // namespace

void draw_invoices_screen(AppState& state) {
    if (state.session.is_portal_user) draw_portal_summary(state);
    ImGui::TextUnformatted(state.session.is_portal_user ? "Your invoices" : "Invoices");
    mirror_text("invoices.heading", "heading", state.session.is_portal_user ? "Your invoices" : "Invoices");
    ImGui::SameLine();
    if (button("invoices.refresh", "Refresh", true)) load_invoices(state);
    if (!state.session.is_portal_user) {
        ImGui::SameLine();
        if (button("invoices.new", "New invoice", true)) go_to_route(state, "#/invoices/new");
        draw_package_run_button(state);
    }
    if (state.invoices.loading) {
        ImGui::SameLine();
        ImGui::TextDisabled("loading...");
    }
    if (!state.invoices.next_cursor.empty()) {
        ImGui::SameLine();
        if (button("invoices.load_more", "Load more", true)) load_invoices(state, true);
    }
    if (!state.session.is_portal_user) {
        draw_package_run_panel(state);
        draw_invoice_filters(state);
    }
    if (state.invoices.error) draw_error(*state.invoices.error);
    std::vector<int> columns;
    for (int c = 0; c < kInvoiceColumns; ++c) {
        if (!state.narrow || kColumns[c].narrow) columns.push_back(c);
    }
    const auto& order = invoice_order(state);
    std::string open_id;
    handle_table_keys(state, order, open_id);
    const DrawnRows drawn = draw_invoice_table(state, order, columns, open_id);
    mirror_invoice_table(state, order, columns, drawn, open_id);
    // Scrolling to the last loaded row asks for the next page, so the whole list is reachable
    // by scrolling alone.
    if (drawn.last + 1 >= static_cast<int>(order.size()) && drawn.last >= 0 && !state.invoices.next_cursor.empty() &&
        !state.invoices.loading) {
        load_invoices(state, true);
    }
    if (!open_id.empty()) go_to_route(state, "#/invoices/" + open_id);
    if (state.invoices.loaded && state.invoices.rows.empty()) ImGui::TextDisabled("No invoices yet.");
    if (state.session.is_portal_user) draw_payment_history(state);
}

}  // namespace cp::portal
