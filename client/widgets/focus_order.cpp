#include "client/widgets/focus_order.hpp"

#include <algorithm>
#include <vector>

namespace cp::portal {
namespace {

struct FocusOrder {
    std::vector<std::string> building, published;
    std::string focused_building, focused;
    std::string request;
};

FocusOrder& order() {
    static FocusOrder f;
    return f;
}

}  // namespace

void focus_begin_frame() {
    auto& f = order();
    f.published = std::move(f.building);
    f.building.clear();
    f.focused = std::move(f.focused_building);
    f.focused_building.clear();
}

void focus_register(const std::string& id, bool focused_now) {
    order().building.push_back(id);
    if (focused_now) order().focused_building = id;
}

void focus_step(bool backwards) {
    auto& f = order();
    if (f.published.empty()) return;
    auto it = std::find(f.published.begin(), f.published.end(), f.focused);
    std::size_t i;
    if (it == f.published.end()) {
        i = backwards ? f.published.size() - 1 : 0;
    } else {
        const auto at = static_cast<std::size_t>(it - f.published.begin());
        i = backwards ? (at + f.published.size() - 1) % f.published.size() : (at + 1) % f.published.size();
    }
    f.request = f.published[i];
}

void focus_request(const std::string& id) { order().request = id; }

bool focus_take_request(const std::string& id) {
    auto& f = order();
    if (f.request != id) return false;
    f.request.clear();
    return true;
}

const std::string& focused_control() { return order().focused; }

}  // namespace cp::portal
