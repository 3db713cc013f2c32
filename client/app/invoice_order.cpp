#include "client/app/invoice_order.hpp"

#include <algorithm>
#include <numeric>

#include "shared/text/messages.hpp"

namespace cp::portal {
namespace {

// Money compares by value: "1200.00" after "99.00".
bool amount_less(const std::string& a, const std::string& b) {
    const bool na = !a.empty() && a[0] == '-', nb = !b.empty() && b[0] == '-';
    if (na != nb) return na;
    auto ia = a.find('.'), ib = b.find('.');
    const std::size_t la = ia == std::string::npos ? a.size() : ia, lb = ib == std::string::npos ? b.size() : ib;
    if (la != lb) return na ? la > lb : la < lb;
    return na ? a > b : a < b;
}

}  // namespace

bool invoice_column_is_money(int column) { return column == 5 || column == 6; }

const char* invoice_sort_key(int column) {
    switch (column) {
        case 0: return "number";
        case 3: return "issue_date";
        case 4: return "due_date";
        case 5: return "total";
        case 6: return "balance_due";
        default: return nullptr;
    }
}

const char* invoice_client_name(const AppState& state, const InvoiceRow& row) {
    if (!row.client_name.empty()) return row.client_name.c_str();
    auto name = state.invoices.client_names.find(row.client_id);
    return name != state.invoices.client_names.end() ? name->second.c_str() : row.client_id.c_str();
}

std::string invoice_cell(const AppState& state, const InvoiceRow& row, int column) {
    switch (column) {
        case 0: return row.number.empty() ? "(draft)" : row.number;
        case 1: return invoice_client_name(state, row);
        case 2: return text::choice_label(row.status);
        case 3: return row.issue_date;
        case 4: return row.due_date;
        case 5: return row.total;
        default: return row.balance_due;
    }
}

const std::vector<int>& invoice_order(AppState& state) {
    auto& list = state.invoices;
    const auto sort = state.invoice_sort;
    if (list.order_version == list.version && list.order.size() == list.rows.size() && list.order_column == sort.column &&
        list.order_descending == sort.descending) {
        return list.order;
    }
    list.order_version = list.version;
    list.order_column = sort.column;
    list.order_descending = sort.descending;
    list.order.resize(list.rows.size());
    std::iota(list.order.begin(), list.order.end(), 0);
    if (sort.column < 0 || invoice_sort_key(sort.column)) return list.order;  // as the server sent them
    // Each cell's text once, not twice per comparison.
    std::vector<std::string> keys(list.rows.size());
    for (std::size_t i = 0; i < keys.size(); ++i) keys[i] = invoice_cell(state, list.rows[i], sort.column);
    const bool money = invoice_column_is_money(sort.column);
    std::stable_sort(list.order.begin(), list.order.end(), [&](int a, int b) {
        const auto& ka = keys[static_cast<std::size_t>(a)];
        const auto& kb = keys[static_cast<std::size_t>(b)];
        if (sort.descending) return money ? amount_less(kb, ka) : kb < ka;
        return money ? amount_less(ka, kb) : ka < kb;
    });
    return list.order;
}

}  // namespace cp::portal
