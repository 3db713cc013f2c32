#pragma once
// Rules of an invoice's life after the arithmetic (invoice_totals.hpp): its number, what a
// credit note may take off it, its balance, and the status it is reported with.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "shared/core/error.hpp"
#include "shared/time/civil.hpp"
#include "shared/time/time_zone.hpp"

namespace cp::billing {

// "<prefix><year>-<sequence, 5 digits or more>": ("INV-", 2026, 42) -> "INV-2026-00042".
// The year is decoration (the issue date's); the sequence never restarts, so numbers stay
// gapless and unique whatever the prefix was when they were issued.
std::string format_document_number(std::string_view prefix, int32_t year, int64_t sequence);

// balance due = total - amount paid - amount credited (negative: overpaid, client credit).
inline int64_t balance_due(int64_t total, int64_t amount_paid, int64_t amount_credited) {
    return total - amount_paid - amount_credited;
}

// A credit note of `credit_total` against an invoice of `invoice_total` of which
// `already_credited` is credited: the new amount credited, or OUT_OF_RANGE (a credit note
// must credit something) / CREDIT_EXCEEDS_INVOICE (more than remains creditable, i.e. the
// invoice's total less earlier credit notes), both with field "total".
Result<int64_t> apply_credit_note(int64_t invoice_total, int64_t already_credited, int64_t credit_total);

// The status an issued document is reported with: a `sent` or `partial` invoice with a
// balance left is `overdue` from the first day after its due date on the *client's* local
// calendar (schedule/overdue.hpp); anything else keeps its stored status. Credit notes are
// never overdue.
std::string_view reported_status(std::string_view stored_status, bool is_credit_note,
                                 const std::optional<time::Date>& due_date, int64_t balance_due,
                                 time::Instant now, const time::TimeZone& client_zone);

}  // namespace cp::billing
