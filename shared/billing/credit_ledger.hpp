#pragma once
// Client credit: an append-only ledger of credits (overpayment, refund, goodwill,
// correction) and debits (credit applied to an invoice). Balance = sum of credits - sum
// of debits and may never go negative, so a debit larger than the balance is refused.
// Goodwill and correction credits need a reason and an approver (checked by the caller,
// which knows who is asking; see needs_approval).
#include <cstdint>
#include <vector>

#include "shared/core/error.hpp"

namespace cp::billing {

enum class LedgerKind { overpayment, refund, goodwill, correction, applied_to_invoice };

inline bool is_credit(LedgerKind k) { return k != LedgerKind::applied_to_invoice; }
inline bool needs_approval(LedgerKind k) { return k == LedgerKind::goodwill || k == LedgerKind::correction; }

struct LedgerEntry {
    LedgerKind kind = LedgerKind::overpayment;
    int64_t amount = 0;  // minor units, > 0; the kind says which way it counts
};

// The balance after all entries, or INSUFFICIENT_CREDIT (a debit beyond the running
// balance) / OUT_OF_RANGE (an amount <= 0) / AMOUNT_OVERFLOW, naming the entry.
Result<int64_t> ledger_balance(const std::vector<LedgerEntry>& entries);

// Whether `entry` may be appended to a ledger whose balance is `balance`; the new balance.
Result<int64_t> append_entry(int64_t balance, const LedgerEntry& entry);

// After a lost dispute: amount paid reduced by the disputed amount, not below 0.
inline int64_t amount_paid_after_lost_dispute(int64_t amount_paid, int64_t disputed) {
    return disputed >= amount_paid ? 0 : amount_paid - disputed;
}

}  // namespace cp::billing
