#include "shared/billing/credit_ledger.hpp"

#include <string>

#include "shared/money/money.hpp"

namespace cp::billing {

Result<int64_t> append_entry(int64_t balance, const LedgerEntry& entry) {
    if (entry.amount <= 0) return Error{"OUT_OF_RANGE", "amount", "must be greater than zero"};
    if (!money::within_amount_limit(entry.amount))
        return Error{"AMOUNT_OVERFLOW", "amount", "amount exceeds the supported range"};
    if (is_credit(entry.kind)) {
        const int64_t next = balance + entry.amount;  // both within 10^15: cannot wrap
        if (!money::within_amount_limit(next))
            return Error{"AMOUNT_OVERFLOW", "amount", "balance exceeds the supported range"};
        return next;
    }
    if (entry.amount > balance) {
        return Error{"INSUFFICIENT_CREDIT", "amount", "the client's credit balance is too small"};
    }
    return balance - entry.amount;
}

Result<int64_t> ledger_balance(const std::vector<LedgerEntry>& entries) {
    int64_t balance = 0;
    for (size_t i = 0; i < entries.size(); ++i) {
        Result<int64_t> next = append_entry(balance, entries[i]);
        if (!next) {
            Error e = next.error();
            e.field = "entries[" + std::to_string(i) + "]." + e.field;
            return e;
        }
        balance = *next;
    }
    return balance;
}

}  // namespace cp::billing
