// The Pipeline section's board (issue 14): the pipeline report's figures on top, then
// leads, prospects and proposals in columns by stage. A card moves with its "Move to…"
// control, or from the keyboard: arrows choose a card, Shift+Right moves it to its next
// stage, Enter opens it. The moves offered are the core's state machines'; the server
// makes them. Editors: lead_editor_screen.cpp, proposal_editor_screen.cpp.
#include <imgui.h>

#include <algorithm>
#include <set>
#include <string>
#include <vector>

#include "client/app/crm_actions.hpp"
#include "client/app/routes.hpp"
#include "client/app/staff_actions.hpp"
#include "client/screens/pipeline_screens.hpp"
#include "client/screens/screens.hpp"
#include "client/widgets/a11y_tree.hpp"
#include "client/widgets/controls.hpp"
#include "client/widgets/error_text.hpp"
#include "client/widgets/form_fields.hpp"
#include "client/widgets/widget_rects.hpp"
#include "shared/auth/capabilities.hpp"
#include "shared/text/messages.hpp"

namespace cp::portal {
namespace {

const ImVec4 kGood{0.12f, 0.48f, 0.25f, 1.0f};
const ImVec4 kAccent{0.16f, 0.36f, 0.70f, 1.0f};

std::string str_of(const nlohmann::json& j, const char* key) {
    if (!j.is_object() || !j.contains(key)) return {};
    if (j[key].is_string()) return j[key].get<std::string>();
    if (j[key].is_number_integer()) return std::to_string(j[key].get<long long>());
    return {};
}

const nlohmann::json* stage_entry(const nlohmann::json& report, const char* section, const std::string& stage) {
    if (!report.is_object() || !report.contains(section) || !report[section].is_array()) return nullptr;
    for (const auto& entry : report[section]) {
        if (str_of(entry, "stage") == stage) return &entry;
    }
    return nullptr;
}

// A card on the board, in keyboard order.
struct CardRef {
    std::string kind;
    const nlohmann::json* row;
};

std::string move_label(const CardMove& m) {
    if (m.to == "prospect") return "Prospect (convert)";
    if (m.kind == "proposal" && m.to == "sent") return "Sent (send it)";
    if (m.kind == "proposal" && m.to == "accepted") return "Accepted (for the client)";
    return text::choice_label(m.to);
}

void open_card(AppState& state, const CardRef& card) {
    const std::string id = str_of(*card.row, "id");
    if (card.kind == "prospect") {
        state.staff.crm.board.propose_to = id;
        go_to_route(state, "#/pipeline/new-proposal");
    } else {
        go_to_route(state, "#/pipeline/" + id);
    }
}

bool can(const AppState& state, auth::Capability c) { return auth::role_has(state.session.role, c); }

// A card: its title, then muted detail lines; a "Move to…" control while the state machine
// allows a move, and Open (or New proposal, on a prospect).
void draw_card(AppState& state, const CardRef& card, const std::vector<std::string>& lines) {
    auto& board = state.staff.crm.board;
    const std::string id = str_of(*card.row, "id");
    const std::string wid = "pipeline.card." + id;
    const bool selected = board.selected == id;
    const ImGuiStyle& style = ImGui::GetStyle();
    const float h = ImGui::GetTextLineHeightWithSpacing() * static_cast<float>(lines.size()) + ImGui::GetFrameHeight() +
                    style.WindowPadding.y * 2.0f + 2.0f;
    ImGui::PushStyleColor(ImGuiCol_ChildBg, selected ? ImVec4(0.90f, 0.94f, 1.0f, 1) : ImVec4(1, 1, 1, 1));
    ImGui::PushStyleColor(ImGuiCol_Border, selected ? kAccent : ImVec4(0.85f, 0.87f, 0.91f, 1));
    ImGui::PushStyleVar(ImGuiStyleVar_ChildRounding, 5.0f);
    ImGui::PushStyleVar(ImGuiStyleVar_ChildBorderSize, selected ? 2.0f : 1.0f);
    ImGui::BeginChild(wid.c_str(), ImVec2(ImGui::GetContentRegionAvail().x, h), true, ImGuiWindowFlags_NoScrollbar);
    if (ImGui::IsWindowHovered(ImGuiHoveredFlags_ChildWindows) && ImGui::IsMouseClicked(0)) board.selected = id;
    ImGui::TextUnformatted(lines.front().c_str());
    for (std::size_t i = 1; i < lines.size(); ++i) ImGui::TextColored(kMutedColour, "%s", lines[i].c_str());
    const auto moves = card_moves(card.kind, *card.row);
    const bool may_move = can(state, auth::Capability::clients_write);
    if (moves.empty()) {
        ImGui::AlignTextToFramePadding();
        ImGui::TextDisabled("Final stage");
    } else {
        ImGui::BeginDisabled(!board.moving.empty() || !may_move);
        ImGui::SetNextItemWidth(std::min(ImGui::GetContentRegionAvail().x * 0.55f, 130.0f * ImGui::GetFontSize() / 16.0f));
        const std::string combo = "##" + wid + ".move";
        const char* preview = board.moving == id ? "Moving..." : "Move to...";
        if (ImGui::BeginCombo(combo.c_str(), preview, ImGuiComboFlags_HeightLarge)) {
            for (const auto& m : moves) {
                const bool needs_engagements = m.kind == "proposal" && m.to == "accepted" &&
                                               !can(state, auth::Capability::engagements_write);
                if (ImGui::Selectable(move_label(m).c_str(), false,
                                      needs_engagements ? ImGuiSelectableFlags_Disabled : ImGuiSelectableFlags_None)) {
                    board.selected = id;
                    move_card(state, m);
                }
                track_last_item(wid + ".move." + m.to);
            }
            ImGui::EndCombo();
        }
        track_last_item(wid + ".move");
        focusable_item(wid + ".move");
        a11y_add({wid + ".move", "combobox", "Move " + lines.front() + " to", preview, false, !may_move, false, false});
        ImGui::EndDisabled();
    }
    const bool proposes = card.kind == "prospect";
    if (!proposes || (may_move && !moves.empty())) {  // won and lost prospects take no new proposals
        ImGui::SameLine();
        const std::string label = std::string(proposes ? "Propose" : "Open") + "##" + wid;
        if (button((wid + ".open").c_str(), label.c_str(), true)) open_card(state, card);
    }
    ImGui::EndChild();
    ImGui::PopStyleVar(2);
    ImGui::PopStyleColor(2);
    track_last_item(wid);
    std::string name;
    for (const auto& l : lines) name += (name.empty() ? "" : ", ") + l;
    a11y_add({wid, "text", name, selected ? "selected" : "", false, false, false, selected});
}

// One band (leads, prospects or proposals): a column per stage with the report's count
// and value on top, the cards under it. Phone width: the columns one under another.
template <std::size_t N>
void draw_band(AppState& state, const char* section, const char* kind, const char* const (&stages)[N],
               const std::vector<const nlohmann::json*>& rows, const char* status_key,
               std::vector<std::vector<CardRef>>& columns, int converted) {
    const auto& report = state.staff.crm.board.report;
    const bool table = !state.narrow;
    const std::string table_id = std::string("pipeline.") + section;
    if (table && !ImGui::BeginTable(table_id.c_str(), static_cast<int>(N),
                                    ImGuiTableFlags_BordersInnerV | ImGuiTableFlags_SizingStretchSame)) {
        return;
    }
    for (std::size_t c = 0; c < N; ++c) {
        if (table) {
            ImGui::TableNextColumn();
        } else {
            ImGui::Spacing();
        }
        const std::string stage = stages[c];
        const auto* entry = stage_entry(report, section, stage);
        const std::string count = entry ? std::to_string(entry->value("count", 0LL)) : "0";
        const std::string value = entry && entry->contains("value") ? pipeline_value_text((*entry)["value"]) : "";
        const std::string head_id = table_id + "." + stage;
        ImGui::TextUnformatted(text::choice_label(stage).c_str());
        track_last_item(head_id);
        ImGui::SameLine();
        ImGui::TextColored(kMutedColour, "%s%s", count.c_str(), value.empty() ? "" : ("  ·  " + value).c_str());
        mirror_text(head_id.c_str(), "columnheader", text::choice_label(stage) + ": " + count + (value.empty() ? "" : ", " + value));
        std::vector<CardRef> column;
        for (const auto* row : rows) {
            if (str_of(*row, status_key) != stage) continue;
            column.push_back({kind, row});
            ImGui::PushID(row);
            const std::string cur = " " + str_of(*row, "currency");
            std::vector<std::string> lines;
            if (std::string(kind) == "proposal") {
                lines = {str_of(*row, "title") + " v" + str_of(*row, "version"),
                         prospect_company(state, str_of(*row, "prospect_id")), str_of(*row, "total") + cur};
            } else {
                const std::string v = str_of(*row, "estimated_value");
                lines = {str_of(*row, "company"), v.empty() ? "no estimate" : v + cur};
                if (std::string(kind) == "prospect") lines.push_back("close by " + str_of(*row, "expected_close_date"));
            }
            draw_card(state, column.back(), lines);
            ImGui::PopID();
        }
        if (std::string(kind) == "lead" && stage == "qualified" && converted > 0) {
            ImGui::TextColored(kMutedColour, "%d converted: see Prospects", converted);
        }
        if (!column.empty()) columns.push_back(std::move(column));
    }
    if (table) ImGui::EndTable();
}

// Arrows move the cursor between cards, Shift+Right moves the card on, Enter opens it.
void handle_board_keys(AppState& state, const std::vector<std::vector<CardRef>>& columns) {
    if (columns.empty() || ImGui::GetIO().WantTextInput || ImGui::IsPopupOpen("", ImGuiPopupFlags_AnyPopupId)) return;
    auto& board = state.staff.crm.board;
    int col = -1, row = -1;
    for (std::size_t c = 0; c < columns.size(); ++c) {
        for (std::size_t r = 0; r < columns[c].size(); ++r) {
            if (str_of(*columns[c][r].row, "id") == board.selected) {
                col = static_cast<int>(c);
                row = static_cast<int>(r);
            }
        }
    }
    const bool shift = ImGui::GetIO().KeyShift;
    const bool right = ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_RightArrow));
    const bool left = ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_LeftArrow));
    const bool down = ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_DownArrow));
    const bool up = ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_UpArrow));
    const bool enter = ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_Enter), false);
    if (col < 0) {
        if (right || left || down || up) board.selected = str_of(*columns[0][0].row, "id");
        return;
    }
    const auto& card = columns[static_cast<std::size_t>(col)][static_cast<std::size_t>(row)];
    if (shift) {  // Shift+Right moves the card once, never again by key repeat
        if (!ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_RightArrow), false)) return;
        const auto moves = card_moves(card.kind, *card.row);
        if (!moves.empty() && auth::role_has(state.session.role, auth::Capability::clients_write)) move_card(state, moves.front());
        return;
    }
    if (enter) {
        open_card(state, card);
        return;
    }
    const int cols = static_cast<int>(columns.size());
    if (right || left) col = std::clamp(col + (right ? 1 : -1), 0, cols - 1);
    const int rows = static_cast<int>(columns[static_cast<std::size_t>(col)].size());
    if (down || up) row += down ? 1 : -1;
    row = std::clamp(row, 0, rows - 1);
    board.selected = str_of(*columns[static_cast<std::size_t>(col)][static_cast<std::size_t>(row)].row, "id");
}

void draw_board(AppState& state) {
    auto& board = state.staff.crm.board;
    ImGui::TextUnformatted("Pipeline");
    track_last_item("pipeline.heading");
    mirror_text("pipeline.heading", "heading", "Pipeline");
    ImGui::SameLine();
    if (button("pipeline.refresh", "Refresh", true)) load_pipeline(state);
    if (can(state, auth::Capability::clients_write)) {
        ImGui::SameLine();
        if (button("pipeline.new_lead", "New lead", true)) go_to_route(state, "#/pipeline/new-lead");
    }
    if (board.report_loading || state.staff.lists["leads"].loading) {
        ImGui::SameLine();
        ImGui::TextDisabled("loading...");
    }
    if (board.report_error) draw_error(*board.report_error);
    for (const char* name : {"leads", "prospects", "proposals"}) {
        if (state.staff.lists[name].error) draw_error(*state.staff.lists[name].error);
    }
    if (!board.notice.empty()) {
        ImGui::TextColored(kGood, "%s", board.notice.c_str());
        mirror_text("pipeline.notice", "status", board.notice);
    }
    board.shown_errors.clear();
    const std::vector<Error> none;
    other_errors(none, board.move_errors, {"expected_close_date"}, board.shown_errors);
    draw_pipeline_figures(state);
    const bool writer = can(state, auth::Capability::clients_write);
    if (!state.narrow && writer) {
        ImGui::TextColored(kMutedColour, "Arrows choose a card, Shift+Right moves it to its next stage, Enter opens it.");
    }

    std::set<std::string> converted;
    std::vector<const nlohmann::json*> prospects, leads, proposals;
    for (const auto& p : state.staff.lists["prospects"].rows) {
        converted.insert(str_of(p, "lead_id"));
        prospects.push_back(&p);
    }
    int converted_qualified = 0;
    for (const auto& l : state.staff.lists["leads"].rows) {
        if (converted.count(str_of(l, "id"))) {
            ++converted_qualified;
        } else {
            leads.push_back(&l);
        }
    }
    for (const auto& p : state.staff.lists["proposals"].rows) proposals.push_back(&p);

    std::vector<std::vector<CardRef>> columns;
    ImGui::Spacing();
    ImGui::AlignTextToFramePadding();
    ImGui::TextUnformatted("Leads");
    track_last_item("pipeline.leads.title");
    mirror_text("pipeline.leads.title", "heading", "Leads");
    if (writer) {  // the close date given to converted leads
        ImGui::SameLine(0, 24.0f);
        ImGui::AlignTextToFramePadding();
        ImGui::TextColored(kMutedColour, "Converted leads close by");
        ImGui::SameLine();
        TextFieldSpec close_by{"pipeline.close_by", "Converted leads close by", 10};
        close_by.width = 110.0f * ImGui::GetFontSize() / 16.0f;
        close_by.invalid = has_error(none, board.move_errors, "expected_close_date");
        if (text_field(close_by, board.close_by.data(), board.close_by.size()).changed) board.move_errors.clear();
    }
    field_errors(none, board.move_errors, "expected_close_date", board.shown_errors);
    draw_band(state, "leads", "lead", kLeadStages, leads, "status", columns, converted_qualified);
    ImGui::Spacing();
    ImGui::TextUnformatted("Prospects");
    mirror_text("pipeline.prospects.title", "heading", "Prospects");
    draw_band(state, "prospects", "prospect", kProspectStages, prospects, "stage", columns, 0);
    ImGui::Spacing();
    ImGui::TextUnformatted("Proposals");
    mirror_text("pipeline.proposals.title", "heading", "Proposals");
    draw_band(state, "proposals", "proposal", kProposalStages, proposals, "status", columns, 0);
    handle_board_keys(state, columns);
}

}  // namespace

void draw_pipeline_screen(AppState& state) {
    switch (pipeline_page(state.staff.sub)) {
        case PipelinePage::board: draw_board(state); break;
        case PipelinePage::lead: draw_lead_editor_screen(state); break;
        case PipelinePage::proposal: draw_proposal_editor_screen(state); break;
        case PipelinePage::unknown:
            ImGui::TextDisabled("Nothing in the pipeline has this address.");
            if (button("pipeline.back", "Back to the board")) go_to_route(state, "#/pipeline");
            break;
    }
}

}  // namespace cp::portal
