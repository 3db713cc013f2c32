// The package fee run over many engagements (issue "Billing II"): seeds FIRMS firms with
// PER_FIRM monthly package engagements each, then times the run for 2026-03-01 cold (every
// invoice created) and again (nothing to create), through the server's own run function.
// Prints figures; not a test. Usage:
//   package_run_bench [--database sqlite:/tmp/x.db | postgresql://…] [--firms 1000] [--per-firm 100]
//                     [--batch 5000] (engagements per transaction, as CP_PACKAGE_RUN_BATCH for the CLI)
// PostgreSQL runs in a fresh schema that is dropped afterwards.
#include <sys/resource.h>

#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <string>

#include "server/billing/package_run.hpp"
#include "server/storage/migrations/migrations.hpp"
#include "server/util/crypto.hpp"
#include "tests/server/package_seed.hpp"

namespace {

double seconds_since(std::chrono::steady_clock::time_point t0) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

// CPU seconds (user + system) of this process so far: on a loaded machine the wall time
// mostly measures the other processes, the CPU time what the run itself costs.
double cpu_seconds() {
    rusage u{};
    getrusage(RUSAGE_SELF, &u);
    auto s = [](const timeval& t) { return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_usec) / 1e6; };
    return s(u.ru_utime) + s(u.ru_stime);
}

// CPU seconds of the calling thread: the run's critical path (composing runs on a second
// thread beside it), so on an idle machine with two cores the wall time approaches this.
double thread_cpu_seconds() {
    timespec t{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
    return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_nsec) / 1e9;
}

}  // namespace

int main(int argc, char** argv) {
    std::string url;
    int firms = 1000, per_firm = 100, batch = 5000;
    for (int i = 1; i + 1 < argc; i += 2) {
        if (!std::strcmp(argv[i], "--database")) url = argv[i + 1];
        if (!std::strcmp(argv[i], "--firms")) firms = std::atoi(argv[i + 1]);
        if (!std::strcmp(argv[i], "--per-firm")) per_firm = std::atoi(argv[i + 1]);
        if (!std::strcmp(argv[i], "--batch")) batch = std::atoi(argv[i + 1]);
    }
    std::string sqlite_file, schema;
    if (url.empty()) {
        sqlite_file = (std::filesystem::temp_directory_path() / ("cp-bench-" + cp::server::random_token().substr(0, 8) + ".db")).string();
        url = "sqlite:" + sqlite_file;
    }
    if (url.rfind("postgres", 0) == 0) schema = "bench_" + cp::server::random_token().substr(0, 8);
    const std::int64_t now = 1'790'000'000;
    auto db = cp::storage::open_database(url, schema);
    cp::storage::migrate(*db, now);
    auto t0 = std::chrono::steady_clock::now();
    cp::test::seed_package_firms(*db, firms, per_firm, "bench", now);
    const std::int64_t total = std::int64_t{firms} * per_firm;
    std::printf("backend: %s, %d firms x %d engagements = %lld (seeded in %.1f s)\n", db->backend().c_str(), firms,
                per_firm, static_cast<long long>(total), seconds_since(t0));

    cp::server::Zones zones;
    cp::server::billing::RunOptions o;
    o.date = cp::time::Date{2026, 3, 1};
    o.now = now;
    o.batch_engagements = batch;
    o.actor.actor_type = "system";
    o.actor.actor_id = "bench";
    int rc = 0;
    for (const char* label : {"cold", "re-run"}) {
        t0 = std::chrono::steady_clock::now();
        const double cpu0 = cpu_seconds(), main0 = thread_cpu_seconds();
        auto report = cp::server::billing::run_package_invoices(*db, zones, o);
        const double s = seconds_since(t0), cpu = cpu_seconds() - cpu0, main_cpu = thread_cpu_seconds() - main0;
        std::printf("%-7s %6.2f s (cpu %.2f s, of which the writing thread %.2f s)  %9.0f engagements/s  "
                    "created %lld, already invoiced %lld, errors %zu\n",
                    label, s, cpu, main_cpu, static_cast<double>(total) / s, static_cast<long long>(report.created),
                    static_cast<long long>(report.already_invoiced), report.errors.size());
        if (report.failed()) rc = 1;
    }
    db.reset();
    if (!schema.empty()) cp::storage::open_database(url)->exec_script("DROP SCHEMA \"" + schema + "\" CASCADE");
    if (!sqlite_file.empty()) {
        for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(sqlite_file + suffix);
    }
    return rc;
}
