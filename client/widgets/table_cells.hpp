#pragma once
// Table cells that also exist in the accessibility mirror; money is right-aligned so
// amounts line up by their decimals.
#include <string>

namespace cp::portal {

void cell_text(const std::string& id, const std::string& text);
void cell_money(const std::string& id, const std::string& amount, const std::string& currency);

}  // namespace cp::portal
