#pragma once
// How an error looks everywhere in the portal: a sentence from the core's message table
// (shared/text/messages.hpp); the stable code and field stay one hover away for support.
#include <imgui.h>

#include <string>

#include "client/widgets/a11y_tree.hpp"
#include "shared/core/error.hpp"
#include "shared/text/messages.hpp"

namespace cp::portal {

inline const ImVec4 kErrorColour{0.78f, 0.16f, 0.14f, 1.0f};
inline const ImVec4 kMutedColour{0.40f, 0.42f, 0.47f, 1.0f};

inline void draw_error(const Error& error) {
    const std::string sentence = text::human_message(error);
    ImGui::PushStyleColor(ImGuiCol_Text, kErrorColour);
    ImGui::TextWrapped("%s", sentence.c_str());
    ImGui::PopStyleColor();
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("Details for support: %s", text::support_reference(error).c_str());
    A11yItem item;
    item.id = "error." + error.code + "." + error.field;
    item.role = "alert";
    item.name = sentence;
    item.value = text::support_reference(error);  // the mirror's tooltip (title), for support
    a11y_add(std::move(item));
}

}  // namespace cp::portal
