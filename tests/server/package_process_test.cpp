// The package fee run as real processes (`cp_server run-package-invoices`) on this test's
// database, both backends: killed with SIGKILL at random instants and re-run, two runs
// started together, a run beside a live server, and the CLI's output contract. Each ends
// with every due invoice existing once, gapless numbers and intact audit chains.
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <random>
#include <thread>

#include "server/audit/audit_log.hpp"
#include "server/util/crypto.hpp"
#include "tests/server/package_seed.hpp"
#include "tests/server/support.hpp"

namespace cp::test {
namespace {

std::string server_binary() {
    if (const char* env = std::getenv("CP_SERVER_BINARY"); env && *env) return env;
#ifdef CP_SERVER_BINARY
    return CP_SERVER_BINARY;
#else
    return "cp_server";
#endif
}

struct Child {
    pid_t pid = -1;
    std::string out_path;
};

// Starts `cp_server run-package-invoices ARGS...` with stdout in a temp file.
Child start_cli(const std::vector<std::string>& args, const std::map<std::string, std::string>& env = {}) {
    Child c;
    static int n = 0;
    c.out_path = "/tmp/cp-pkg-cli-" + std::to_string(getpid()) + "-" + std::to_string(++n) + ".out";
    c.pid = fork();
    if (c.pid == 0) {
        for (const auto& [k, v] : env) setenv(k.c_str(), v.c_str(), 1);
        FILE* out = std::fopen(c.out_path.c_str(), "w");
        if (out) dup2(fileno(out), 1);
        FILE* err = std::fopen("/dev/null", "w");
        if (err) dup2(fileno(err), 2);
        std::vector<std::string> all{server_binary(), "run-package-invoices"};
        all.insert(all.end(), args.begin(), args.end());
        std::vector<char*> argv;
        for (auto& a : all) argv.push_back(a.data());
        argv.push_back(nullptr);
        execv(argv[0], argv.data());
        _exit(127);
    }
    return c;
}

struct Finished {
    int exit_code = -1;
    json output;
};

Finished wait_cli(const Child& c) {
    int status = 0;
    waitpid(c.pid, &status, 0);
    Finished f;
    f.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    std::ifstream in(c.out_path);
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    f.output = json::parse(text, nullptr, false);
    std::remove(c.out_path.c_str());
    return f;
}

class PackageProcessTest : public ServerTest {
protected:
    std::int64_t scalar(const std::string& sql, const storage::Params& params = {}) {
        storage::Transaction tx(db());
        auto v = tx.query_one(sql, params)->i64("n");
        tx.commit();
        return v;
    }

    // Every seeded engagement has exactly one invoice for March 2026, every firm's numbers
    // run 1..n without a gap and match its counter, and every audit chain verifies.
    void expect_exactly_once(const std::vector<std::string>& firms, std::int64_t engagements) {
        EXPECT_EQ(scalar("SELECT COUNT(*) AS n FROM invoices WHERE package_period_start = '2026-03-01'"),
                  engagements);
        EXPECT_EQ(scalar("SELECT COUNT(*) AS n FROM (SELECT engagement_id FROM invoices WHERE "
                         "package_period_start IS NOT NULL GROUP BY engagement_id, package_period_start "
                         "HAVING COUNT(*) > 1) d"),
                  0);
        EXPECT_EQ(scalar("SELECT COUNT(*) AS n FROM invoice_lines l JOIN invoices i ON i.id = l.invoice_id "
                         "WHERE i.package_period_start = '2026-03-01'"),
                  engagements);
        EXPECT_EQ(scalar("SELECT COUNT(*) AS n FROM audit_events WHERE action = 'invoice.issue'"), engagements);
        storage::Transaction tx(db());
        for (const auto& f : firms) {
            auto rows = tx.query("SELECT number FROM invoices WHERE firm_id = ? ORDER BY number", {f});
            for (std::size_t i = 0; i < rows.size(); ++i) {
                char want[32];
                std::snprintf(want, sizeof want, "INV-2026-%05zu", i + 1);
                ASSERT_EQ(rows[i].str("number"), want) << f;  // 1..n, no gap, no duplicate
            }
            auto seq = tx.query_one("SELECT last_value FROM number_sequences WHERE firm_id = ? AND kind = 'invoice'",
                                    {f});
            ASSERT_TRUE(seq);
            EXPECT_EQ(seq->i64("last_value"), static_cast<std::int64_t>(rows.size())) << f;
            auto v = server::audit::verify_chain(tx, f, clock->now());
            EXPECT_TRUE(v.ok()) << f << ": " << (v.problems.empty() ? "" : v.problems[0].problem);
        }
        tx.commit();
    }
};

TEST_F(PackageProcessTest, KilledAtTwentyRandomPointsThenRerunBillsExactlyOnce) {
    constexpr int kFirms = 50, kPerFirm = 100;  // 5,000 engagements
    auto firms = seed_package_firms(db(), kFirms, kPerFirm, "kill", clock->now());
    const std::vector<std::string> args{"--date", "2026-03-01", "--database", database_url()};
    // Small batches, so the kills land between many commits as well as inside them.
    const std::map<std::string, std::string> env{{"CP_PACKAGE_RUN_BATCH", "250"}};

    // How long an uninterrupted run takes here, measured on a dry run (it reads as much).
    auto t0 = std::chrono::steady_clock::now();
    auto dry = wait_cli(start_cli({"--date", "2026-03-01", "--dry-run", "--database", database_url()}, env));
    ASSERT_EQ(dry.exit_code, 0);
    ASSERT_EQ(dry.output["created"], kFirms * kPerFirm);
    const auto dry_ms =
        std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - t0).count();

    std::mt19937 rng(static_cast<unsigned>(std::random_device{}()));
    // Up to about a dry run's time: a cold run takes several times longer, so the kills land
    // inside the run (before, between and during commits), not after it finished.
    std::uniform_int_distribution<int> delay_ms(1, static_cast<int>(std::max<std::int64_t>(30, dry_ms)));
    std::string progress;
    for (int kill = 0; kill < 20; ++kill) {
        auto child = start_cli(args, env);
        const int ms = delay_ms(rng);
        std::this_thread::sleep_for(std::chrono::milliseconds(ms));
        ::kill(child.pid, SIGKILL);
        wait_cli(child);
        const auto created =
            scalar("SELECT COUNT(*) AS n FROM invoices WHERE package_period_start = '2026-03-01'");
        progress += " " + std::to_string(ms) + "ms:" + std::to_string(created);
    }
    std::cout << "[ kill -9 ] dry run " << dry_ms << " ms; kill after (ms):invoices so far:" << progress << "\n";
    auto final_run = wait_cli(start_cli(args, env));
    ASSERT_EQ(final_run.exit_code, 0) << final_run.output.dump();
    EXPECT_EQ(final_run.output["created"].get<int>() + final_run.output["already_invoiced"].get<int>(),
              kFirms * kPerFirm);
    expect_exactly_once(firms, kFirms * kPerFirm);
    // And once more: nothing.
    auto again = wait_cli(start_cli(args, env));
    EXPECT_EQ(again.output["created"], 0);
    EXPECT_EQ(again.output["already_invoiced"], kFirms * kPerFirm);
}

TEST_F(PackageProcessTest, TwoRunsStartedTogetherBillOnce) {
    constexpr int kFirms = 20, kPerFirm = 100;
    auto firms = seed_package_firms(db(), kFirms, kPerFirm, "two", clock->now());
    const std::vector<std::string> args{"--date", "2026-03-01", "--database", database_url()};
    const std::map<std::string, std::string> env{{"CP_PACKAGE_RUN_BATCH", "100"}};
    auto a = start_cli(args, env);
    auto b = start_cli(args, env);
    auto ra = wait_cli(a), rb = wait_cli(b);
    ASSERT_EQ(ra.exit_code, 0) << ra.output.dump();
    ASSERT_EQ(rb.exit_code, 0) << rb.output.dump();
    EXPECT_EQ(ra.output["created"].get<int>() + rb.output["created"].get<int>(), kFirms * kPerFirm);
    EXPECT_EQ(ra.output["already_invoiced"].get<int>() + rb.output["already_invoiced"].get<int>(),
              kFirms * kPerFirm);
    std::cout << "[ two runs ] created " << ra.output["created"] << " + " << rb.output["created"] << "\n";
    expect_exactly_once(firms, kFirms * kPerFirm);
}

TEST_F(PackageProcessTest, RunsBesideALiveServer) {
    constexpr int kFirms = 20, kPerFirm = 100;
    auto firms = seed_package_firms(db(), kFirms, kPerFirm, "live", clock->now());
    auto firm = make_firm("livefirm");
    auto child = start_cli({"--date", "2026-03-01", "--database", database_url()}, {{"CP_PACKAGE_RUN_BATCH", "200"}});
    // The server keeps writing meanwhile; every request must succeed.
    const std::string client = make_client(firm, "Busy client");
    int requests = 0;
    for (; requests < 2000; ++requests) {
        auto r = call("PATCH", "/api/v1/clients/" + client, firm.owner_token,
                      {{"billing_email", "ap" + std::to_string(requests) + "@client.test"}});
        ASSERT_EQ(r.status, 200) << r.raw.body;
        int status = 0;
        if (waitpid(child.pid, &status, WNOHANG) == child.pid) {
            // Finished: put the status back for wait_cli by reading the output only.
            std::ifstream in(child.out_path);
            std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
            std::remove(child.out_path.c_str());
            ASSERT_TRUE(WIFEXITED(status));
            EXPECT_EQ(WEXITSTATUS(status), 0) << text;
            child.pid = -1;
            break;
        }
    }
    if (child.pid > 0) {
        auto f = wait_cli(child);
        EXPECT_EQ(f.exit_code, 0) << f.output.dump();
    }
    std::cout << "[ beside a server ] " << requests << " API writes during the run\n";
    expect_exactly_once(firms, kFirms * kPerFirm);
}

TEST_F(PackageProcessTest, CliContract) {
    auto firms = seed_package_firms(db(), 2, 3, "cli", clock->now());
    auto dry = wait_cli(start_cli({"--date", "2026-03-01", "--dry-run", "--database", database_url()}));
    ASSERT_EQ(dry.exit_code, 0);
    std::vector<std::string> keys;
    for (auto& [k, v] : dry.output.items()) keys.push_back(k);
    EXPECT_EQ(keys, (std::vector<std::string>{"already_invoiced", "created", "date", "engagements", "errors",
                                              "firms", "invoices", "skipped"}));
    EXPECT_EQ(dry.output["date"], "2026-03-01");
    EXPECT_EQ(dry.output["created"], 6);
    EXPECT_EQ(scalar("SELECT COUNT(*) AS n FROM invoices"), 0);

    auto one = wait_cli(start_cli({"--date", "2026-03-01", "--firm", firms[0], "--database", database_url()}));
    EXPECT_EQ(one.exit_code, 0);
    EXPECT_EQ(one.output["firms"], 1);
    EXPECT_EQ(one.output["created"], 3);
    EXPECT_EQ(one.output["invoices"].size(), 3u);

    auto missing = wait_cli(start_cli({"--firm", "frm_nope", "--database", database_url()}));
    EXPECT_EQ(missing.exit_code, 1);
    EXPECT_EQ(missing.output["errors"][0]["code"], "FIRM_NOT_FOUND");
    EXPECT_EQ(wait_cli(start_cli({"--date", "2026-3-1", "--database", database_url()})).exit_code, 2);
    // A mistyped --data-dir is an error, not "nothing to bill" from an empty database made on the spot.
    const auto nowhere = std::filesystem::temp_directory_path() / ("cp-no-db-" + server::new_id("t"));
    EXPECT_EQ(wait_cli(start_cli({"--data-dir", nowhere.string()})).exit_code, 1);
    EXPECT_FALSE(std::filesystem::exists(nowhere));
}

}  // namespace
}  // namespace cp::test
