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
// judge it) when a whole date is typed or an edit is finished (Enter, leaving the box);
// only a valid range is sent, and a box emptied while typing over it sends nothing yet.
bool draw_issue_date_range(AppState& state) {
    auto& list = state.invoices;
    const float w = 104.0f * state.dpi_scale;
    bool judge = false;
    const auto field = [&](const char* id, const char* label, std::array<char, 41>& buffer) {
        ImGui::AlignTextToFramePadding();
        ImGui::TextColored(kMutedColour, "%s", label);
        ImGui::SameLine();
        bool invalid = false;
        for (const auto& e : list.date_errors) invalid = invalid || std::string(id).ends_with(e.field);
        auto r = text_field({id, label, 10, false, invalid, w, "YYYY-MM-DD"}, buffer.data(), buffer.size());
        if (r.committed || (r.changed && std::strlen(buffer.data()) == 10)) judge = true;
    };
    // Beside the other filters when they fit, else on a line of their own.
    const float needed = ImGui::CalcTextSize("Issued from to").x + 2 * w + 6 * ImGui::GetStyle().ItemSpacing.x;
    ImGui::SameLine();
    if (state.narrow || ImGui::GetContentRegionAvail().x < needed) ImGui::NewLine();
    field("invoices.filter.issued_from", "Issued from", list.issued_from);
    ImGui::SameLine();
    field("invoices.filter.issued_to", "to", list.issued_to);
    if (judge) {
        std::map<std::string, std::string> query{{"issued_from", list.issued_from.data()},
                                                 {"issued_to", list.issued_to.data()}};
        list.date_errors.clear();
        const auto read = validation::read_invoice_list_query(query, list.date_errors);
        if (list.date_errors.empty()) {
            const std::string from = read.issued_from.value_or(""), to = read.issued_to.value_or("");
            if (from != list.applied_from || to != list.applied_to) {
                list.applied_from = from;
                list.applied_to = to;
                return true;
            }
        }
    }
    for (const auto& e : list.date_errors) draw_error(e);
    if (!list.date_errors.empty() && (!list.applied_from.empty() || !list.applied_to.empty())) {
        // The list no longer matches the boxes: say which range it shows.
        std::string shown = "Listed: issued";
        if (!list.applied_from.empty()) shown += " from " + list.applied_from;
        if (!list.applied_to.empty()) shown += " to " + list.applied_to;
        ImGui::TextColored(kMutedColour, "%s", shown.c_str());
        mirror_text("invoices.filter.issued_listed", "status", shown);
    }
    return false;
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

// Wide enough for the longest number among the first rows (numbers of one firm share a
// format) and for the header with its sort arrow.
float number_column_width(const AppState& state) {
    std::size_t longest = 0;
    const std::string* widest = nullptr;
    const auto& rows = state.invoices.rows;
    for (std::size_t k = 0; k < rows.size() && k < 200; ++k) {
        if (rows[k].number.size() > longest) {
            longest = rows[k].number.size();
            widest = &rows[k].number;
        }
    }
    const float text = std::max(ImGui::CalcTextSize("INV-2026-00000").x,
                                widest ? ImGui::CalcTextSize(widest->c_str()).x : 0.0f);
    return text + ImGui::GetFontSize();
}

// The columns that fit whole: a phone shows number, status and balance; a window too narrow
// for all seven drops Issued, then Client, then Total, rather than cutting every cell.
std::vector<int> visible_columns(const AppState& state) {
    std::vector<int> columns;
    for (int c = 0; c < kInvoiceColumns; ++c) {
        if (!state.narrow || kColumns[c].narrow) columns.push_back(c);
    }
    if (state.narrow) return columns;
    const float pad = ImGui::GetStyle().CellPadding.x * 2.0f + ImGui::GetFontSize();
    const float widths[kInvoiceColumns] = {number_column_width(state),
                                           ImGui::CalcTextSize("Northwind Trad").x + pad,
                                           ImGui::CalcTextSize("Charged back").x + pad,
                                           ImGui::CalcTextSize("2026-12-31").x + pad,
                                           ImGui::CalcTextSize("2026-12-31").x + pad,
                                           ImGui::CalcTextSize("100000.00 USD").x + pad,
                                           ImGui::CalcTextSize("100000.00 USD").x + pad};
    const float avail = ImGui::GetContentRegionAvail().x;
    for (int drop : {3, 1, 5}) {
        float sum = 0.0f;
        for (int c : columns) sum += widths[c];
        if (sum <= avail) break;
        columns.erase(std::remove(columns.begin(), columns.end(), drop), columns.end());
    }
    return columns;
}

struct DrawnRows {
    int first = -1, last = -1;  // positions in display order drawn this frame (-1: none)
};

// The table itself: only the rows in view are drawn (ImGuiListClipper).
DrawnRows draw_invoice_table(AppState& state, const std::vector<int>& order, const std::vector<int>& columns,
                             std::string& open_id) {
    DrawnRows drawn;
    const ImGuiTableFlags flags = ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerH | ImGuiTableFlags_ScrollY |
                                  ImGuiTableFlags_Resizable | ImGuiTableFlags_Sortable | ImGuiTableFlags_SortTristate |
                                  ImGuiTableFlags_PadOuterX;  // room for the last header's sort arrow
    // A client's list is short and has their payment history below it: the table keeps to
    // its rows instead of taking the whole page.
    ImVec2 outer(0.0f, 0.0f);
    if (state.session.is_portal_user) {
        const float rows = static_cast<float>(std::min<std::size_t>(order.size(), 10) + 1);
        outer.y = rows * (ImGui::GetTextLineHeight() + ImGui::GetStyle().CellPadding.y * 2.0f) + ImGui::GetStyle().CellPadding.y * 2.0f;
    }
    // One table (and its sort arrow) per set of columns: ImGui keeps each one's settings.
    const std::string table_id = state.narrow                        ? std::string("invoices_narrow")
                                 : columns.size() == kInvoiceColumns ? std::string("invoices")
                                                                     : "invoices_" + std::to_string(columns.size());
    if (!ImGui::BeginTable(table_id.c_str(), static_cast<int>(columns.size()), flags, outer)) {
        return drawn;
    }
    track_last_item("invoices.table");
    ImGui::TableSetupScrollFreeze(0, 1);
    for (int c : columns) {
        ImGuiTableColumnFlags f = ImGuiTableColumnFlags_None;
        float width = 0.0f;
        if (kColumns[c].money) f |= ImGuiTableColumnFlags_WidthStretch;
        if (c == 0) {  // numbers are never cut: rows would look alike
            f |= ImGuiTableColumnFlags_WidthFixed;
            width = number_column_width(state);
        }
        ImGui::TableSetupColumn(kColumns[c].title, f, width, static_cast<ImGuiID>(c));
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
            // The server orders the whole list, not the pages loaded so far: a server column
            // (or none: creation order) asks again; a portal column sorts the rows in hand.
            std::string server = state.invoice_server_sort;
            if (next.column < 0) server.clear();
            if (const char* key = invoice_sort_key(next.column)) server = std::string(next.descending ? "-" : "") + key;
            state.invoice_sort = next;
            if (server != state.invoice_server_sort) {
                state.invoice_server_sort = server;
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
    const auto columns = visible_columns(state);
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
