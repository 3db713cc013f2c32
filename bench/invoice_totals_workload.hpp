#pragma once
// The invoice-totals benchmark workload, shared by the native Google Benchmark binary and
// the Wasm timing main so both measure exactly the same inputs and calls: 4096
// deterministic invoices of 1..20 lines (about 10.5 on average) mixing currencies (USD,
// EUR, JPY, KWD), both rounding policies and both tax modes, with realistic magnitudes.
#include <cstdint>
#include <vector>

#include "shared/billing/invoice_totals.hpp"
#include "shared/money/currency.hpp"

namespace cp::bench {

inline std::vector<billing::InvoiceInput> make_invoice_workload(size_t invoices = 4096) {
    uint64_t s = 0x9E3779B97F4A7C15ull;
    auto next = [&s] {  // splitmix64: deterministic on every platform
        uint64_t z = (s += 0x9E3779B97F4A7C15ull);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
        return z ^ (z >> 31);
    };
    static const char* const kCurrencies[] = {"USD", "EUR", "JPY", "KWD"};
    static const int64_t kRates[] = {0, 50000, 88750, 99750, 200000};
    std::vector<billing::InvoiceInput> out(invoices);
    for (billing::InvoiceInput& in : out) {
        in.currency = money::find_currency(kCurrencies[next() % 4]);
        in.rounding = next() % 2 ? money::Rounding::half_up : money::Rounding::half_even;
        in.tax_mode = next() % 2 ? billing::TaxMode::per_line : billing::TaxMode::per_document;
        in.document_type = billing::DocumentType::credit_note;  // signs are free in the workload
        const size_t lines = 1 + next() % 20;
        for (size_t i = 0; i < lines; ++i) {
            billing::LineItem l;
            l.quantity = static_cast<int64_t>(next() % 1'000'000);     // 0 .. 100 h, 4 decimals
            l.unit_price = static_cast<int64_t>(next() % 20'000'000);  // 0 .. 2000, 4 decimals
            if (next() % 10 == 0) l.unit_price = -l.unit_price;        // discounts
            l.tax_rate = kRates[next() % 5];
            in.lines.push_back(l);
        }
    }
    return out;
}

inline size_t count_lines(const std::vector<billing::InvoiceInput>& w) {
    size_t n = 0;
    for (const auto& in : w) n += in.lines.size();
    return n;
}

// One pass over the workload; returns a checksum so the work cannot be optimised away.
inline int64_t run_invoice_workload(const std::vector<billing::InvoiceInput>& w, billing::InvoiceTotals& out,
                                    Errors& errors) {
    int64_t checksum = 0;
    for (const billing::InvoiceInput& in : w) {
        errors.clear();
        if (billing::compute_invoice_totals(in, out, errors)) checksum += out.total;
    }
    return checksum;
}

}  // namespace cp::bench
