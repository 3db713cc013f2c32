// The pipeline report's figures above the board: leads and prospects still open, proposals
// out with the client, the win rate and the average days to close — the server's report
// (GET /api/v1/reports/pipeline), summed across stages with the core's decimals.
#include <imgui.h>

#include <algorithm>
#include <map>
#include <string>

#include "client/app/staff_actions.hpp"
#include "client/screens/pipeline_screens.hpp"
#include "client/widgets/controls.hpp"
#include "client/widgets/error_text.hpp"
#include "client/widgets/widget_rects.hpp"
#include "shared/money/currency.hpp"
#include "shared/money/decimal.hpp"

namespace cp::portal {
namespace {

const ImVec4 kAccent{0.16f, 0.36f, 0.70f, 1.0f};

std::string str_of(const nlohmann::json& j, const char* key) {
    return j.is_object() && j.contains(key) && j[key].is_string() ? j[key].get<std::string>() : std::string{};
}

}  // namespace

std::string pipeline_value_text(const nlohmann::json& value) {
    std::string out;
    if (!value.is_object()) return out;
    for (const auto& [currency, amount] : value.items()) {
        if (!out.empty()) out += ", ";
        out += (amount.is_string() ? amount.get<std::string>() : amount.dump()) + " " + currency;
    }
    return out;
}

namespace {

// The report's stage entries of one section whose stage is in `stages`, summed per currency.
struct Tally {
    long long count = 0;
    std::string value;
};
Tally tally(const nlohmann::json& report, const char* section, std::initializer_list<const char*> stages) {
    Tally t;
    if (!report.is_object() || !report.contains(section) || !report[section].is_array()) return t;
    std::map<std::string, long long> minor;
    for (const auto& entry : report[section]) {
        const std::string stage = str_of(entry, "stage");
        if (std::none_of(stages.begin(), stages.end(), [&](const char* s) { return stage == s; })) continue;
        t.count += entry.value("count", 0LL);
        if (!entry.contains("value") || !entry["value"].is_object()) continue;
        for (const auto& [currency, amount] : entry["value"].items()) {
            minor[currency] += money_minor(amount.is_string() ? amount.get<std::string>() : "0", currency);
        }
    }
    nlohmann::json summed = nlohmann::json::object();
    for (const auto& [currency, units] : minor) {
        const auto* cur = money::find_currency(currency);
        summed[currency] = money::format_fixed(units, cur ? cur->minor_digits : 2);
    }
    t.value = pipeline_value_text(summed);
    return t;
}

// A figure: a muted label over a larger value, in a bordered box.
void figure(const std::string& id, const char* label, const std::string& value, const std::string& note, float width) {
    const ImGuiStyle& style = ImGui::GetStyle();
    const float h = ImGui::GetTextLineHeight() * 3.3f + style.ItemSpacing.y * 2.0f + style.WindowPadding.y * 2.0f;
    ImGui::PushStyleColor(ImGuiCol_ChildBg, ImVec4(1, 1, 1, 1));
    ImGui::PushStyleColor(ImGuiCol_Border, ImVec4(0.85f, 0.87f, 0.91f, 1));
    ImGui::PushStyleVar(ImGuiStyleVar_ChildRounding, 6.0f);
    ImGui::BeginChild(id.c_str(), ImVec2(width, h), true, ImGuiWindowFlags_NoScrollbar);
    ImGui::TextColored(kMutedColour, "%s", label);
    ImGui::SetWindowFontScale(1.35f);
    ImGui::TextColored(kAccent, "%s", value.c_str());
    ImGui::SetWindowFontScale(1.0f);
    if (!note.empty()) ImGui::TextColored(kMutedColour, "%s", note.c_str());
    ImGui::EndChild();
    ImGui::PopStyleVar();
    ImGui::PopStyleColor(2);
    track_last_item(id);
    mirror_text(id.c_str(), "status", std::string(label) + ": " + value + (note.empty() ? "" : " (" + note + ")"));
}

}  // namespace

void draw_pipeline_figures(AppState& state) {
    const auto& report = state.staff.crm.board.report;
    if (!report.is_object()) return;
    const int per_row = state.narrow ? 2 : 5;
    const float spacing = ImGui::GetStyle().ItemSpacing.x;
    const float w = (ImGui::GetContentRegionAvail().x - spacing * static_cast<float>(per_row - 1)) / static_cast<float>(per_row);
    const Tally leads = tally(report, "leads", {"new", "contacted", "qualified"});
    const Tally prospects = tally(report, "prospects", {"discovery", "proposal", "negotiation"});
    const Tally sent = tally(report, "proposals", {"sent"});
    const auto& win = report.contains("win_rate") ? report["win_rate"] : nlohmann::json::object();
    const auto& days = report.contains("days_to_close") ? report["days_to_close"] : nlohmann::json::object();
    const std::string rate = win.contains("percent") && win["percent"].is_string() ? win["percent"].get<std::string>() + " %" : "-";
    const std::string average = days.contains("average") && days["average"].is_string() ? days["average"].get<std::string>() : "-";
    const long long decided = win.value("accepted", 0LL) + win.value("declined", 0LL) + win.value("expired", 0LL);
    struct Fig {
        const char* id;
        const char* label;
        std::string value, note;
    };
    const Fig figs[] = {
        {"pipeline.figure.leads", "Leads, new to qualified", std::to_string(leads.count), leads.value},
        {"pipeline.figure.prospects", "Open prospects", std::to_string(prospects.count), prospects.value},
        {"pipeline.figure.sent", "Proposals out", std::to_string(sent.count), sent.value},
        {"pipeline.figure.win_rate", "Win rate", rate,
         std::to_string(win.value("accepted", 0LL)) + " won of " + std::to_string(decided) + " decided"},
        {"pipeline.figure.days", "Average days to close", average,
         std::to_string(days.value("accepted", 0LL)) + " accepted"},
    };
    for (int i = 0; i < 5; ++i) {
        if (i % per_row != 0) ImGui::SameLine();
        figure(figs[i].id, figs[i].label, figs[i].value, figs[i].note, w);
    }
    ImGui::TextColored(kMutedColour, "As of %s (%s).", str_of(report, "as_of").c_str(), str_of(report, "time_zone").c_str());
}

}  // namespace cp::portal
