#pragma once
// A read-only table of text cells for the workspace's lists: named rows and cells in the
// accessibility mirror, money right-aligned, status words coloured, a row click reported.
// Only the visible rows are drawn (ImGuiListClipper); the mirror still lists every row.
#include <string>
#include <vector>

namespace cp::portal {

struct DataColumn {
    const char* title;
    enum Kind { text, money, status } kind = text;
    bool on_phone = true;  // kept on a phone-width screen
};

struct DataTableSpec {
    std::string id;    // e.g. "clients.table"; rows are "<id>.row.<n>"
    std::string name;  // what the mirror calls the table
    bool narrow = false;
    bool clickable = false;  // rows open something
    float height = 0.0f;     // 0: the rest of the window
};

// Returns the index of the row a person opened (click, Enter in the mirror), or -1.
int data_table(const DataTableSpec& spec, const std::vector<DataColumn>& columns,
               const std::vector<std::vector<std::string>>& rows);

// The colour a status word is drawn in (paid green, overdue red, draft grey...).
struct StatusColour {
    float r, g, b;
};
StatusColour status_colour_of(const std::string& status);

}  // namespace cp::portal
