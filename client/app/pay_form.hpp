#pragma once
// A client paying an invoice (signed link or client portal): the amount they typed (empty:
// the whole balance) and the sandbox card. The body is judged by the core's
// validate_client_payment before it is sent, so the portal refuses exactly what the server
// would, with the same codes and fields.
#include <array>
#include <nlohmann/json.hpp>
#include <string>

#include "shared/core/error.hpp"

namespace cp::portal {

// The sandbox's test cards (Billing III): one that succeeds, one the processor declines.
struct TestCard {
    const char* payment_method;
    const char* label;
};
inline constexpr TestCard kTestCards[] = {{"pm_card_visa", "Test Visa (succeeds)"},
                                          {"pm_card_chargeDeclined", "Test card (declined)"}};
inline constexpr int kTestCardCount = 2;

struct PayForm {
    std::array<char, 33> amount{};  // ASCII digits and a dot: 32 characters is plenty
    int card_index = 0;
    bool in_flight = false;
    Errors errors;        // the core's or the server's, drawn at the field they name
    std::string outcome;  // a sentence about the last attempt ("Payment of 100.00 USD received.")
    bool outcome_ok = false;
};

// The request body for `form`, or the core's errors (amount over `balance_due`, too many
// decimals for `currency`, not a number...). Amounts are the server's strings.
Result<nlohmann::json> client_payment_body(const PayForm& form, const std::string& currency,
                                           const std::string& balance_due);

// What a finished payment attempt tells the person, from the answer's payment status.
void record_payment_outcome(PayForm& form, int http_status, const nlohmann::json& answer, const Error& error);

}  // namespace cp::portal
