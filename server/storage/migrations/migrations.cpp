#include "server/storage/migrations/migrations.hpp"

#include <set>

namespace cp::storage {

std::vector<std::string> split_statements(const std::string& sql) {
    // Comments go first ("--" to end of line; our migrations hold no string literal with
    // "--" or ';'), then the text splits on ';'.
    std::string code;
    std::size_t pos = 0;
    while (pos < sql.size()) {
        std::size_t nl = sql.find('\n', pos);
        if (nl == std::string::npos) nl = sql.size();
        std::string line = sql.substr(pos, nl - pos);
        if (auto dash = line.find("--"); dash != std::string::npos) line.erase(dash);
        code += line;
        code += '\n';
        pos = nl + 1;
    }
    std::vector<std::string> out;
    std::size_t start = 0;
    while (start < code.size()) {
        std::size_t end = code.find(';', start);
        if (end == std::string::npos) end = code.size();
        std::string stmt = code.substr(start, end - start);
        if (stmt.find_first_not_of(" \t\r\n") != std::string::npos) out.push_back(stmt);
        start = end + 1;
    }
    return out;
}

const std::vector<Migration>& migrations() {
    // Files are plain SQL wrapped in a raw string literal (first and last line) so the
    // binary needs no data files at run time. Append new ones; never edit an applied one.
    static const std::vector<Migration> all = {
        {
            1,
            "core",
#include "server/storage/migrations/0001_core.sql.inc"
        },
        {
            2,
            "one_renewal",
#include "server/storage/migrations/0002_one_renewal.sql.inc"
        },
        {
            3,
            "billing",
#include "server/storage/migrations/0003_billing.sql.inc"
        },
        {
            4,
            "package_runs",
#include "server/storage/migrations/0004_package_runs.sql.inc"
        },
        {
            5,
            "payments",
#include "server/storage/migrations/0005_payments.sql.inc"
        },
        {
            6,
            "list_indexes",
#include "server/storage/migrations/0006_list_indexes.sql.inc"
        },
        {
            7,
            "credit_requests",
#include "server/storage/migrations/0007_credit_requests.sql.inc"
        },
        {
            8,
            "webhooks_disputes",
#include "server/storage/migrations/0008_webhooks_disputes.sql.inc"
        },
        {
            9,
            "invoice_links",
#include "server/storage/migrations/0009_invoice_links.sql.inc"
        },
        {
            10,
            "email_outbox",
#include "server/storage/migrations/0010_email_outbox.sql.inc"
        },
        {
            11,
            "firm_exit",
#include "server/storage/migrations/0011_firm_exit.sql.inc"
        },
        {
            12,
            "crm",
#include "server/storage/migrations/0012_crm.sql.inc"
        },
        {
            13,
            "shared_throttle",
#include "server/storage/migrations/0013_shared_throttle.sql.inc"
        },
        {
            14,
            "crm_signals_links",
#include "server/storage/migrations/0014_crm_signals_links.sql.inc"
        },
        {
            15,
            "redundant_indexes",
#include "server/storage/migrations/0015_redundant_indexes.sql.inc"
        },
        {
            16,
            "invoice_sort_indexes",
#include "server/storage/migrations/0016_invoice_sort_indexes.sql.inc"
        },
    };
    return all;
}

std::vector<int> migrate(Database& db, std::int64_t now) {
    db.exec_script(
        "CREATE TABLE IF NOT EXISTS schema_migrations (version BIGINT PRIMARY KEY, "
        "name TEXT NOT NULL, applied_at BIGINT NOT NULL)");
    std::vector<int> applied;
    // What is applied already, read without the write lock: a process that starts beside a
    // busy writer (the CLI beside a live server on SQLite) needs no write lock at all when
    // the schema is current, so it cannot be starved of one at start-up.
    std::set<std::int64_t> present;
    {
        Transaction read(db, TxMode::read);
        for (const auto& r : read.query("SELECT version FROM schema_migrations")) present.insert(r.i64("version"));
        read.commit();
    }
    for (const auto& m : migrations()) {
        if (present.count(m.version)) continue;
        Transaction tx(db);
        if (tx.query_one("SELECT version FROM schema_migrations WHERE version = ?",
                         {std::int64_t{m.version}})) {
            continue;
        }
        // Statements run one by one through the transaction so DDL and the record commit
        // together (both backends have transactional DDL).
        for (const auto& stmt : split_statements(m.sql)) tx.exec(stmt);
        tx.exec("INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)",
                {std::int64_t{m.version}, m.name, now});
        tx.commit();
        applied.push_back(m.version);
    }
    return applied;
}

}  // namespace cp::storage
