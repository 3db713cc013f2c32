#include "shared/billing/dispute_rules.hpp"

#include "shared/billing/invoice_rules.hpp"

namespace cp::billing {

std::string_view settled_status(std::string_view stored_status, const SettlementFacts& f) {
    if (f.any_lost_dispute) return "charged_back";
    if (f.any_open_dispute) return "disputed";
    if (f.amount_paid > 0 && balance_due(f.total, f.amount_paid, f.amount_credited) <= 0) return "paid";
    if (f.amount_paid > 0) return "partial";
    if (f.any_refund) return "refunded";
    for (std::string_view derived : {"paid", "partial", "refunded", "disputed", "charged_back"}) {
        if (stored_status == derived) return "sent";
    }
    return stored_status;
}

}  // namespace cp::billing
