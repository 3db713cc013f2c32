#pragma once
// What the package fee run owes for one engagement on one run date (DOMAIN.md Tier 4,
// "Package fee invoicing"), as a pure function of the engagement's terms, the firm's
// settings and the date: the billing period containing the date (the core's
// billing_period, clipped to the engagement), the fee (full, or prorated by days by the
// core when the firm enables proration and the period is clipped), the invoice totals
// (the core's), issue and due dates. No I/O: the run decides, storage writes.
#include <cstdint>
#include <optional>
#include <string>

#include "server/billing/firm_billing.hpp"
#include "shared/billing/invoice_totals.hpp"
#include "shared/core/error.hpp"
#include "shared/schedule/billing_period.hpp"

namespace cp::server::billing {

struct PackageTerms {
    std::string id, client_id, name, currency, schedule;
    std::int64_t package_fee = 0;  // minor units
    std::int64_t payment_terms_days = 30;
    std::string start_date;  // YYYY-MM-DD
    std::optional<std::string> end_date;
};

struct PlannedInvoice {
    schedule::Period period;  // billed, clipped to the engagement
    schedule::Period full;    // the unclipped calendar period (= period for one_time)
    bool prorated = false;
    time::Date issue_date, due_date;
    std::string description;          // of the one package_fee line
    std::string quantity, unit_price;  // the line as stored ("1", "2900.00")
    ::cp::billing::InvoiceTotals totals;
};

// nullopt: the run date is outside the engagement (nothing is due: skipped). An error:
// the terms cannot be billed (bad schedule or dates, a fee the core refuses).
Result<std::optional<PlannedInvoice>> plan_package_invoice(const PackageTerms& terms, const FirmBilling& firm,
                                                           const time::Date& run_date);

}  // namespace cp::server::billing
