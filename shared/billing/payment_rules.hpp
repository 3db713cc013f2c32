#pragma once
// What a payment, a refund and an autopay failure do to an invoice, in integer minor units.
// The server stores the results; the rules live here so they are the same everywhere.
//
// - A payment is applied to the invoice up to its balance due; the rest (an overpayment)
//   becomes client credit (credit_ledger.hpp). After it the invoice is `paid` when nothing
//   is left to pay, else `partial`.
// - A refund takes back at most what the payment left on the invoice (its applied part,
//   less earlier refunds). It reduces the amount paid; an invoice with nothing paid left is
//   `refunded`, otherwise `partial`.
// - Autopay: attempt 1 is the charge on the due date; attempts 2..4 are the retries at +3,
//   +7 and +14 days after the *first* failure (schedule/retry_schedule.hpp). After attempt 4
//   fails the invoice is `overdue` and the firm is alerted.
#include <cstdint>
#include <optional>
#include <string_view>

#include "shared/core/error.hpp"
#include "shared/time/time_zone.hpp"

namespace cp::billing {

struct PaymentApplication {
    int64_t applied = 0;      // added to the invoice's amount paid
    int64_t to_credit = 0;    // overpayment: client credit
    int64_t amount_paid = 0;  // the invoice's amount paid afterwards
    int64_t balance_due = 0;  // afterwards (total - paid - credited)
    std::string_view status;  // "paid" or "partial"
};

// OUT_OF_RANGE (field amount) for an amount <= 0; NOT_PAYABLE (field amount) when nothing is
// due; AMOUNT_OVERFLOW past the money limit.
Result<PaymentApplication> apply_payment(int64_t total, int64_t amount_paid, int64_t amount_credited,
                                         int64_t amount);

struct RefundApplication {
    int64_t amount_paid = 0;      // the invoice's amount paid afterwards
    int64_t balance_due = 0;      // afterwards
    int64_t payment_refunded = 0;  // the payment's refunded total afterwards
    bool payment_fully_refunded = false;
    std::string_view status;  // "refunded" (nothing paid left) or "partial"
};

// `applied` is what the payment put on the invoice, `refunded` what was refunded of it so
// far. OUT_OF_RANGE for an amount <= 0; REFUND_EXCEEDS_PAYMENT (field amount) beyond
// applied - refunded.
Result<RefundApplication> apply_refund(int64_t total, int64_t amount_paid, int64_t amount_credited,
                                       int64_t applied, int64_t refunded, int64_t amount);

inline constexpr int32_t kAutopayAttempts = 4;  // the charge on the due date + 3 retries

// When attempt `failed_attempt` (1..4) failed and the first failure was `first_failure`:
// the instant of the next attempt, or nullopt when that was the last one (the invoice
// becomes overdue). OUT_OF_RANGE for an attempt outside 1..4 or an instant the schedule
// cannot place.
Result<std::optional<time::Instant>> next_autopay_attempt(int32_t failed_attempt, time::Instant first_failure,
                                                          const time::TimeZone& zone);

}  // namespace cp::billing
