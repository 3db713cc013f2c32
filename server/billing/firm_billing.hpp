#pragma once
// A firm's billing configuration (zone, currency, settings) and its gapless document
// numbering, shared by the invoice handlers (Billing I) and the package fee run (Billing II).
#include <cstdint>
#include <string>

#include "server/storage/database.hpp"

namespace cp::server::billing {

struct FirmBilling {
    std::string time_zone, currency, tax_mode, rounding, number_prefix;
    std::int64_t payment_terms_days = 30;
    bool proration = false;
    std::string billing_run_time = "06:00";  // local HH:MM of the daily package run
};

// From a `firms` row's time_zone, currency and settings (JSON text; defaults when absent).
FirmBilling firm_billing_from(const std::string& time_zone, const std::string& currency,
                              const std::string& settings_json);
FirmBilling load_firm_billing(storage::Transaction& tx, const std::string& firm_id);

// Makes sure the firm's `kind` counter row exists and takes its row lock (PostgreSQL;
// SQLite's BEGIN IMMEDIATE already holds the database), so what the caller reads next
// is what every earlier numbering transaction committed.
void lock_sequence(storage::Transaction& tx, const std::string& firm_id, const std::string& kind);

// The next number of the firm's `kind` sequence ("invoice", "credit_note"), counted in the
// caller's transaction: concurrent issues queue on the counter row, a rollback (or a
// rollback to a savepoint) undoes it, so issued numbers have no gap.
std::int64_t next_in_sequence(storage::Transaction& tx, const std::string& firm_id, const std::string& kind);

}  // namespace cp::server::billing
