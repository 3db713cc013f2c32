#pragma once
// The accessibility mirror: each frame the widgets a person can read or act on are listed
// with a role, a name and a value; the page turns the list into invisible DOM
// (web/portal-bridge.js) that screen readers, find-in-page and getByRole can use. Actions
// taken on that DOM (typing, activating) come back here and are applied by the widgets.
#include <optional>
#include <string>

namespace cp::portal {

struct A11yItem {
    std::string id;    // the widget's stable name (the same as in cp_widget_rects)
    std::string role;  // textbox, button, link, table, row, columnheader, cell, heading, alert, status, text
    std::string name;
    std::string value;
    bool password = false;
    bool disabled = false;
    bool invalid = false;
    bool focused = false;
    bool operator==(const A11yItem&) const = default;
};

void a11y_begin_frame();
void a11y_add(A11yItem item);
void a11y_add(std::string id, std::string role, std::string name);
// Items added until the matching pop are children of `id` (a table's rows, a row's cells).
void a11y_push_parent(const std::string& id);
void a11y_pop_parent();
// The last finished frame's items, in draw order, as JSON.
std::string a11y_json();

// Text typed into the mirror's textbox `id`, once.
std::optional<std::string> a11y_take_text(const std::string& id);
// Whether the mirror's button/row/textbox `id` was activated (click, Enter), once.
bool a11y_take_activation(const std::string& id);

}  // namespace cp::portal
