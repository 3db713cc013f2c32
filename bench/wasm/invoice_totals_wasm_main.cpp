// The invoice-totals benchmark for Wasm under node (Google Benchmark is not built for
// wasm32): the same workload and calls as bench/invoice_totals_bench.cpp, timed with
// steady_clock over at least one second, best of 5 rounds. Prints "lines_per_second N".
#include <chrono>
#include <cstdio>

#include "bench/invoice_totals_workload.hpp"

int main() {
    const auto workload = cp::bench::make_invoice_workload();
    const size_t lines = cp::bench::count_lines(workload);
    cp::billing::InvoiceTotals out;
    cp::Errors errors;
    volatile int64_t sink = cp::bench::run_invoice_workload(workload, out, errors);  // warm-up
    double best = 0;
    for (int round = 0; round < 5; ++round) {
        const auto start = std::chrono::steady_clock::now();
        size_t passes = 0;
        double seconds = 0;
        do {
            sink = sink + cp::bench::run_invoice_workload(workload, out, errors);
            ++passes;
            seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        } while (seconds < 0.2);
        const double rate = static_cast<double>(passes * lines) / seconds;
        if (rate > best) best = rate;
    }
    std::printf("lines_per_second %.0f\n", best);
    return sink == 42 ? 1 : 0;
}
