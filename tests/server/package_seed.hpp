#pragma once
// Many firms with package engagements, written straight into storage in one transaction
// (the API would take minutes for thousands): for the package run's process tests and
// bench/package-run. Firm i is "<prefix>-<i>" in UTC, USD, default settings; each has one
// client and `per_firm` current monthly package engagements for 2026 (fee 1000.00 + j).
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "server/storage/database.hpp"

namespace cp::test {

inline std::vector<std::string> seed_package_firms(storage::Database& db, int firms, int per_firm,
                                                   const std::string& prefix, std::int64_t now) {
    std::vector<std::string> ids;
    storage::Transaction tx(db);
    const std::string settings = nlohmann::json{{"tax_mode", "per_line"},
                                                {"rounding", "half_up"},
                                                {"payment_terms_days", 30},
                                                {"proration", false},
                                                {"invoice_number_prefix", "INV-"}}
                                     .dump();
    char buf[64];
    for (int i = 0; i < firms; ++i) {
        std::snprintf(buf, sizeof buf, "frm_%s_%06d", prefix.c_str(), i);
        const std::string firm = buf;
        ids.push_back(firm);
        tx.exec(
            "INSERT INTO firms (id, name, slug, status, plan, time_zone, currency, settings, created_at, "
            "updated_at) VALUES (?, ?, ?, 'active', 'enterprise', 'UTC', 'USD', ?, ?, ?)",
            {firm, "Firm " + firm, prefix + "-" + std::to_string(i), settings, now, now});
        const std::string client = "cli_" + firm.substr(4);
        tx.exec(
            "INSERT INTO clients (id, firm_id, name, status, billing_email, time_zone, portal_enabled, "
            "autopay_enabled, contacts, created_at, updated_at) VALUES (?, ?, 'Client', 'active', "
            "'ap@client.test', 'UTC', 0, 0, '[]', ?, ?)",
            {client, firm, now, now});
        for (int j = 0; j < per_firm; ++j) {
            std::snprintf(buf, sizeof buf, "eng_%s_%06d_%05d", prefix.c_str(), i, j);
            tx.exec(
                "INSERT INTO engagements (id, firm_id, client_id, name, version, status, pricing_mode, "
                "package_fee, currency, schedule, payment_terms_days, start_date, end_date, created_at, "
                "updated_at) VALUES (?, ?, ?, ?, 1, 'current', 'package', ?, 'USD', 'monthly', 30, "
                "'2026-01-01', '2026-12-31', ?, ?)",
                {std::string(buf), firm, client, "Retainer " + std::to_string(j),
                 std::int64_t{100000 + j}, now, now});
        }
    }
    tx.commit();
    return ids;
}

}  // namespace cp::test
