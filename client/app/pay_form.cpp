#include "client/app/pay_form.hpp"

#include "shared/money/money.hpp"
#include "shared/text/messages.hpp"
#include "shared/validation/payment_validation.hpp"

namespace cp::portal {

Result<nlohmann::json> client_payment_body(const PayForm& form, const std::string& currency,
                                           const std::string& balance_due) {
    const auto* cur = money::find_currency(currency);
    if (!cur) return Error{"UNKNOWN_CURRENCY", "currency", "is not a supported currency"};
    auto balance = money::parse_money(balance_due, *cur);
    if (!balance) return Error{"INVALID_DECIMAL", "balance_due", "could not be read"};
    nlohmann::json body = {{"payment_method", kTestCards[form.card_index].payment_method}};
    const std::string amount = form.amount.data();
    if (!amount.empty()) body["amount"] = amount;  // empty: the whole balance
    auto errors = validation::validate_client_payment(body, cur->minor_digits, balance->minor);
    if (!errors.empty()) return errors.front();
    return body;
}

void record_payment_outcome(PayForm& form, int http_status, const nlohmann::json& answer, const Error& error) {
    form.in_flight = false;
    form.errors.clear();
    const bool has_payment = answer.is_object() && answer.contains("payment") && answer["payment"].is_object();
    if ((http_status == 201 || http_status == 202) && has_payment) {
        const auto& p = answer["payment"];
        const std::string status = p.value("status", "");
        const std::string amount = p.value("amount", "") + " " + p.value("currency", "");
        if (status == "succeeded") {
            form.outcome = "Payment of " + amount + " received. Thank you.";
            form.outcome_ok = true;
            form.amount.fill('\0');
        } else if (status == "failed") {
            const std::string why = p.contains("failure_message") && p["failure_message"].is_string()
                                        ? p["failure_message"].get<std::string>()
                                        : std::string("the card was declined");
            std::string reason = why;
            while (!reason.empty() && reason.back() == '.') reason.pop_back();  // the sentence adds its own
            form.outcome = "The payment of " + amount + " did not go through: " + reason + ". Nothing was charged.";
            form.outcome_ok = false;
        } else {
            form.outcome = "The payment of " + amount + " is being processed.";
            form.outcome_ok = true;
        }
        return;
    }
    form.outcome.clear();
    form.errors.push_back(error);
}

}  // namespace cp::portal
