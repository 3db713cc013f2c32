#include "shared/billing/payment_rules.hpp"

#include "shared/billing/invoice_rules.hpp"
#include "shared/money/money.hpp"
#include "shared/schedule/retry_schedule.hpp"

namespace cp::billing {

Result<PaymentApplication> apply_payment(int64_t total, int64_t amount_paid, int64_t amount_credited,
                                         int64_t amount) {
    if (amount <= 0) return Error{"OUT_OF_RANGE", "amount", "must be greater than zero"};
    if (!money::within_amount_limit(amount))
        return Error{"AMOUNT_OVERFLOW", "amount", "amount exceeds the supported range"};
    const int64_t due = balance_due(total, amount_paid, amount_credited);
    if (due <= 0) return Error{"NOT_PAYABLE", "amount", "nothing is due on this invoice"};
    PaymentApplication out;
    out.applied = amount < due ? amount : due;
    out.to_credit = amount - out.applied;
    out.amount_paid = amount_paid + out.applied;
    out.balance_due = balance_due(total, out.amount_paid, amount_credited);
    out.status = out.balance_due <= 0 ? "paid" : "partial";
    return out;
}

Result<RefundApplication> apply_refund(int64_t total, int64_t amount_paid, int64_t amount_credited,
                                       int64_t applied, int64_t refunded, int64_t amount) {
    if (amount <= 0) return Error{"OUT_OF_RANGE", "amount", "must be greater than zero"};
    const int64_t refundable = applied - refunded;
    if (amount > refundable || amount > amount_paid) {
        return Error{"REFUND_EXCEEDS_PAYMENT", "amount",
                     "is more than the payment left on the invoice (applied less earlier refunds)"};
    }
    RefundApplication out;
    out.amount_paid = amount_paid - amount;
    out.balance_due = balance_due(total, out.amount_paid, amount_credited);
    out.payment_refunded = refunded + amount;
    out.payment_fully_refunded = out.payment_refunded == applied;
    out.status = out.amount_paid == 0 ? "refunded" : "partial";
    return out;
}

Result<std::optional<time::Instant>> next_autopay_attempt(int32_t failed_attempt, time::Instant first_failure,
                                                          const time::TimeZone& zone) {
    if (failed_attempt < 1 || failed_attempt > kAutopayAttempts)
        return Error{"OUT_OF_RANGE", "attempt", "must be 1 to 4"};
    if (failed_attempt == kAutopayAttempts) return std::optional<time::Instant>{};
    auto schedule = schedule::retry_schedule(first_failure, zone);
    if (!schedule) return schedule.error();
    return std::optional<time::Instant>{(*schedule)[static_cast<size_t>(failed_attempt - 1)]};
}

}  // namespace cp::billing
