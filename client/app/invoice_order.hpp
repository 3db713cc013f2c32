#pragma once
// The invoice table's cells as text and its row order after the header the person clicked.
// The order is cached in InvoiceList and rebuilt only when the rows or the sort change.
#include <string>
#include <vector>

#include "client/app/app_state.hpp"

namespace cp::portal {

inline constexpr int kInvoiceColumns = 7;  // number, client, status, issued, due, total, balance due
bool invoice_column_is_money(int column);
const char* invoice_client_name(const AppState& state, const InvoiceRow& row);
std::string invoice_cell(const AppState& state, const InvoiceRow& row, int column);
// The server's ?sort= key for a column, or nullptr for the columns ordered in the portal
// (client names and reported statuses are not columns the server sorts by).
const char* invoice_sort_key(int column);
// Row indexes in display order: the server's, unless a portal-ordered column is chosen.
const std::vector<int>& invoice_order(AppState& state);

}  // namespace cp::portal
