#include "client/widgets/a11y_tree.hpp"

#include <emscripten.h>
#include <nlohmann/json.hpp>

#include <map>
#include <set>
#include <vector>

#include "client/platform/page_bridge.hpp"

namespace cp::portal {
namespace {

struct Tree {
    std::vector<A11yItem> building, published;
    std::vector<std::string> parents;
    std::vector<std::string> building_parent_of, published_parent_of;
    std::map<std::string, std::string> typed;
    std::set<std::string> activated;
    std::string last_json;
    // What last_json was made from: an unchanged frame is found by comparing items, without
    // composing the JSON (most frames change nothing, and a long table lists many items).
    std::vector<A11yItem> last_items;
    std::vector<std::string> last_parent_of;
};

Tree& tree() {
    static Tree t;  // rebuilt every frame; actions wait here for the widgets
    return t;
}

}  // namespace

void a11y_begin_frame() {
    auto& t = tree();
    t.published = std::move(t.building);
    t.published_parent_of = std::move(t.building_parent_of);
    t.building.clear();
    t.building_parent_of.clear();
    t.parents.clear();
    if (t.published == t.last_items && t.published_parent_of == t.last_parent_of && !t.last_json.empty()) return;
    t.last_items = t.published;
    t.last_parent_of = t.published_parent_of;
    nlohmann::json out = nlohmann::json::array();
    for (std::size_t i = 0; i < t.published.size(); ++i) {
        const auto& item = t.published[i];
        nlohmann::json j = {{"id", item.id}, {"role", item.role}, {"name", item.name}, {"parent", t.published_parent_of[i]}};
        if (!item.value.empty() || item.role == "textbox") j["value"] = item.password ? "" : item.value;
        if (item.password) j["password"] = true;
        if (item.disabled) j["disabled"] = true;
        if (item.invalid) j["invalid"] = true;
        if (item.focused) j["focused"] = true;
        out.push_back(std::move(j));
    }
    auto json = out.dump();
    if (json != t.last_json) {
        t.last_json = json;
        page::sync_mirror(json);
    }
}

void a11y_add(A11yItem item) {
    auto& t = tree();
    t.building_parent_of.push_back(t.parents.empty() ? std::string{} : t.parents.back());
    t.building.push_back(std::move(item));
}

void a11y_add(std::string id, std::string role, std::string name) {
    A11yItem item;
    item.id = std::move(id);
    item.role = std::move(role);
    item.name = std::move(name);
    a11y_add(std::move(item));
}

void a11y_push_parent(const std::string& id) { tree().parents.push_back(id); }
void a11y_pop_parent() {
    if (!tree().parents.empty()) tree().parents.pop_back();
}

std::string a11y_json() { return tree().last_json; }

std::optional<std::string> a11y_take_text(const std::string& id) {
    auto& typed = tree().typed;
    auto it = typed.find(id);
    if (it == typed.end()) return std::nullopt;
    std::string value = std::move(it->second);
    typed.erase(it);
    return value;
}

bool a11y_take_activation(const std::string& id) { return tree().activated.erase(id) > 0; }

}  // namespace cp::portal

extern "C" {

EMSCRIPTEN_KEEPALIVE void cp_a11y_set_text(const char* id, const char* value) {
    if (id && value) cp::portal::tree().typed[id] = value;
}
EMSCRIPTEN_KEEPALIVE void cp_a11y_activate(const char* id) {
    if (id) cp::portal::tree().activated.insert(id);
}
EMSCRIPTEN_KEEPALIVE const char* cp_a11y_tree() { return cp::portal::tree().last_json.c_str(); }

}  // extern "C"
