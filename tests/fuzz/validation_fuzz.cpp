// libFuzzer target: every validator the API runs on request bodies, and the invoice
// preview, over arbitrary JSON. They must never throw or crash, and every error they
// report must carry a code (the API's stable error body depends on it). Run by scripts/fuzz.
#include <cstdint>
#include <nlohmann/json.hpp>

#include "shared/billing/invoice_preview.hpp"
#include "shared/protocol/json_input.hpp"
#include "tests/fuzz/depth_stats.hpp"
#include "shared/validation/break_glass_validation.hpp"
#include "shared/validation/client_validation.hpp"
#include "shared/validation/crm_validation.hpp"
#include "shared/crm/follow_ups.hpp"
#include "shared/validation/engagement_validation.hpp"
#include "shared/validation/expense_validation.hpp"
#include "shared/validation/firm_validation.hpp"
#include "shared/validation/invoice_draft_validation.hpp"
#include "shared/validation/membership_validation.hpp"
#include "shared/validation/payment_validation.hpp"
#include "shared/validation/time_entry_validation.hpp"

namespace {

void expect_coded(const cp::Errors& errors) {
    for (const auto& e : errors) {
        if (e.code.empty()) __builtin_trap();
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace cp::validation;
    // The server's one reading path: the validators only ever see what it lets through.
    auto parsed = cp::protocol::parse_json_input(std::string_view(reinterpret_cast<const char*>(data), size));
    cp::fuzz::note_depth(data, size, parsed.ok());
    if (!parsed) return 0;
    const auto& body = *parsed;
    if (body.is_discarded()) return 0;
    expect_coded(validate_login(body));
    expect_coded(validate_break_glass_open(body));
    expect_coded(validate_break_glass_revoke(body));
    expect_coded(validate_link_acceptance(body));
    expect_coded(validate_link_decline(body));
    expect_coded(cp::crm::validate_follow_up_settings(body, "settings.crm"));
    for (Mode mode : {Mode::create, Mode::update}) {
        expect_coded(validate_firm(body, mode));
        expect_coded(validate_client(body, mode));
        expect_coded(validate_engagement(body, mode));
        expect_coded(validate_membership(body, mode));
        expect_coded(validate_time_entry(body, mode));
        expect_coded(validate_expense(body, mode));
        expect_coded(validate_invoice_draft(body, mode));
        expect_coded(validate_payment(body, mode));
        expect_coded(validate_lead(body, mode, 2));
        expect_coded(validate_prospect(body, mode));
    }
    const auto preview = cp::billing::preview_invoice(body);
    if (!preview.is_object()) __builtin_trap();
    return 0;
}
