#include "client/widgets/table_cells.hpp"

#include <imgui.h>

#include "client/platform/page_bridge.hpp"
#include "client/widgets/a11y_tree.hpp"
#include "client/widgets/widget_rects.hpp"

namespace cp::portal {

void cell_text(const std::string& id, const std::string& text) {
    ImGui::TextUnformatted(text.c_str());
    a11y_add(id, "cell", text);
}

void cell_money(const std::string& id, const std::string& amount, const std::string& currency) {
    const std::string text = amount.empty() ? "-" : amount + " " + currency;
    const float width = ImGui::CalcTextSize(text.c_str()).x;
    const float avail = ImGui::GetContentRegionAvail().x;
    if (avail > width) ImGui::SetCursorPosX(ImGui::GetCursorPosX() + avail - width);
    ImGui::TextUnformatted(text.c_str());
    a11y_add(id, "cell", text);
}

void copy_menu(const char* popup_id, std::initializer_list<std::pair<const char*, std::string>> choices) {
    if (!ImGui::BeginPopupContextItem(popup_id)) return;
    for (const auto& [label, text] : choices) {
        if (text.empty()) continue;
        if (ImGui::MenuItem(label)) page::copy_text(text);
        track_last_item(std::string("menu.") + label);
    }
    ImGui::EndPopup();
}

}  // namespace cp::portal
