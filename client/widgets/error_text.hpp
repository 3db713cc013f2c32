#pragma once
// How an error looks everywhere in the portal: its stable code, then the message.
#include <imgui.h>

#include "shared/core/error.hpp"

namespace cp::portal {

inline const ImVec4 kErrorColour{0.86f, 0.20f, 0.18f, 1.0f};
inline const ImVec4 kMutedColour{0.45f, 0.47f, 0.52f, 1.0f};

inline void draw_error(const Error& error) {
    ImGui::PushStyleColor(ImGuiCol_Text, kErrorColour);
    ImGui::TextWrapped("%s%s%s: %s", error.code.c_str(), error.field.empty() ? "" : " @ ",
                       error.field.c_str(), error.message.c_str());
    ImGui::PopStyleColor();
}

}  // namespace cp::portal
