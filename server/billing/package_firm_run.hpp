#pragma once
// One firm's package fee run for one date, inside the caller's transaction (the API's
// request transaction, or a batch of the CLI / scheduler). The firm's due invoices are
// written together under one savepoint (numbers from the firm's gapless sequence, the
// invoices, their package_fee lines, audit events and emails as multi-row inserts). If
// that fails, they are written again one by one, each under its own savepoint: a failing
// invoice is rolled back alone (recorded in the report) while the others stay in the batch.
#include <cstdint>
#include <string>
#include <vector>

#include "server/audit/audit_log.hpp"
#include "server/billing/firm_billing.hpp"
#include "server/billing/package_report.hpp"
#include "server/storage/database.hpp"

namespace cp::server::billing {

struct FirmRunInput {
    std::string firm_id;
    FirmBilling firm;
    time::Date date;
    bool dry_run = false;
    std::int64_t now = 0;
    // Who runs it: actor fields of the audit events (system for CLI/scheduler, the member
    // for the API). A member's run is always audited; a system run only when it did something.
    audit::Event actor;
};

// Adds the firm's counts, errors and invoices to `report` (firms += 1). Writes nothing in
// a dry run. Throws storage errors that are not about one invoice (the caller retries).
void run_firm(storage::Transaction& tx, const FirmRunInput& in, RunReport& report);

// run_firm() for several firms in one transaction, composing the next firm's rows on a
// second thread while this one writes the previous firm's.
void run_firms(storage::Transaction& tx, const std::vector<FirmRunInput>& inputs, RunReport& report);

}  // namespace cp::server::billing
