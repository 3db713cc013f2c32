#include "client/screens/portal_billing_panels.hpp"

#include <imgui.h>

#include <map>

#include "client/app/invoice_billing_actions.hpp"
#include "client/app/routes.hpp"
#include "client/widgets/a11y_tree.hpp"
#include "client/widgets/controls.hpp"
#include "client/widgets/error_text.hpp"
#include "client/widgets/payment_widgets.hpp"
#include "client/widgets/widget_rects.hpp"
#include "shared/text/messages.hpp"

namespace cp::portal {
namespace {

std::string text(const nlohmann::json& j, const char* key) {
    if (!j.is_object() || !j.contains(key) || !j[key].is_string()) return {};
    return j[key].get<std::string>();
}

bool nonzero(const std::string& amount) { return amount.find_first_not_of("0.-") != std::string::npos; }

}  // namespace

void draw_portal_summary(AppState& state) {
    const auto& summary = state.invoices.summary;
    if (!summary.is_object()) return;
    const std::string title = "Invoices from " + (state.session.firm_name.empty() ? std::string("your firm") : state.session.firm_name);
    ImGui::TextUnformatted(title.c_str());
    mirror_text("summary.heading", "heading", title);
    const auto& by = summary.contains("by_currency") ? summary["by_currency"] : nlohmann::json::object();
    if (!by.is_object() || by.empty()) {
        ImGui::TextColored(ImVec4(0.12f, 0.48f, 0.25f, 1), "Nothing is outstanding. Thank you.");
        track_last_item("summary.none");
        mirror_text("summary.none", "status", "Nothing is outstanding. Thank you.");
    }
    for (const auto& [currency, t] : by.items()) {
        const std::string id = "summary." + currency;
        const std::string line = "Outstanding " + text(t, "outstanding") + " " + currency + " on " +
                                 std::to_string(t.value("open_invoices", 0)) + " invoice(s); overdue " +
                                 text(t, "overdue") + " " + currency + " on " +
                                 std::to_string(t.value("overdue_invoices", 0)) + ".";
        ImGui::PushStyleColor(ImGuiCol_Text, nonzero(text(t, "overdue")) ? kErrorColour : ImGui::GetStyleColorVec4(ImGuiCol_Text));
        ImGui::TextUnformatted(line.c_str());
        ImGui::PopStyleColor();
        track_last_item(id);
        mirror_text(id.c_str(), "status", line);
    }
    if (summary.contains("next_due") && summary["next_due"].is_object()) {
        const auto& next = summary["next_due"];
        const std::string line = "Next due: " + text(next, "number") + ", " + text(next, "balance_due") + " " +
                                 text(next, "currency") + " by " + text(next, "due_date") +
                                 (text(next, "status") == "overdue" ? " (overdue)" : "");
        ImGui::TextColored(kMutedColour, "%s", line.c_str());
        ImGui::SameLine();
        if (button("summary.next_due.open", "Open", true)) go_to_route(state, "#/invoices/" + text(next, "invoice_id"));
        mirror_text("summary.next_due", "text", line);
    }
    ImGui::Separator();
}

void draw_payment_history(AppState& state) {
    ImGui::Spacing();
    ImGui::TextUnformatted("Payment history");
    mirror_text("history.heading", "heading", "Payment history");
    if (state.payment_history.error) draw_error(*state.payment_history.error);
    if (!state.payment_history.loaded) {
        ImGui::TextDisabled("Loading payments...");
        return;
    }
    std::map<std::string, std::string> numbers;
    for (const auto& row : state.invoices.rows) numbers[row.id] = row.number;
    draw_payments_table("history", state.payment_history.rows, &numbers);
}

void draw_invoice_money_actions(AppState& state) {
    auto& detail = state.detail;
    const auto& inv = detail.invoice;
    poll_open_invoice_download(state);
    const std::string status = text(inv, "status");
    if (status == "draft") return;  // a draft has no PDF and takes no payments
    ImGui::Spacing();
    if (button("detail.download", detail.download_id != 0 ? "Preparing PDF..." : "Download PDF")) download_open_invoice_pdf(state);
    if (!detail.download_note.empty()) {
        ImGui::SameLine();
        ImGui::TextColored(kMutedColour, "%s", detail.download_note.c_str());
        mirror_text("detail.download.note", "status", detail.download_note);
    }
    if (!state.session.is_portal_user) return;
    ImGui::Separator();
    ImGui::TextUnformatted("Pay this invoice");
    mirror_text("detail.pay.heading", "heading", "Pay this invoice");
    const bool takes_payment = status != "paid" && status != "void" && status != "refunded" && status != "disputed" &&
                               status != "charged_back" && nonzero(text(inv, "balance_due"));
    if (takes_payment) {
        if (draw_pay_form("detail.pay", detail.pay, text(inv, "currency"), text(inv, "balance_due"), state.dpi_scale)) {
            pay_open_invoice(state);
        }
        return;
    }
    const std::string why = status == "paid" ? "This invoice is paid in full. Thank you." : "This invoice does not take payments now.";
    ImGui::TextColored(kMutedColour, "%s", why.c_str());
    mirror_text("detail.not_payable", "status", why);
    if (!detail.pay.outcome.empty()) {
        ImGui::TextWrapped("%s", detail.pay.outcome.c_str());
        mirror_text("detail.pay.outcome", "status", detail.pay.outcome);
    }
}

}  // namespace cp::portal
