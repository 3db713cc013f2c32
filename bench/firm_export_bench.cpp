// Firm export speed and memory (firm exit): seeds one firm with N invoice lines (default
// 1,000,000) in a temporary SQLite database, exports it through the server's own writer
// and verifier, and prints rows/s, archive size and peak RSS. Prints; never part of ctest.
#include <sys/resource.h>

#include <chrono>
#include <cstdio>
#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <string>

#include "server/exit/export_archive.hpp"
#include "server/exit/export_verify.hpp"
#include "server/seed/demo_seed.hpp"
#include "server/storage/migrations/migrations.hpp"

namespace {
// Anonymous (heap) memory now, from /proc: the export's own memory. maxrss also counts
// SQLite's memory-mapped database pages, which are the file's, not the process's.
long rss_anon_kb() {
    FILE* f = std::fopen("/proc/self/status", "r");
    if (!f) return 0;
    char line[256];
    long kb = 0;
    while (std::fgets(line, sizeof line, f)) {
        if (std::sscanf(line, "RssAnon: %ld kB", &kb) == 1) break;
    }
    std::fclose(f);
    return kb;
}
long peak_rss_kb() {
    rusage u{};
    getrusage(RUSAGE_SELF, &u);
    return u.ru_maxrss;
}
}  // namespace

int main(int argc, char** argv) {
    long rows = argc > 1 ? std::atol(argv[1]) : 1'000'000;
    const auto dir = std::filesystem::temp_directory_path() / "cp-export-bench";
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    auto db = cp::storage::open_database("sqlite:" + (dir / "cp.db").string());
    const std::int64_t now = 1'790'000'000;
    cp::storage::migrate(*db, now);
    cp::server::seed_demo_if_empty(*db, now, cp::server::PasswordParams::minimum());
    std::string firm;
    {
        cp::storage::Transaction tx(*db);
        firm = tx.query_one("SELECT id FROM firms LIMIT 1")->str("id");
        // The rows go to the demo's draft: a draft has no PDF, so the figure is the tables' rows (an issued
        // invoice holds at most 1,000 lines; each issued one adds a PDF, whose rate bench/pdf-render prints).
        auto e = tx.query_one("SELECT l.* FROM invoice_lines l JOIN invoices i ON i.id = l.invoice_id WHERE "
                              "l.firm_id = ? AND i.status = 'draft' LIMIT 1",
                              {firm});
        if (!e) {
            std::fprintf(stderr, "the demo seed has no draft invoice line to copy\n");
            return 1;
        }
        tx.exec("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?) "
                "INSERT INTO invoice_lines (id, firm_id, invoice_id, position, kind, description, quantity, "
                "unit_price, tax_rate, amount) SELECT t.id || '-' || n.i, t.firm_id, t.invoice_id, t.position + n.i, "
                "t.kind, t.description, t.quantity, t.unit_price, t.tax_rate, t.amount FROM invoice_lines t, n "
                "WHERE t.id = ?",
                {static_cast<std::int64_t>(rows), e->str("id")});
        tx.commit();
    }
    const long before = peak_rss_kb();
    const auto start = std::chrono::steady_clock::now();
    const long anon_before = rss_anon_kb();
    long anon_peak = anon_before;
    auto result = cp::server::exit::write_firm_export(*db, firm, (dir / "export.tar.gz").string(), now,
                                                      [&](std::int64_t, std::int64_t) {
                                                          anon_peak = std::max(anon_peak, rss_anon_kb());
                                                      });
    const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    const long after = peak_rss_kb();
    const auto vstart = std::chrono::steady_clock::now();
    auto check = cp::server::exit::verify_export_file((dir / "export.tar.gz").string());
    const double vs = std::chrono::duration<double>(std::chrono::steady_clock::now() - vstart).count();
    std::printf("export: %lld rows in %.2f s = %.0f rows/s, archive %.1f MB\n", static_cast<long long>(result.rows), s,
                result.rows / s, result.bytes / 1e6);
    std::printf("heap (RssAnon): %.1f MB before, peak %.1f MB during the export (growth %.1f MB)\n",
                anon_before / 1024.0, anon_peak / 1024.0, (anon_peak - anon_before) / 1024.0);
    std::printf("peak RSS incl. the memory-mapped database: %.1f MB before, %.1f MB after\n", before / 1024.0,
                after / 1024.0);
    std::printf("verify-export: %s in %.2f s\n", check.ok() ? "ok" : "FAILED", vs);
    std::filesystem::remove_all(dir);
    return check.ok() ? 0 : 1;
}
