// Invoice totals throughput (lines/s), native. The same workload runs in Wasm under node
// through bench/wasm/invoice_totals_wasm_main.cpp; bench/run-invoice-totals prints both.
#include <benchmark/benchmark.h>

#include "bench/invoice_totals_workload.hpp"

static void BM_InvoiceTotals(benchmark::State& state) {
    const auto workload = cp::bench::make_invoice_workload();
    const size_t lines = cp::bench::count_lines(workload);
    cp::billing::InvoiceTotals out;
    cp::Errors errors;
    for (auto _ : state) {
        benchmark::DoNotOptimize(cp::bench::run_invoice_workload(workload, out, errors));
    }
    state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * lines));
    state.counters["lines_per_invoice"] = static_cast<double>(lines) / static_cast<double>(workload.size());
}
BENCHMARK(BM_InvoiceTotals)->Unit(benchmark::kMillisecond);

BENCHMARK_MAIN();
