#include "client/widgets/payment_widgets.hpp"

#include <imgui.h>

#include "client/widgets/a11y_tree.hpp"
#include "client/widgets/controls.hpp"
#include "client/widgets/error_text.hpp"
#include "client/widgets/table_cells.hpp"
#include "client/widgets/widget_rects.hpp"
#include "shared/text/messages.hpp"

namespace cp::portal {
namespace {

std::string text(const nlohmann::json& j, const char* key) {
    if (!j.is_object() || !j.contains(key) || !j[key].is_string()) return {};
    return j[key].get<std::string>();
}

const ImVec4 kOkColour{0.12f, 0.48f, 0.25f, 1.0f};

}  // namespace

bool draw_pay_form(const std::string& prefix, PayForm& form, const std::string& currency,
                   const std::string& balance_due, float dpi_scale) {
    const std::string amount_id = prefix + ".amount";
    ImGui::TextUnformatted("Amount to pay");
    ImGui::SameLine();
    ImGui::TextColored(kMutedColour, "(%s; leave empty to pay the whole balance of %s %s)", currency.c_str(),
                       balance_due.c_str(), currency.c_str());
    bool invalid = false;
    for (const auto& e : form.errors) invalid = invalid || e.field == "amount";
    TextFieldSpec spec{amount_id.c_str(), "Amount to pay", 32, false, invalid, 200 * dpi_scale};
    auto typed = text_field(spec, form.amount.data(), form.amount.size());
    if (typed.changed) form.errors.clear();  // the next attempt is judged afresh

    ImGui::TextUnformatted("Card");
    for (int k = 0; k < kTestCardCount; ++k) {
        ImGui::SameLine();
        const std::string id = prefix + ".card." + std::to_string(k);
        bool chosen = ImGui::RadioButton(kTestCards[k].label, form.card_index == k);
        track_last_item(id);
        focusable_item(id);
        a11y_add({id, "button", std::string("Pay with ") + kTestCards[k].label, form.card_index == k ? "selected" : "",
                  false, false, false, ImGui::IsItemFocused()});
        chosen = a11y_take_activation(id) || chosen;
        if (chosen) form.card_index = k;
    }

    ImGui::BeginDisabled(form.in_flight);
    const bool pay = button((prefix + ".submit").c_str(), form.in_flight ? "Paying..." : "Pay now");
    ImGui::EndDisabled();
    for (const auto& e : form.errors) draw_error(e);
    if (!form.outcome.empty()) {
        ImGui::PushStyleColor(ImGuiCol_Text, form.outcome_ok ? kOkColour : kErrorColour);
        ImGui::TextWrapped("%s", form.outcome.c_str());
        ImGui::PopStyleColor();
        track_last_item(prefix + ".outcome");
        mirror_text((prefix + ".outcome").c_str(), form.outcome_ok ? "status" : "alert", form.outcome);
    }
    return pay && !form.in_flight;
}

void draw_payments_table(const std::string& prefix, const nlohmann::json& payments,
                         const std::map<std::string, std::string>* invoice_numbers) {
    if (!payments.is_array() || payments.empty()) {
        ImGui::TextDisabled("No payments yet.");
        mirror_text((prefix + ".empty").c_str(), "text", "No payments yet.");
        return;
    }
    const int columns = invoice_numbers ? 5 : 4;
    if (!ImGui::BeginTable(prefix.c_str(), columns, ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerH)) return;
    ImGui::TableSetupColumn("Date");
    if (invoice_numbers) ImGui::TableSetupColumn("Invoice");
    ImGui::TableSetupColumn("Method");
    ImGui::TableSetupColumn("Status");
    ImGui::TableSetupColumn("Amount", ImGuiTableColumnFlags_WidthStretch);
    ImGui::TableHeadersRow();
    track_last_item(prefix);
    a11y_add(prefix, "table", "Payments");
    a11y_push_parent(prefix);
    int n = 0;
    for (const auto& p : payments) {
        const std::string row_id = prefix + ".row." + std::to_string(n++);
        const std::string date = text(p, "created_at").substr(0, 10);
        const std::string status = text::choice_label(text(p, "status"));
        const std::string amount = text(p, "amount");
        std::string number;
        if (invoice_numbers) {
            auto found = invoice_numbers->find(text(p, "invoice_id"));
            number = found != invoice_numbers->end() ? found->second : text(p, "invoice_id");
        }
        a11y_add(row_id, "row", date + (number.empty() ? "" : ", " + number) + ", " + status + ", " + amount + " " + text(p, "currency"));
        a11y_push_parent(row_id);
        ImGui::TableNextRow();
        ImGui::TableNextColumn();
        cell_text(row_id + ".date", date);
        if (invoice_numbers) {
            ImGui::TableNextColumn();
            cell_text(row_id + ".invoice", number);
        }
        ImGui::TableNextColumn();
        cell_text(row_id + ".method", text::choice_label(text(p, "method")));
        ImGui::TableNextColumn();
        ImGui::PushStyleColor(ImGuiCol_Text, text(p, "status") == "failed" ? kErrorColour : ImGui::GetStyleColorVec4(ImGuiCol_Text));
        cell_text(row_id + ".status", status);
        ImGui::PopStyleColor();
        ImGui::TableNextColumn();
        cell_money(row_id + ".amount", amount, text(p, "currency"));
        a11y_pop_parent();
    }
    a11y_pop_parent();
    ImGui::EndTable();
}

}  // namespace cp::portal
