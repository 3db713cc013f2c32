#include "server/billing/package_plan.hpp"

#include "shared/billing/billable_amounts.hpp"
#include "shared/money/currency.hpp"
#include "shared/money/decimal.hpp"

namespace cp::server::billing {
namespace {

constexpr std::size_t kMaxDescription = 500;  // the core's line description limit

std::int64_t pow10(std::int32_t n) {
    std::int64_t v = 1;
    while (n-- > 0) v *= 10;
    return v;
}

}  // namespace

Result<std::optional<PlannedInvoice>> plan_package_invoice(const PackageTerms& t, const FirmBilling& firm,
                                                           const time::Date& run_date) {
    using R = Result<std::optional<PlannedInvoice>>;
    const auto sched = schedule::billing_schedule_from_string(t.schedule);
    if (!sched) return R(Error{"INVALID_VALUE", "schedule", "unknown billing schedule '" + t.schedule + "'"});
    const money::Currency* currency = money::find_currency(t.currency);
    if (!currency) return R(Error{"INVALID_VALUE", "currency", "unknown currency '" + t.currency + "'"});
    const auto rounding = money::rounding_from_string(firm.rounding).value_or(money::Rounding::half_up);
    const auto tax_mode = ::cp::billing::tax_mode_from_string(firm.tax_mode).value_or(::cp::billing::TaxMode::per_line);
    if (t.package_fee <= 0) return R(Error{"OUT_OF_RANGE", "package_fee", "a package engagement needs a positive fee"});

    schedule::EngagementDates dates;
    auto start = time::parse_iso_date(t.start_date);
    if (!start) return R(Error{"INVALID_DATE", "start_date", "is not a date"});
    dates.start = *start;
    if (t.end_date) {
        auto end = time::parse_iso_date(*t.end_date);
        if (!end) return R(Error{"INVALID_DATE", "end_date", "is not a date"});
        dates.end = *end;
    }
    auto period = schedule::billing_period(*sched, run_date, dates);
    if (!period) {
        if (period.error().code == "DATE_OUTSIDE_ENGAGEMENT") return R(std::optional<PlannedInvoice>());
        return R(period.error());
    }

    PlannedInvoice out;
    out.period = *period;
    out.full = *sched == schedule::BillingSchedule::one_time ? *period : schedule::calendar_period(*sched, run_date);
    std::int64_t fee = t.package_fee;
    if (firm.proration && !(out.period == out.full)) {
        auto prorated = ::cp::billing::prorated_fee(t.package_fee, out.period, out.full, rounding);
        if (!prorated) return R(prorated.error());
        fee = *prorated;
        out.prorated = true;
    }
    // Issued on the run date (the day the period became due), due after the engagement's terms.
    out.issue_date = run_date;
    out.due_date = time::add_days(run_date, t.payment_terms_days);
    out.description = "Package fee " + time::format_iso_date(out.period.start) + " to " +
                      time::format_iso_date(out.period.end) + (out.prorated ? " (prorated)" : "") + ": " +
                      t.name;
    if (out.description.size() > kMaxDescription) {
        std::size_t cut = kMaxDescription;  // never inside a UTF-8 sequence
        while (cut > 0 && (static_cast<unsigned char>(out.description[cut]) & 0xC0) == 0x80) --cut;
        out.description.resize(cut);
    }
    out.quantity = "1";
    out.unit_price = money::format_fixed(fee, currency->minor_digits);

    ::cp::billing::InvoiceInput input;
    input.currency = currency;
    input.rounding = rounding;
    input.tax_mode = tax_mode;
    ::cp::billing::LineItem line;
    line.kind = ::cp::billing::LineKind::package_fee;
    line.description = out.description;
    line.quantity = pow10(::cp::billing::kQuantityScale);
    line.unit_price = fee * pow10(::cp::billing::kUnitPriceScale - currency->minor_digits);
    line.tax_rate = 0;
    input.lines.push_back(std::move(line));
    Errors errors;
    if (!::cp::billing::compute_invoice_totals(input, out.totals, errors)) return R(errors.front());
    return R(std::optional<PlannedInvoice>(std::move(out)));
}

}  // namespace cp::server::billing
