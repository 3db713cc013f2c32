#include "shared/billing/invoice_rules.hpp"

#include <cstdio>

#include "shared/money/money.hpp"
#include "shared/schedule/overdue.hpp"

namespace cp::billing {

std::string format_document_number(std::string_view prefix, int32_t year, int64_t sequence) {
    char tail[40];
    std::snprintf(tail, sizeof tail, "%04d-%05lld", static_cast<int>(year), static_cast<long long>(sequence));
    return std::string(prefix) + tail;
}

Result<int64_t> apply_credit_note(int64_t invoice_total, int64_t already_credited, int64_t credit_total) {
    if (credit_total <= 0) return Error{"OUT_OF_RANGE", "total", "a credit note must credit more than zero"};
    const int64_t creditable = invoice_total - already_credited;
    if (credit_total > creditable) {
        return Error{"CREDIT_EXCEEDS_INVOICE", "total",
                     "a credit note may not exceed what remains creditable on the invoice"};
    }
    return already_credited + credit_total;
}

std::string_view reported_status(std::string_view stored_status, bool is_credit_note,
                                 const std::optional<time::Date>& due_date, int64_t balance_due,
                                 time::Instant now, const time::TimeZone& client_zone) {
    const bool open = stored_status == "sent" || stored_status == "partial";
    if (is_credit_note || !open || !due_date || balance_due <= 0) return stored_status;
    return schedule::is_overdue(*due_date, now, client_zone) ? "overdue" : stored_status;
}

}  // namespace cp::billing
