#pragma once
// The portal's controls: ImGui widgets that also name themselves for tests (widget rects),
// for the accessibility mirror and for Tab order, and that enforce their limits out loud.
#include <imgui.h>

#include <cstddef>
#include <string>

namespace cp::portal {

struct TextFieldSpec {
    const char* id;     // stable name, e.g. "login.email"
    const char* label;  // what a person (and a screen reader) calls it
    int max_chars;      // code points; longer input is refused with a message, never cut silently
    bool password = false;
    bool invalid = false;
    float width = -1.0f;
    const char* placeholder = nullptr;  // greyed in the empty field, e.g. "YYYY-MM-DD"
};

struct TextFieldResult {
    bool changed = false;
    bool submitted = false;  // Enter, in the field or from the mirror
    // An edit is finished: Enter, leaving the field after changing it, or a whole new value
    // set through the mirror (as a screen reader or autofill does).
    bool committed = false;
};

// `buffer` must hold max_chars * 4 + 1 bytes (any UTF-8). The label is drawn by the caller
// when it should sit above the field; the mirror always gets it.
TextFieldResult text_field(const TextFieldSpec& spec, char* buffer, std::size_t buffer_size);

// A button (small: the inline style). True when clicked, activated by keyboard or mirror.
bool button(const char* id, const char* label, bool small = false, ImVec2 size = ImVec2(0, 0));

// A navigation link (sidebar entry, breadcrumb): role "link" in the mirror, in the Tab
// order. `selected` marks the current place. True when followed.
bool link(const std::string& id, const std::string& label, bool selected = false, float width = 0.0f);

// Puts the last drawn item (a combo, a selectable) in the Tab order under `id`.
void focusable_item(const std::string& id);

// A piece of text the mirror should carry (heading, status, alert, cell...).
void mirror_text(const char* id, const char* role, const std::string& text);

// Code points in a UTF-8 string.
int utf8_length(const char* s);

}  // namespace cp::portal
