#include "client/widgets/table_cells.hpp"

#include <imgui.h>

#include "client/widgets/a11y_tree.hpp"

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

}  // namespace cp::portal
