#include "client/app/bench_rows.hpp"

#include <cstdio>

namespace cp::portal {

int fill_invoice_rows_for_bench(AppState& state, int count) {
    auto& list = state.invoices;
    if (list.rows.empty() || count <= 0) return 0;
    const std::vector<InvoiceRow> seed = list.rows;
    list.rows.clear();
    list.rows.reserve(static_cast<std::size_t>(count));
    char number[32];
    for (int k = 0; k < count; ++k) {
        InvoiceRow row = seed[static_cast<std::size_t>(k) % seed.size()];
        std::snprintf(number, sizeof number, "BENCH-%06d", k + 1);
        row.number = number;
        row.id = "bench-" + std::to_string(k + 1);
        list.rows.push_back(std::move(row));
    }
    list.next_cursor.clear();  // nothing more to page in
    ++list.version;
    return count;
}

}  // namespace cp::portal
