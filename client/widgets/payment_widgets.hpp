#pragma once
// The pieces a client sees when paying, shared by the signed-link page and the client
// portal: the pay form (amount, sandbox card, Pay) and the list of payments.
#include <map>
#include <nlohmann/json.hpp>
#include <string>

#include "client/app/pay_form.hpp"

namespace cp::portal {

// Draws the form under widget names "<prefix>.amount", "<prefix>.card.<n>",
// "<prefix>.submit"; true when the person asked to pay.
bool draw_pay_form(const std::string& prefix, PayForm& form, const std::string& currency,
                   const std::string& balance_due, float dpi_scale);

// Payments as the API lists them for clients (amount, status, method, date), newest last.
// With `invoice_numbers` (invoice id -> number) an Invoice column says what each paid.
void draw_payments_table(const std::string& prefix, const nlohmann::json& payments,
                         const std::map<std::string, std::string>* invoice_numbers = nullptr);

}  // namespace cp::portal
