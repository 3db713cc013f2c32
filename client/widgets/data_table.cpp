#include "client/widgets/data_table.hpp"

#include <imgui.h>

#include <algorithm>

#include "client/widgets/a11y_tree.hpp"
#include "client/widgets/widget_rects.hpp"
#include "shared/text/messages.hpp"

namespace cp::portal {

StatusColour status_colour_of(const std::string& s) {
    if (s == "paid" || s == "succeeded" || s == "won" || s == "active" || s == "approved" || s == "current") {
        return {0.12f, 0.48f, 0.25f};
    }
    if (s == "overdue" || s == "failed" || s == "charged_back" || s == "lost" || s == "needs_response" ||
        s == "warning_needs_response" || s == "disabled" || s == "terminated" || s == "FAILURE") {
        return {0.78f, 0.16f, 0.14f};
    }
    if (s == "draft" || s == "void" || s == "inactive" || s == "completed" || s == "renewed" || s == "unapproved") {
        return {0.40f, 0.42f, 0.47f};
    }
    return {0.12f, 0.33f, 0.68f};
}

int data_table(const DataTableSpec& spec, const std::vector<DataColumn>& columns,
               const std::vector<std::vector<std::string>>& rows) {
    std::vector<int> shown;
    for (int c = 0; c < static_cast<int>(columns.size()); ++c) {
        if (!spec.narrow || columns[static_cast<std::size_t>(c)].on_phone) shown.push_back(c);
    }
    int opened = -1;
    // The mirror has every row, whatever is scrolled into view.
    a11y_add(spec.id, "table", spec.name);
    a11y_push_parent(spec.id);
    a11y_add(spec.id + ".header", "row", "Column headers");
    a11y_push_parent(spec.id + ".header");
    for (int c : shown) a11y_add(spec.id + ".header." + std::to_string(c), "columnheader", columns[static_cast<std::size_t>(c)].title);
    a11y_pop_parent();
    for (std::size_t r = 0; r < rows.size(); ++r) {
        const std::string row_id = spec.id + ".row." + std::to_string(r);
        std::string summary;
        for (int c : shown) {
            const auto& v = rows[r][static_cast<std::size_t>(c)];
            if (v.empty()) continue;
            if (!summary.empty()) summary += ", ";
            summary += columns[static_cast<std::size_t>(c)].kind == DataColumn::status ? text::choice_label(v) : v;
        }
        a11y_add(row_id, "row", summary);
        if (spec.clickable && a11y_take_activation(row_id)) opened = static_cast<int>(r);
        a11y_push_parent(row_id);
        for (int c : shown) {
            const auto& v = rows[r][static_cast<std::size_t>(c)];
            a11y_add(row_id + "." + std::to_string(c), "cell",
                     columns[static_cast<std::size_t>(c)].kind == DataColumn::status ? text::choice_label(v) : v);
        }
        a11y_pop_parent();
    }
    a11y_pop_parent();

    const ImGuiTableFlags flags = ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerH | ImGuiTableFlags_BordersOuterH |
                                  ImGuiTableFlags_ScrollY | ImGuiTableFlags_SizingStretchProp;
    const float row_h = ImGui::GetTextLineHeight() + ImGui::GetStyle().CellPadding.y * 2.0f;
    float height = spec.height;
    if (height <= 0.0f) {
        // Short lists keep to their rows; long ones take the rest of the window and scroll.
        const float wanted = static_cast<float>(rows.size() + 1) * row_h + ImGui::GetStyle().CellPadding.y * 2.0f + 2.0f;
        const float avail = ImGui::GetContentRegionAvail().y;
        height = wanted < avail ? wanted : std::max(avail, 6.0f * row_h);
    }
    if (!ImGui::BeginTable(spec.id.c_str(), static_cast<int>(shown.size()), flags, ImVec2(0.0f, height))) return opened;
    ImGui::TableSetupScrollFreeze(0, 1);
    for (int c : shown) {
        const auto& col = columns[static_cast<std::size_t>(c)];
        ImGui::TableSetupColumn(col.title, ImGuiTableColumnFlags_None, col.kind == DataColumn::money ? 0.8f : 1.0f);
    }
    ImGui::TableHeadersRow();
    ImGuiListClipper clipper;
    clipper.Begin(static_cast<int>(rows.size()), row_h);
    while (clipper.Step()) {
        for (int r = clipper.DisplayStart; r < clipper.DisplayEnd; ++r) {
            const auto& row = rows[static_cast<std::size_t>(r)];
            const std::string row_id = spec.id + ".row." + std::to_string(r);
            ImGui::TableNextRow(ImGuiTableRowFlags_None, row_h);
            ImGui::PushID(r);
            for (std::size_t k = 0; k < shown.size(); ++k) {
                const int c = shown[k];
                const auto& col = columns[static_cast<std::size_t>(c)];
                ImGui::TableNextColumn();
                const std::string& v = row[static_cast<std::size_t>(c)];
                if (k == 0 && spec.clickable) {
                    // The first cell carries the row's click target across all columns.
                    if (ImGui::Selectable(v.empty() ? "-##row" : v.c_str(), false, ImGuiSelectableFlags_SpanAllColumns)) {
                        opened = r;
                    }
                    track_last_item(row_id);
                    continue;
                }
                if (col.kind == DataColumn::money) {
                    const float w = ImGui::CalcTextSize(v.c_str()).x;
                    const float avail = ImGui::GetContentRegionAvail().x;
                    if (avail > w) ImGui::SetCursorPosX(ImGui::GetCursorPosX() + avail - w);
                    ImGui::TextUnformatted(v.c_str());
                } else if (col.kind == DataColumn::status) {
                    const auto colour = status_colour_of(v);
                    ImGui::TextColored(ImVec4(colour.r, colour.g, colour.b, 1.0f), "%s", text::choice_label(v).c_str());
                } else {
                    ImGui::TextUnformatted(v.c_str());
                }
                if (k == 0) track_last_item(row_id);
            }
            ImGui::PopID();
        }
    }
    ImGui::EndTable();
    track_last_item(spec.id);
    return opened;
}

}  // namespace cp::portal
