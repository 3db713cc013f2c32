// The page a signed invoice link opens (/i/<token>): the invoice read-only, without an
// account, with a way to pay all or part, the payments so far and the PDF. A link that no
// longer works gets a screen that says why and what to do, never a status code.
#include <imgui.h>

#include <algorithm>

#include "client/app/signed_link_actions.hpp"
#include "client/screens/screens.hpp"
#include "client/widgets/a11y_tree.hpp"
#include "client/widgets/controls.hpp"
#include "client/widgets/error_text.hpp"
#include "client/widgets/payment_widgets.hpp"
#include "client/widgets/table_cells.hpp"
#include "client/widgets/widget_rects.hpp"
#include "shared/text/messages.hpp"

namespace cp::portal {
namespace {

std::string text(const nlohmann::json& j, const char* key) {
    if (!j.is_object() || !j.contains(key) || !j[key].is_string()) return {};
    return j[key].get<std::string>();
}

struct ProblemText {
    const char* title;
    const char* body;
};

ProblemText problem_text(LinkProblem problem) {
    switch (problem) {
        case LinkProblem::expired:
            return {"This link has expired", "This invoice link is no longer valid because it has expired. "
                                             "Ask the sender for a new one."};
        case LinkProblem::not_valid:
            return {"This link is not valid", "This invoice link is not valid: it may have been mistyped or withdrawn "
                                              "by the sender. Ask the sender for a new one."};
        case LinkProblem::too_many_attempts:
            return {"Too many attempts", "Too many attempts were made from your network. Wait a minute, then reload "
                                         "this page."};
        default:
            return {"The invoice could not be loaded", "The server could not be reached. Check your connection and "
                                                       "reload this page."};
    }
}

void draw_problem(AppState& state) {
    const ImGuiViewport* viewport = ImGui::GetMainViewport();
    const float margin = 12.0f * state.dpi_scale;
    const float width = std::min(480.0f * state.dpi_scale, viewport->WorkSize.x - 2 * margin);
    ImGui::SetNextWindowPos(ImVec2(viewport->WorkPos.x + (viewport->WorkSize.x - width) * 0.5f,
                                   viewport->WorkPos.y + std::max(margin, viewport->WorkSize.y * 0.2f)));
    ImGui::SetNextWindowSize(ImVec2(width, 0));
    const auto words = problem_text(state.link.problem);
    ImGui::Begin(words.title, nullptr, ImGuiWindowFlags_NoResize | ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoCollapse);
    mirror_text("link.problem.heading", "heading", words.title);
    ImGui::PushTextWrapPos(0.0f);
    ImGui::TextUnformatted(words.body);
    ImGui::PopTextWrapPos();
    track_last_item("link.problem");
    mirror_text("link.problem", "alert", words.body);
    ImGui::End();
}

void draw_totals(const nlohmann::json& inv) {
    const std::string currency = text(inv, "currency");
    if (!ImGui::BeginTable("link_totals", 2, ImGuiTableFlags_SizingFixedFit)) return;
    const std::pair<const char*, const char*> rows[] = {{"Subtotal", "subtotal"}, {"Tax", "tax"},
                                                        {"Total", "total"},       {"Paid", "amount_paid"},
                                                        {"Balance due", "balance_due"}};
    for (const auto& [label, key] : rows) {
        const std::string id = std::string("link.") + key;
        ImGui::TableNextRow();
        ImGui::TableNextColumn();
        ImGui::TextUnformatted(label);
        ImGui::TableNextColumn();
        cell_money(id, text(inv, key), currency);
        track_last_item(id);
        mirror_text((id + ".label").c_str(), "text", label);
    }
    ImGui::EndTable();
}

void draw_lines(const nlohmann::json& inv) {
    if (!ImGui::BeginTable("link_lines", 5, ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerH)) return;
    ImGui::TableSetupColumn("Description", ImGuiTableColumnFlags_WidthStretch, 3.0f);
    ImGui::TableSetupColumn("Quantity", ImGuiTableColumnFlags_WidthStretch, 0.8f);
    ImGui::TableSetupColumn("Unit price", ImGuiTableColumnFlags_WidthStretch, 1.0f);
    ImGui::TableSetupColumn("Tax %", ImGuiTableColumnFlags_WidthStretch, 0.7f);
    ImGui::TableSetupColumn("Amount", ImGuiTableColumnFlags_WidthStretch, 1.0f);
    ImGui::TableHeadersRow();
    a11y_add("link.lines", "table", "Lines");
    a11y_push_parent("link.lines");
    if (inv.contains("lines") && inv["lines"].is_array()) {
        int n = 0;
        for (const auto& line : inv["lines"]) {
            const std::string row_id = "link.line." + std::to_string(n++);
            a11y_add(row_id, "row", text(line, "description"));
            a11y_push_parent(row_id);
            ImGui::TableNextRow();
            ImGui::TableNextColumn();
            cell_text(row_id + ".description", text(line, "description"));
            for (const char* key : {"quantity", "unit_price", "tax_rate", "amount"}) {
                ImGui::TableNextColumn();
                cell_money(row_id + "." + key, text(line, key), "");
            }
            a11y_pop_parent();
        }
    }
    a11y_pop_parent();
    ImGui::EndTable();
}

}  // namespace

void draw_signed_link_screen(AppState& state) {
    auto& link = state.link;
    poll_link_download(state);
    if (link.problem != LinkProblem::none) {
        draw_problem(state);
        return;
    }
    const ImGuiViewport* viewport = ImGui::GetMainViewport();
    ImGui::SetNextWindowPos(viewport->WorkPos);
    ImGui::SetNextWindowSize(viewport->WorkSize);
    ImGui::Begin("Invoice", nullptr,
                 ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoBringToFrontOnFocus);
    if (link.loading || !link.view.is_object()) {
        ImGui::TextDisabled("Loading the invoice...");
        mirror_text("link.loading", "status", "Loading the invoice...");
        ImGui::End();
        return;
    }
    const auto& inv = link.view["invoice"];
    const std::string currency = text(inv, "currency");
    const std::string firm = link.view.contains("firm") ? text(link.view["firm"], "name") : "";
    const std::string client = link.view.contains("client") ? text(link.view["client"], "name") : "";
    const std::string heading = "Invoice " + text(inv, "number") + " from " + firm;
    ImGui::TextUnformatted(heading.c_str());
    track_last_item("link.heading");
    mirror_text("link.heading", "heading", heading);
    const std::string facts = "To " + client + "  |  " + text::choice_label(text(inv, "status")) + "  |  issued " +
                              text(inv, "issue_date") + "  |  due " + text(inv, "due_date");
    ImGui::TextColored(kMutedColour, "%s", facts.c_str());
    mirror_text("link.facts", "text", facts);
    ImGui::Separator();

    draw_lines(inv);
    ImGui::Spacing();
    draw_totals(inv);
    ImGui::Spacing();
    if (button("link.download", link.download_id != 0 ? "Preparing PDF..." : "Download PDF")) download_link_pdf(state);
    if (!link.download_note.empty()) {
        ImGui::SameLine();
        ImGui::TextColored(kMutedColour, "%s", link.download_note.c_str());
        mirror_text("link.download.note", "status", link.download_note);
    }
    ImGui::Separator();

    const bool payable = link.view.value("payable", false);
    ImGui::TextUnformatted("Pay this invoice");
    mirror_text("link.pay.heading", "heading", "Pay this invoice");
    if (payable) {
        if (draw_pay_form("link.pay", link.pay, currency, text(inv, "balance_due"), state.dpi_scale)) pay_signed_link(state);
    } else {
        const std::string why = text(inv, "status") == "paid" ? "This invoice is paid in full. Thank you."
                                                             : "This invoice does not take payments now.";
        ImGui::TextColored(kMutedColour, "%s", why.c_str());
        track_last_item("link.not_payable");
        mirror_text("link.not_payable", "status", why);
        for (const auto& e : link.pay.errors) draw_error(e);
        if (!link.pay.outcome.empty()) {
            ImGui::TextWrapped("%s", link.pay.outcome.c_str());
            mirror_text("link.pay.outcome", "status", link.pay.outcome);
        }
    }
    ImGui::Separator();
    ImGui::TextUnformatted("Payments");
    mirror_text("link.payments.heading", "heading", "Payments");
    draw_payments_table("link.payments", link.payments);
    ImGui::Spacing();
    const std::string expires = "This link works until " + text(link.view, "expires_at").substr(0, 10) +
                                ". Amounts are shown as issued by " + firm + ".";
    ImGui::TextColored(kMutedColour, "%s", expires.c_str());
    mirror_text("link.expires", "text", expires);
    ImGui::End();
}

}  // namespace cp::portal
