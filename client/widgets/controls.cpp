#include "client/widgets/controls.hpp"

#include <imgui_internal.h>

#include <cstring>
#include <map>

#include "client/widgets/a11y_tree.hpp"
#include "client/widgets/error_text.hpp"
#include "client/widgets/focus_order.hpp"
#include "client/widgets/widget_rects.hpp"

namespace cp::portal {
namespace {

struct LimitCallback {
    int max_chars = 0;
    bool refused = false;
};

// Drops whatever an edit took past the limit (just before the cursor, where it was typed or
// pasted) and remembers that it happened so the field can say so.
int enforce_limit(ImGuiInputTextCallbackData* data) {
    auto* limit = static_cast<LimitCallback*>(data->UserData);
    int excess = utf8_length(data->Buf) - limit->max_chars;
    if (excess <= 0) return 0;
    limit->refused = true;
    int end = data->CursorPos;
    int start = end;
    while (excess > 0 && start > 0) {
        --start;
        while (start > 0 && (static_cast<unsigned char>(data->Buf[start]) & 0xC0) == 0x80) --start;
        --excess;
    }
    data->DeleteChars(start, end - start);
    return 0;
}

std::map<std::string, int>& refused_at_frame() {
    static std::map<std::string, int> frames;  // field -> frame of the last refused edit
    return frames;
}

}  // namespace

int utf8_length(const char* s) {
    int n = 0;
    for (; *s; ++s) {
        if ((static_cast<unsigned char>(*s) & 0xC0) != 0x80) ++n;
    }
    return n;
}

// Short fields (dates, amounts, rates) are full at their usual length: a counter there would
// appear at the last character and vanish on leaving, moving the next field under the pointer.
constexpr int kCounterFromChars = 20;

TextFieldResult text_field(const TextFieldSpec& spec, char* buffer, std::size_t buffer_size) {
    TextFieldResult result;
    const std::string id = spec.id;
    const std::string imgui_id = std::string("##") + spec.id;
    if (auto typed = a11y_take_text(id)) {
        // An active field keeps its own copy of the text; it lets go so the mirror's wins.
        if (ImGui::GetActiveID() == ImGui::GetID(imgui_id.c_str())) ImGui::ClearActiveID();
        std::strncpy(buffer, typed->c_str(), buffer_size - 1);
        buffer[buffer_size - 1] = '\0';
        if (utf8_length(typed->c_str()) > spec.max_chars || typed->size() >= buffer_size) {
            refused_at_frame()[id] = ImGui::GetFrameCount();
        }
        result.changed = true;
        result.committed = true;
    }
    if (focus_take_request(id)) ImGui::SetKeyboardFocusHere();
    ImGui::SetNextItemWidth(spec.width);
    ImGuiInputTextFlags flags = ImGuiInputTextFlags_CallbackEdit | ImGuiInputTextFlags_EnterReturnsTrue;
    if (spec.password) flags |= ImGuiInputTextFlags_Password;
    LimitCallback limit{spec.max_chars, false};
    // EnterReturnsTrue in 1.86 still writes edits through; it only reports Enter.
    if (ImGui::InputTextWithHint(imgui_id.c_str(), spec.placeholder ? spec.placeholder : "", buffer, buffer_size, flags,
                                 enforce_limit, &limit)) {
        result.submitted = true;
    }
    if (ImGui::IsItemEdited()) result.changed = true;
    if (ImGui::IsItemDeactivatedAfterEdit()) result.committed = true;
    if (limit.refused) refused_at_frame()[id] = ImGui::GetFrameCount();
    const bool active = ImGui::IsItemActive();
    track_last_item(id);
    focus_register(id, active);
    if (a11y_take_activation(id)) result.submitted = true;
    if (result.submitted) result.committed = true;
    a11y_add({id, "textbox", spec.label, buffer, spec.password, false, spec.invalid, active});

    // The limit is shown as it comes near and said plainly once it refused something.
    const int length = utf8_length(buffer);
    auto refused = refused_at_frame().find(id);
    const bool recently_refused = refused != refused_at_frame().end() && length >= spec.max_chars;
    if (recently_refused) {
        ImGui::PushStyleColor(ImGuiCol_Text, kErrorColour);
        ImGui::TextWrapped("%s: at most %d characters. The rest was not added.", spec.label, spec.max_chars);
        ImGui::PopStyleColor();
        track_last_item(id + ".limit");
        a11y_add(id + ".limit", "alert", std::string(spec.label) + ": at most " + std::to_string(spec.max_chars) +
                                                 " characters. The rest was not added.");
    } else if (active && spec.max_chars >= kCounterFromChars && length * 10 >= spec.max_chars * 8) {
        ImGui::TextColored(kMutedColour, "%d / %d characters", length, spec.max_chars);
    }
    return result;
}

void focusable_item(const std::string& id) {
    if ((ImGui::GetItemFlags() & ImGuiItemFlags_Disabled) != 0) return;
    focus_register(id, ImGui::IsItemFocused());
    if (!focus_take_request(id)) return;
    ImGui::ClearActiveID();  // a field left by Tab stops taking keys
    ImGui::SetFocusID(ImGui::GetItemID(), ImGui::GetCurrentWindow());
    ImGuiContext& g = *ImGui::GetCurrentContext();
    g.NavDisableHighlight = false;
    g.NavDisableMouseHover = true;
    ImGui::SetScrollHereY(0.5f);
}

bool button(const char* id, const char* label, bool small, ImVec2 size) {
    const bool clicked = small ? ImGui::SmallButton(label) : ImGui::Button(label, size);
    const bool disabled = (ImGui::GetItemFlags() & ImGuiItemFlags_Disabled) != 0;
    track_last_item(id);
    const bool focused = ImGui::IsItemFocused();
    focusable_item(id);
    std::string name = label;
    if (auto hidden = name.find("##"); hidden != std::string::npos) name.resize(hidden);
    a11y_add({id, "button", name, "", false, disabled, false, focused});
    const bool from_mirror = a11y_take_activation(id) && !disabled;
    return clicked || from_mirror;
}

bool link(const std::string& id, const std::string& label, bool selected, float width) {
    const std::string imgui_label = label + "##" + id;
    const ImVec2 size(width, 0.0f);
    const bool clicked = ImGui::Selectable(imgui_label.c_str(), selected, ImGuiSelectableFlags_None, size);
    track_last_item(id);
    const bool focused = ImGui::IsItemFocused();
    focusable_item(id);
    A11yItem item{id, "link", label, selected ? "current" : "", false, false, false, focused};
    a11y_add(std::move(item));
    return clicked || a11y_take_activation(id);
}

void mirror_text(const char* id, const char* role, const std::string& text) { a11y_add(id, role, text); }

}  // namespace cp::portal
