// The firm's dashboard: what is owed, overdue and collected this month, AR aging and
// revenue by month as bar charts drawn with ImGui, open disputes with their evidence due
// dates and autopay failures awaiting a retry. Every figure is the server's report, the
// differences taken with the core's decimals.
#include <imgui.h>

#include <algorithm>
#include <cstdlib>
#include <string>
#include <vector>

#include "client/app/dashboard_figures.hpp"
#include "client/app/routes.hpp"
#include "client/app/staff_actions.hpp"
#include "client/screens/screens.hpp"
#include "client/widgets/a11y_tree.hpp"
#include "client/widgets/controls.hpp"
#include "client/widgets/data_table.hpp"
#include "client/widgets/error_text.hpp"
#include "client/widgets/widget_rects.hpp"

namespace cp::portal {
namespace {

const ImVec4 kAccent{0.16f, 0.36f, 0.70f, 1.0f};
const ImVec4 kAccentLight{0.55f, 0.70f, 0.90f, 1.0f};
const ImVec4 kWarn{0.80f, 0.42f, 0.10f, 1.0f};

std::string str_of(const nlohmann::json& j, const char* key) {
    return j.is_object() && j.contains(key) && j[key].is_string() ? j[key].get<std::string>() : std::string{};
}

// A figure card: a muted label over a large number.
void card(const std::string& id, const char* label, const std::string& value, const std::string& note, float width,
          ImVec4 colour) {
    // Label, the figure at 1.55 times the size, the note, and the padding around them.
    const ImGuiStyle& style = ImGui::GetStyle();
    const float h = ImGui::GetTextLineHeight() * 3.55f + style.ItemSpacing.y * 2.0f + style.WindowPadding.y * 2.0f + 2.0f;
    ImGui::PushStyleColor(ImGuiCol_ChildBg, ImVec4(1, 1, 1, 1));
    ImGui::PushStyleColor(ImGuiCol_Border, ImVec4(0.85f, 0.87f, 0.91f, 1));
    ImGui::PushStyleVar(ImGuiStyleVar_ChildRounding, 6.0f);
    ImGui::BeginChild(id.c_str(), ImVec2(width, h), true, ImGuiWindowFlags_NoScrollbar);
    ImGui::TextColored(kMutedColour, "%s", label);
    ImGui::SetWindowFontScale(1.55f);
    ImGui::TextColored(colour, "%s", value.c_str());
    ImGui::SetWindowFontScale(1.0f);
    if (!note.empty()) ImGui::TextColored(kMutedColour, "%s", note.c_str());
    ImGui::EndChild();
    ImGui::PopStyleVar();
    ImGui::PopStyleColor(2);
    track_last_item(id);
    mirror_text(id.c_str(), "status", std::string(label) + ": " + value + (note.empty() ? "" : " (" + note + ")"));
}

// Lays out `n` cards in rows that fit: four across on a wide screen, two on a phone.
float card_width(int per_row) {
    const float spacing = ImGui::GetStyle().ItemSpacing.x;
    return (ImGui::GetContentRegionAvail().x - spacing * static_cast<float>(per_row - 1)) / static_cast<float>(per_row);
}

struct Bar {
    std::string label, value_text;
    long long value = 0;  // minor units: only its ratio to the largest sets a height
    ImVec4 colour;
};

// Vertical bars in groups (one group per label), amounts on hover and in the mirror.
void bar_chart(const std::string& id, const std::vector<std::string>& labels, const std::vector<std::vector<Bar>>& groups,
               float height, bool values_on_top) {
    ImDrawList* draw = ImGui::GetWindowDrawList();
    const ImVec2 origin = ImGui::GetCursorScreenPos();
    const float width = std::max(ImGui::GetContentRegionAvail().x, 10.0f);
    const float label_h = ImGui::GetTextLineHeightWithSpacing();
    const float top_pad = values_on_top ? label_h : 4.0f;
    ImGui::InvisibleButton(id.c_str(), ImVec2(width, height));
    track_last_item(id);
    long long max = 1;
    for (const auto& g : groups) {
        for (const auto& b : g) max = std::max(max, b.value);
    }
    const float plot_h = height - label_h - top_pad;
    const float base_y = origin.y + top_pad + plot_h;
    draw->AddLine(ImVec2(origin.x, base_y), ImVec2(origin.x + width, base_y), ImGui::GetColorU32(ImVec4(0.7f, 0.72f, 0.76f, 1)));
    const float slot = width / static_cast<float>(std::max<std::size_t>(groups.size(), 1));
    const ImVec2 mouse = ImGui::GetIO().MousePos;
    const bool hovered = ImGui::IsItemHovered();
    for (std::size_t gi = 0; gi < groups.size(); ++gi) {
        const auto& g = groups[gi];
        const float gx = origin.x + slot * static_cast<float>(gi);
        const float inner = slot * 0.7f;
        const float bw = inner / static_cast<float>(std::max<std::size_t>(g.size(), 1));
        for (std::size_t bi = 0; bi < g.size(); ++bi) {
            const auto& b = g[bi];
            const float ratio = static_cast<float>(static_cast<double>(b.value) / static_cast<double>(max));
            const float h = std::max(b.value > 0 ? 2.0f : 0.0f, plot_h * ratio);
            const ImVec2 a(gx + slot * 0.15f + bw * static_cast<float>(bi), base_y - h);
            const ImVec2 z(a.x + bw - 2.0f, base_y);
            draw->AddRectFilled(a, z, ImGui::GetColorU32(b.colour), 2.0f);
            if (values_on_top) {
                const float tw = ImGui::CalcTextSize(b.value_text.c_str()).x;
                draw->AddText(ImVec2(a.x + (bw - tw) * 0.5f, a.y - label_h + 2.0f), ImGui::GetColorU32(ImGuiCol_Text),
                              b.value_text.c_str());
            }
            if (hovered && mouse.x >= a.x && mouse.x < z.x + 2.0f) {
                ImGui::SetTooltip("%s: %s", b.label.c_str(), b.value_text.c_str());
            }
            mirror_text((id + "." + std::to_string(gi) + "." + std::to_string(bi)).c_str(), "text",
                        b.label + ": " + b.value_text);
        }
        if (!labels.empty()) {
            const std::string& shown = labels[gi];
            const float tw = ImGui::CalcTextSize(shown.c_str()).x;
            draw->AddText(ImVec2(gx + (slot - tw) * 0.5f, base_y + 3.0f), ImGui::GetColorU32(kMutedColour), shown.c_str());
        }
    }
}

void legend(const char* a, ImVec4 ca, const char* b, ImVec4 cb) {
    auto swatch = [](ImVec4 c) {
        const ImVec2 p = ImGui::GetCursorScreenPos();
        const float s = ImGui::GetTextLineHeight() * 0.7f;
        ImGui::GetWindowDrawList()->AddRectFilled(ImVec2(p.x, p.y + s * 0.25f), ImVec2(p.x + s, p.y + s * 1.25f), ImGui::GetColorU32(c), 2);
        ImGui::Dummy(ImVec2(s, s));
        ImGui::SameLine();
    };
    swatch(ca);
    ImGui::TextColored(kMutedColour, "%s", a);
    ImGui::SameLine();
    swatch(cb);
    ImGui::TextColored(kMutedColour, "%s", b);
}

void section_title(const char* id, const std::string& text) {
    ImGui::Spacing();
    ImGui::TextUnformatted(text.c_str());
    track_last_item(id);
    mirror_text(id, "heading", text);
}

}  // namespace

void draw_dashboard_screen(AppState& state) {
    auto& d = state.staff.dashboard;
    ImGui::TextUnformatted("Dashboard");
    mirror_text("dashboard.heading", "heading", "Dashboard");
    ImGui::SameLine();
    if (button("dashboard.refresh", "Refresh", true)) load_dashboard(state);
    if (d.loading) {
        ImGui::SameLine();
        ImGui::TextDisabled("loading...");
    }
    if (d.error) draw_error(*d.error);
    const auto figures = dashboard_figures(d);
    const std::string as_of = str_of(d.aging, "as_of");
    if (figures.empty() && !d.loading && d.aging.is_object()) {
        ImGui::TextDisabled("Nothing owed, nothing collected yet: issue an invoice to see figures here.");
    }
    for (const auto& f : figures) {
        const std::string cur = " " + f.currency;
        const std::string p = "dashboard." + f.currency;
        const int per_row = state.narrow ? 2 : 4;
        const float w = card_width(per_row);
        card(p + ".outstanding", "Outstanding", f.outstanding + cur, "open invoices", w, kAccent);
        ImGui::SameLine();
        card(p + ".overdue", "Overdue", f.overdue + cur, "past their due date", w,
             money_minor(f.overdue, f.currency) > 0 ? kErrorColour : kAccent);
        if (per_row == 4) ImGui::SameLine();
        card(p + ".collected", "Collected this month", f.collected_month + cur, as_of.substr(0, 7), w,
             ImVec4(0.12f, 0.48f, 0.25f, 1));
        ImGui::SameLine();
        card(p + ".disputes", "Open disputes", std::to_string(d.disputes.size()),
             std::to_string(d.failures.size()) + " autopay retr" + (d.failures.size() == 1 ? "y" : "ies") + " waiting", w,
             d.disputes.empty() ? kAccent : kWarn);

        section_title((p + ".aging.title").c_str(), "Accounts receivable aging (" + f.currency + ", as of " + as_of + ")");
        std::vector<std::vector<Bar>> aging;
        std::vector<std::string> aging_labels;
        for (std::size_t b = 0; b < f.aging.size(); ++b) {
            const auto bucket = static_cast<reports::AgingBucket>(b);
            aging.push_back({{bucket_label(bucket), f.aging[b] + cur, f.aging_minor[b], b == 0 ? kAccent : kWarn}});
            static const char* const kShort[] = {"Current", "1-30", "31-60", "61-90", "90+"};
            aging_labels.push_back(state.narrow ? std::string(kShort[b]) : bucket_label(bucket));
        }
        bar_chart(p + ".aging", aging_labels, aging, ImGui::GetTextLineHeight() * 9.0f, !state.narrow);

        section_title((p + ".revenue.title").c_str(), "Revenue by month (" + f.currency + ", last 12 months)");
        legend("Issued", kAccentLight, "Collected", kAccent);
        std::vector<std::vector<Bar>> months;
        std::vector<std::string> month_labels;
        static const char* const kMonthNames[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                  "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
        for (const auto& m : f.months) {
            const int mm = m.period.size() == 7 ? std::atoi(m.period.c_str() + 5) : 0;
            // On a phone twelve names do not fit: the initial, as calendars do.
            std::string name = mm >= 1 && mm <= 12 ? kMonthNames[mm - 1] : m.period;
            month_labels.push_back(state.narrow ? name.substr(0, 1) : name);
            months.push_back({{m.period + " issued", m.issued + cur, m.issued_minor, kAccentLight},
                              {m.period + " collected", m.collected + cur, m.collected_minor, kAccent}});
        }
        bar_chart(p + ".revenue", month_labels, months, ImGui::GetTextLineHeight() * 8.0f, false);
    }

    section_title("dashboard.disputes.title", "Open disputes");
    if (d.disputes.empty()) {
        ImGui::TextDisabled("No open disputes.");
    } else {
        std::vector<std::vector<std::string>> rows;
        for (const auto& x : d.disputes) {
            rows.push_back({str_of(x, "invoice_id"), str_of(x, "amount") + " " + str_of(x, "currency"), str_of(x, "status"),
                            str_of(x, "reason"), str_of(x, "evidence_due_by").substr(0, 10)});
        }
        data_table({"dashboard.disputes", "Open disputes", state.narrow, false},
                   {{"Invoice"}, {"Amount", DataColumn::money}, {"Status", DataColumn::status}, {"Reason", DataColumn::text, false},
                    {"Evidence due"}},
                   rows);
    }
    section_title("dashboard.retries.title", "Autopay failures awaiting retry");
    if (d.failures.empty()) {
        ImGui::TextDisabled("None: every autopay charge went through or was settled.");
    } else {
        std::vector<std::vector<std::string>> rows;
        for (const auto& x : d.failures) {
            rows.push_back({client_name(state, str_of(x, "client_id")), str_of(x, "invoice_id"),
                            std::to_string(x.value("attempt", 0)), str_of(x, "message"), str_of(x, "next_retry_at")});
        }
        data_table({"dashboard.retries", "Autopay failures awaiting retry", state.narrow, false},
                   {{"Client"}, {"Invoice", DataColumn::text, false}, {"Attempt"}, {"Reason", DataColumn::text, false},
                    {"Next retry"}},
                   rows);
    }
}

}  // namespace cp::portal
