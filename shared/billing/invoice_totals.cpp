#include "shared/billing/invoice_totals.hpp"

#include <algorithm>
#include <limits>
#include <string>

#include "shared/money/decimal.hpp"
#include "shared/money/int128.hpp"
#include "shared/money/money.hpp"

namespace cp::billing {

using money::divide_rounded;
using money::divide_rounded64;
using money::kMaxMinorUnits;
using money::Rounding;
using money::within_amount_limit;

std::optional<TaxMode> tax_mode_from_string(std::string_view s) {
    if (s == "per_line") return TaxMode::per_line;
    if (s == "per_document") return TaxMode::per_document;
    return std::nullopt;
}

std::optional<DocumentType> document_type_from_string(std::string_view s) {
    if (s == "invoice") return DocumentType::invoice;
    if (s == "credit_note") return DocumentType::credit_note;
    return std::nullopt;
}

namespace {

// Tax rates are percent at scale 10^4, so amount x rate carries a factor 100 x 10^4.
constexpr int64_t kTaxDivisor = 100 * 10'000;

// round(a x b / den): 64-bit when the product fits (the common case), else 128-bit.
// The result is exact whenever it fits int64, even past the amount limit: intermediate
// figures (a per-rate tax group whose lines cancel out elsewhere) must not be clamped,
// or a large positive and a large negative group would cancel to a wrong tax. Only a
// result beyond int64 saturates, still past the limit, so callers report AMOUNT_OVERFLOW.
int64_t scaled_product(int64_t a, int64_t b, int64_t den, Rounding mode) {
    // Both factors below sqrt(2^63): the product fits, no overflow check needed. Cheaper
    // than __builtin_mul_overflow, which wasm32 lowers to a 128-bit library call.
    constexpr int64_t kSmall = 3'037'000'499;
    if (a >= -kSmall && a <= kSmall && b >= -kSmall && b <= kSmall) {
        return divide_rounded64(a * b, den, mode);
    }
    int64_t product = 0;
    if (!__builtin_mul_overflow(a, b, &product)) return divide_rounded64(product, den, mode);
    int128 q = divide_rounded(static_cast<int128>(a) * b, den, mode);
    if (q > std::numeric_limits<int64_t>::max()) return std::numeric_limits<int64_t>::max();
    if (q < std::numeric_limits<int64_t>::min()) return std::numeric_limits<int64_t>::min();
    return static_cast<int64_t>(q);
}

Error overflow(std::string field) {
    return Error{"AMOUNT_OVERFLOW", std::move(field), "amount exceeds the supported range"};
}

}  // namespace

bool compute_invoice_totals(const InvoiceInput& input, InvoiceTotals& out, Errors& errors) {
    const size_t errors_before = errors.size();
    const int32_t digits = input.currency ? input.currency->minor_digits : 2;
    // quantity (10^4) x unit price (10^4) is at scale 10^8; minor units are at 10^digits.
    const int64_t amount_divisor = money::pow10(kQuantityScale + kUnitPriceScale - digits);
    const Rounding mode = input.rounding;
    const bool per_line = input.tax_mode == TaxMode::per_line;

    out.line_amounts.clear();
    out.line_taxes.clear();
    out.tax_groups.clear();
    int64_t subtotal = 0;
    int64_t tax = 0;
    bool sum_overflow = false;
    for (size_t i = 0; i < input.lines.size(); ++i) {
        const LineItem& line = input.lines[i];
        const int64_t amount = scaled_product(line.quantity, line.unit_price, amount_divisor, mode);
        if (!within_amount_limit(amount)) {
            errors.push_back(overflow("lines[" + std::to_string(i) + "].amount"));
            continue;
        }
        out.line_amounts.push_back(amount);
        sum_overflow |= __builtin_add_overflow(subtotal, amount, &subtotal);

        // Groups stay few (one per distinct rate); a linear scan beats any map here.
        auto group = std::find_if(out.tax_groups.begin(), out.tax_groups.end(),
                                  [&](const TaxGroup& g) { return g.rate == line.tax_rate; });
        if (group == out.tax_groups.end()) {
            out.tax_groups.push_back(TaxGroup{line.tax_rate, 0, 0});
            group = out.tax_groups.end() - 1;
        }
        sum_overflow |= __builtin_add_overflow(group->taxable, amount, &group->taxable);
        if (per_line) {
            // |tax| <= |amount| because the rate is at most 100 %, so no limit check needed.
            const int64_t line_tax = scaled_product(amount, line.tax_rate, kTaxDivisor, mode);
            out.line_taxes.push_back(line_tax);
            sum_overflow |= __builtin_add_overflow(group->tax, line_tax, &group->tax);
            sum_overflow |= __builtin_add_overflow(tax, line_tax, &tax);
        }
    }
    if (errors.size() != errors_before) return false;

    std::sort(out.tax_groups.begin(), out.tax_groups.end(),
              [](const TaxGroup& a, const TaxGroup& b) { return a.rate < b.rate; });
    if (!per_line) {
        for (TaxGroup& g : out.tax_groups) {
            g.tax = scaled_product(g.taxable, g.rate, kTaxDivisor, mode);
            sum_overflow |= __builtin_add_overflow(tax, g.tax, &tax);
        }
    }
    if (sum_overflow || !within_amount_limit(subtotal)) {
        errors.push_back(overflow("subtotal"));
        return false;
    }
    if (!within_amount_limit(tax)) {
        errors.push_back(overflow("tax"));
        return false;
    }
    const int64_t total = subtotal + tax;  // both within 10^15: cannot wrap
    if (!within_amount_limit(total)) {
        errors.push_back(overflow("total"));
        return false;
    }
    if (total < 0 && input.document_type != DocumentType::credit_note) {
        errors.push_back(
            Error{"NEGATIVE_TOTAL", "total", "the total is below zero: only a credit note may be negative"});
        return false;
    }
    const int64_t balance_due = total - input.amount_paid;
    if (!within_amount_limit(input.amount_paid) || !within_amount_limit(balance_due)) {
        errors.push_back(overflow("balance_due"));
        return false;
    }
    out.subtotal = subtotal;
    out.tax = tax;
    out.total = total;
    out.amount_paid = input.amount_paid;
    out.balance_due = balance_due;
    return true;
}

Result<InvoiceTotals> compute_invoice_totals(const InvoiceInput& input) {
    InvoiceTotals out;
    Errors errors;
    if (!compute_invoice_totals(input, out, errors)) return errors.front();
    return out;
}

}  // namespace cp::billing
