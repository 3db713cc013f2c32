#pragma once
// Every table that holds a firm's rows, in purge order (children before parents), with
// how each is exported. A test enumerates the schema's tables with a firm_id column on both
// databases and fails if one is missing here, so a table added later cannot be forgotten
// by the export or the purge.
#include <string>
#include <string_view>
#include <vector>

namespace cp::server::exit {

struct FirmTable {
    const char* name;
    const char* key;          // keyset column for batches (unique within the firm)
    bool exported;            // false: credentials or exit bookkeeping (reason in firm_tables.cpp)
    const char* self_parent;  // a column referring to the same table, cleared before deleting, or ""
};

const std::vector<FirmTable>& firm_tables();

// Columns never written to an export: password and token hashes.
bool is_secret_column(std::string_view table, std::string_view column);

// Integer columns holding money in minor units (formatted as decimal strings in exports,
// like the API), and where their currency comes from: "currency" (the row's own column) or
// "invoice" (the row's invoice).
const char* money_currency_source(std::string_view table, std::string_view column);

}  // namespace cp::server::exit
