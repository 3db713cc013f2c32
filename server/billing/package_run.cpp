#include "server/billing/package_run.hpp"

#include <algorithm>
#include <chrono>
#include <thread>
#include <vector>

#include "server/billing/package_firm_run.hpp"

namespace cp::server::billing {
namespace {

struct FirmEntry {
    std::string id;
    FirmBilling billing;
    std::int64_t engagements = 0;
};

std::vector<FirmEntry> firms_to_run(storage::Database& db, const RunOptions& o) {
    std::vector<FirmEntry> out;
    with_busy_retry(o.busy_attempts, [&] {
        out.clear();
        storage::Transaction tx(db);
        std::string sql =
            "SELECT f.id, f.time_zone, f.currency, f.settings, (SELECT COUNT(*) FROM engagements e WHERE "
            "e.firm_id = f.id AND e.status = 'current' AND e.pricing_mode IN ('package', 'mixed')) AS n "
            "FROM firms f WHERE f.status IN ('trial', 'active')";
        storage::Params params;
        if (o.firm_id) {
            sql += " AND f.id = ?";
            params.emplace_back(*o.firm_id);
        }
        for (const auto& r : tx.query(sql + " ORDER BY f.id", params)) {
            out.push_back({r.str("id"), firm_billing_from(r.str("time_zone"), r.str("currency"), r.str("settings")),
                           r.i64("n")});
        }
    });
    return out;
}

FirmRunInput input_for(const FirmEntry& f, Zones& zones, const RunOptions& o) {
    FirmRunInput in;
    in.firm_id = f.id;
    in.firm = f.billing;
    in.date = o.date ? *o.date : zones.local_date(f.billing.time_zone, o.now);
    in.dry_run = o.dry_run;
    in.now = o.now;
    in.actor = o.actor;
    return in;
}

// One transaction over `batch`; the report gains its results only if it committed.
void run_batch(storage::Database& db, Zones& zones, const std::vector<const FirmEntry*>& batch,
               const RunOptions& o, RunReport& report) {
    RunReport part;
    with_busy_retry(o.busy_attempts, [&] {
        part = RunReport{};
        storage::Transaction tx(db);
        std::vector<FirmRunInput> inputs;
        for (const auto* f : batch) inputs.push_back(input_for(*f, zones, o));
        run_firms(tx, inputs, part);
        if (!o.dry_run) tx.commit();  // a dry run rolls back whatever it touched
    });
    report.merge(part);
}

}  // namespace

void with_busy_retry(int attempts, const std::function<void()>& work) {
    for (int attempt = 1;; ++attempt) {
        try {
            work();
            return;
        } catch (const storage::DbError& e) {
            if (e.kind() != storage::DbError::Kind::busy || attempt >= attempts) throw;
            std::this_thread::sleep_for(std::chrono::milliseconds(std::min(5 * attempt, 100)));
        }
    }
}

RunReport run_package_invoices(storage::Database& db, Zones& zones, const RunOptions& o) {
    RunReport report;
    report.date = o.date;
    report.dry_run = o.dry_run;
    const auto firms = firms_to_run(db, o);
    if (o.firm_id && firms.empty()) {
        report.add_error(*o.firm_id, "", "FIRM_NOT_FOUND", "no active or trial firm with this id");
        return report;
    }
    if (o.firm_id && !o.date) report.date = input_for(firms.front(), zones, o).date;

    std::vector<const FirmEntry*> batch;
    std::int64_t in_batch = 0;
    auto flush = [&] {
        if (batch.empty()) return;
        try {
            run_batch(db, zones, batch, o, report);
        } catch (const std::exception& batch_error) {
            // Nothing of the batch committed: run its firms one by one, so only the broken
            // firm is reported and the others are billed.
            for (const auto* f : batch) {
                try {
                    run_batch(db, zones, {f}, o, report);
                } catch (const std::exception& e) {
                    report.add_error(f->id, "", "FIRM_RUN_FAILED", e.what());
                }
            }
        }
        batch.clear();
        in_batch = 0;
    };
    for (const auto& f : firms) {
        if (f.engagements == 0) {  // nothing to read or write
            report.firms += 1;
            continue;
        }
        batch.push_back(&f);
        in_batch += f.engagements;
        if (in_batch >= o.batch_engagements) flush();
    }
    flush();
    return report;
}

RunReport run_firm_date(storage::Database& db, const std::string& firm_id, const time::Date& date,
                        const RunOptions& o, const std::function<void(storage::Transaction&)>& also) {
    RunReport part;
    part.date = date;
    part.dry_run = o.dry_run;
    with_busy_retry(o.busy_attempts, [&] {
        RunReport attempt;
        attempt.date = date;
        attempt.dry_run = o.dry_run;
        storage::Transaction tx(db);
        FirmRunInput in;
        in.firm_id = firm_id;
        in.firm = load_firm_billing(tx, firm_id);
        in.date = date;
        in.dry_run = o.dry_run;
        in.now = o.now;
        in.actor = o.actor;
        run_firm(tx, in, attempt);
        if (also) also(tx);
        if (!o.dry_run) tx.commit();
        part = std::move(attempt);
    });
    return part;
}

}  // namespace cp::server::billing
