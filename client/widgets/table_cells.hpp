#pragma once
// Table cells that also exist in the accessibility mirror; money is right-aligned so
// amounts line up by their decimals.
#include <initializer_list>
#include <string>
#include <utility>

namespace cp::portal {

void cell_text(const std::string& id, const std::string& text);
void cell_money(const std::string& id, const std::string& amount, const std::string& currency);

// A right-click menu on the last item offering to copy each of `choices` ({label, text}).
void copy_menu(const char* popup_id, std::initializer_list<std::pair<const char*, std::string>> choices);

}  // namespace cp::portal
