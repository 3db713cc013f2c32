#pragma once
// What disputes do to an invoice. Processor events arrive out of order and more than once,
// so the invoice's status is not moved step by step: it is derived from what is known at
// the end (its amounts, refunds and disputes), and any order of the same events gives the
// same answer.
#include <cstdint>
#include <string_view>

namespace cp::billing {

struct SettlementFacts {
    int64_t total = 0;
    int64_t amount_paid = 0;
    int64_t amount_credited = 0;
    bool any_refund = false;        // some payment on it was refunded
    bool any_open_dispute = false;  // a dispute or inquiry not yet decided
    bool any_lost_dispute = false;
};

// A lost dispute: charged_back; an open one: disputed; otherwise paid (nothing due),
// partial (something paid), refunded (everything paid was refunded) or, with nothing paid
// and nothing refunded, the stored status unless it is one of those derived here (then
// "sent").
std::string_view settled_status(std::string_view stored_status, const SettlementFacts& facts);

// The amount a lost dispute takes off the invoice's amount paid: the disputed amount, at
// most what is paid (amount_paid_after_lost_dispute in credit_ledger.hpp keeps it >= 0).
inline int64_t lost_dispute_deduction(int64_t amount_paid, int64_t disputed) {
    if (disputed <= 0) return 0;
    return disputed >= amount_paid ? amount_paid : disputed;
}

}  // namespace cp::billing
