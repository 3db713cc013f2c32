#include "client/widgets/form_fields.hpp"

#include <imgui.h>

#include <algorithm>

#include "client/widgets/a11y_tree.hpp"
#include "client/widgets/error_text.hpp"
#include "client/widgets/widget_rects.hpp"
#include "shared/text/messages.hpp"

namespace cp::portal {

bool labelled_field(const char* id, const char* label, char* buffer, std::size_t size, int max_chars, bool invalid,
                    const char* hint) {
    ImGui::TextUnformatted(label);
    if (hint) {
        ImGui::SameLine();
        ImGui::TextColored(kMutedColour, "%s", hint);
    }
    if (invalid) ImGui::PushStyleColor(ImGuiCol_Border, kErrorColour);
    if (invalid) ImGui::PushStyleVar(ImGuiStyleVar_FrameBorderSize, 1.0f);
    TextFieldSpec spec{id, label, max_chars};
    spec.invalid = invalid;
    spec.width = std::min(ImGui::GetContentRegionAvail().x, 420.0f * ImGui::GetFontSize() / 16.0f);
    const auto r = text_field(spec, buffer, size);
    if (invalid) {
        ImGui::PopStyleVar();
        ImGui::PopStyleColor();
    }
    return r.changed;
}

bool choice(const char* id, const char* label, int& index, const char* const* values, int count, float width) {
    ImGui::TextUnformatted(label);
    const std::string current = index >= 0 && index < count ? text::choice_label(values[index]) : std::string("Choose...");
    ImGui::SetNextItemWidth(width > 0 ? width : std::min(ImGui::GetContentRegionAvail().x, 260.0f * ImGui::GetFontSize() / 16.0f));
    bool changed = false;
    const std::string imgui_id = std::string("##") + id;
    if (ImGui::BeginCombo(imgui_id.c_str(), current.c_str())) {
        for (int k = 0; k < count; ++k) {
            if (ImGui::Selectable(text::choice_label(values[k]).c_str(), k == index)) {
                changed = index != k;
                index = k;
            }
            track_last_item(std::string(id) + "." + values[k]);
        }
        ImGui::EndCombo();
    }
    track_last_item(id);
    focusable_item(id);
    A11yItem item;
    item.id = id;
    item.role = "combobox";
    item.name = label;
    item.value = current;
    a11y_add(std::move(item));
    return changed;
}

bool checkbox(const char* id, const char* label, bool& value) {
    const std::string imgui_label = std::string(label) + "##" + id;
    bool changed = ImGui::Checkbox(imgui_label.c_str(), &value);
    track_last_item(id);
    focusable_item(id);
    if (a11y_take_activation(id)) {
        value = !value;
        changed = true;
    }
    A11yItem item;
    item.id = id;
    item.role = "checkbox";
    item.name = label;
    item.value = value ? "checked" : "not checked";
    a11y_add(std::move(item));
    return changed;
}

namespace {
// Under its field the sentence leaves the field's name out (the label is right above);
// the mirror and the support reference keep it.
void draw_one(const Error& e, bool with_field, std::vector<std::string>& shown) {
    const std::string sentence = text::human_message({e.code, with_field ? e.field : "", e.message});
    ImGui::PushStyleColor(ImGuiCol_Text, kErrorColour);
    ImGui::TextWrapped("%s", sentence.c_str());
    ImGui::PopStyleColor();
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("Details for support: %s", text::support_reference(e).c_str());
    track_last_item("error." + e.code + "." + e.field);
    A11yItem item;
    item.id = "error." + e.code + "." + e.field;
    item.role = "alert";
    item.name = sentence;
    item.value = text::support_reference(e);
    a11y_add(std::move(item));
    shown.push_back(e.code + "@" + e.field);
}
}  // namespace

void field_errors(const std::vector<Error>& a, const std::vector<Error>& b, const std::string& field,
                  std::vector<std::string>& shown) {
    for (const auto* list : {&a, &b}) {
        for (const auto& e : *list) {
            if (e.field == field) draw_one(e, false, shown);
        }
    }
}

void other_errors(const std::vector<Error>& a, const std::vector<Error>& b, const std::vector<std::string>& drawn,
                  std::vector<std::string>& shown) {
    for (const auto* list : {&a, &b}) {
        for (const auto& e : *list) {
            if (std::find(drawn.begin(), drawn.end(), e.field) == drawn.end()) draw_one(e, true, shown);
        }
    }
}

bool has_error(const std::vector<Error>& a, const std::vector<Error>& b, const std::string& field) {
    for (const auto* list : {&a, &b}) {
        for (const auto& e : *list) {
            if (e.field == field) return true;
        }
    }
    return false;
}

}  // namespace cp::portal
