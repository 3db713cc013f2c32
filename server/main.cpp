// cp_server: ConsultantPro's API server. Flags (environment in brackets):
//   --port N [CP_PORT, 8080]   --host H [127.0.0.1]   --data-dir D [CP_DATA_DIR, var/]
//   --database URL [CP_DATABASE_URL, sqlite:<data-dir>/cp.db; or postgresql://...]
//   --web-root DIR [CP_WEB_ROOT, build/web]   --threads N [2] (I/O)   --workers N [16] (handlers)
//   --migrate-only   --seed-only   --no-seed   --no-scheduler (no daily package fee run in the server)
// Throughput: --db-pool N [2 x cores, >= 4] (SQLite readers beside the one writer; PostgreSQL
//   connections)   --request-timeout S [10] (a request's deadline)   --idle-timeout S [30]
//   --queue N [1024] (requests waiting for a worker before 503)   --metrics-port N (GET /metrics
//   on 127.0.0.1 only; off unless given)
// Subcommands: `cp_server verify-audit` (exit 1 on any broken chain), `cp_server apply-retention`,
// `cp_server create-operator EMAIL NAME [--break-glass]` (password from CP_OPERATOR_PASSWORD),
// `cp_server run-package-invoices [--date YYYY-MM-DD] [--firm FIRM_ID] [--dry-run]` (one JSON
// object on stdout; exit 1 when anything failed).
// Billing III: `cp_server run-autopay [--firm ID] [--now ISO-8601] [--database URL | --data-dir DIR]`
// (one JSON summary on stdout; exit 1 when anything failed; --now only with the sandbox),
// `--processor sandbox|stripe` [CP_PROCESSOR, sandbox], `--no-autopay-scheduler`.
// Billing IV: `--stripe-webhook-secret whsec_…` [CP_STRIPE_WEBHOOK_SECRET]: without it
// POST /api/v1/webhooks/stripe answers 503 WEBHOOKS_NOT_CONFIGURED.
// Firm exit: `cp_server verify-export FILE` (exit 1 when anything fails); archives go to
// <data-dir>/exports [CP_EXPORT_DIR]; `cp_server run-offboarding [--now ISO-8601]` runs
// pending exports and due purges once (as of --now).
// CRM: `cp_server run-crm-signals [--date YYYY-MM-DD] [--firm ID]` raises the follow-up alerts
// (untouched leads, expiring proposals) as of each firm's local today or --date, each once.
// Scale-out: `--drain-seconds S` [CP_DRAIN_SECONDS, 0]: on SIGTERM/SIGINT /readyz answers 503
// DRAINING at once, requests are still served for S seconds (a balancer's health check takes
// the server out meanwhile), then the listener closes and in-flight requests finish. On
// PostgreSQL the background jobs elect one runner per job (storage::JobLease); on SQLite a
// second process serving the same file with its jobs on gets a warning at start.
// `--job-poll-seconds S` [30]: how often the package run and autopay look for due work.
#include <sys/file.h>
#include <fcntl.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <vector>

#include "server/app/context.hpp"
#include "server/app/metrics_listener.hpp"
#include "server/app/sentry_sink.hpp"
#include "server/audit/audit_log.hpp"
#include "server/auth/passwords.hpp"
#include "server/billing/package_run.hpp"
#include "server/billing/package_scheduler.hpp"
#include "server/crm/crm_signals.hpp"
#include "server/http/static_files.hpp"
#include "server/http/transport.hpp"
#include "server/payments/autopay_scheduler.hpp"
#include "server/email/outbox.hpp"
#include "server/email/outbox_sender.hpp"
#include "server/payments/processor.hpp"
#include "server/exit/export_verify.hpp"
#include "server/exit/firm_exit.hpp"
#include "server/seed/demo_seed.hpp"
#include "server/storage/migrations/migrations.hpp"
#include "server/util/crypto.hpp"
#include "shared/time/civil.hpp"

namespace {

// A URL for the banner: "smtp://user:secret@host" prints as "smtp://host".
std::string without_userinfo(const std::string& url) {
    const auto scheme = url.find("://");
    const auto at = url.find('@', scheme == std::string::npos ? 0 : scheme + 3);
    if (scheme == std::string::npos || at == std::string::npos) return url;
    return url.substr(0, scheme + 3) + url.substr(at + 1);
}

std::string env_or(const char* name, const std::string& fallback) {
    const char* v = std::getenv(name);
    return v && *v ? v : fallback;
}

int usage() {
    std::cerr << "usage: cp_server [verify-audit|apply-retention] [--port N] [--host H] [--data-dir D]\n"
                 "                 [--database URL] [--web-root DIR] [--threads N] [--workers N]\n"
                 "                 [--migrate-only] [--seed-only] [--no-seed] [--no-scheduler]\n"
                 "                 [--processor sandbox|stripe] [--no-autopay-scheduler]\n"
                 "                 [--stripe-webhook-secret SECRET]\n"
                 "       cp_server verify-export FILE\n"
                 "       cp_server run-offboarding [--now ISO-8601] [--database URL | --data-dir DIR]\n"
                 "                 [--db-pool N] [--request-timeout S] [--idle-timeout S] [--queue N]\n"
                 "                 [--metrics-port N] [--drain-seconds S] [--job-poll-seconds S]\n"
                 "       cp_server run-package-invoices [--date YYYY-MM-DD] [--firm FIRM_ID] [--dry-run]\n"
                 "                 [--database URL | --data-dir DIR]\n"
                 "       cp_server run-autopay [--firm ID] [--now ISO-8601] [--processor sandbox|stripe]\n"
                 "                 [--database URL | --data-dir DIR]\n"
                 "       cp_server run-crm-signals [--date YYYY-MM-DD] [--firm ID] [--database URL | --data-dir DIR]\n";
    return 2;
}

int verify_audit(cp::storage::Database& db, std::int64_t now) {
    cp::storage::Transaction tx(db);
    bool ok = true;
    for (const auto& chain : cp::server::audit::chain_ids(tx)) {
        auto v = cp::server::audit::verify_chain(tx, chain, now);
        std::cout << (v.ok() ? "ok     " : "BROKEN ") << chain << " (" << v.checked << " events)\n";
        for (const auto& p : v.problems) std::cout << "       seq " << p.seq << ": " << p.problem << "\n";
        ok = ok && v.ok();
    }
    tx.commit();
    return ok ? 0 : 1;
}

// The package fee run (server/billing/package_run.hpp): one JSON object on stdout, exit 1
// when any firm or invoice failed, 2 on a bad flag.
int run_package_invoices(cp::storage::Database& db, std::int64_t now, const std::string& date,
                         const std::string& firm, bool dry_run) {
    cp::server::billing::RunOptions o;
    if (!date.empty()) {
        auto d = cp::time::parse_iso_date(date);
        if (!d) {
            std::cerr << "run-package-invoices: --date must be YYYY-MM-DD\n";
            return 2;
        }
        o.date = *d;
    }
    if (!firm.empty()) o.firm_id = firm;
    o.dry_run = dry_run;
    o.now = now;
    o.actor.actor_type = "system";
    o.actor.actor_id = "cli:run-package-invoices";
    // Engagements per transaction (default 5000); tests make it small to kill between commits.
    if (const char* batch = std::getenv("CP_PACKAGE_RUN_BATCH"); batch && std::atoi(batch) > 0)
        o.batch_engagements = std::atoi(batch);
    cp::server::Zones zones;
    auto report = cp::server::billing::run_package_invoices(db, zones, o);
    std::cout << report.to_json().dump() << "\n";
    return report.failed() ? 1 : 0;
}

// The autopay runner (server/payments/payment_service.hpp): one JSON object on stdout, exit
// 1 when any charge hit an error, 2 on a bad flag.
int run_autopay(cp::storage::Database& db, cp::server::payments::Processor& processor, std::int64_t now,
                const std::string& now_text, const std::string& firm) {
    cp::server::payments::RunOptions o;
    o.now = now;
    if (!now_text.empty()) {
        if (processor.name() != "sandbox") {
            std::cerr << "run-autopay: --now is accepted only with the sandbox processor\n";
            return 2;
        }
        auto t = cp::time::parse_iso_instant(now_text);
        if (!t) {
            std::cerr << "run-autopay: --now must be ISO-8601, e.g. 2026-10-21T09:00:00Z\n";
            return 2;
        }
        o.now = *t;
    }
    if (!firm.empty()) o.firm_id = firm;
    o.actor.actor_type = "system";
    o.actor.actor_id = "cli:run-autopay";
    cp::server::Zones zones;
    auto report = cp::server::payments::run_autopay(db, zones, processor, o);
    std::cout << report.to_json().dump() << "\n";
    return report.errors > 0 ? 1 : 0;
}

// The CRM follow-ups (server/crm/crm_signals.hpp): one JSON object on stdout, exit 1 when a
// firm failed, 2 on a bad flag.
int run_crm_signals(cp::storage::Database& db, std::int64_t now, const std::string& date, const std::string& firm) {
    cp::server::crm::SignalOptions o;
    o.now = now;
    o.actor_id = "cli:run-crm-signals";
    if (!date.empty()) {
        auto d = cp::time::parse_iso_date(date);
        if (!d) {
            std::cerr << "run-crm-signals: --date must be YYYY-MM-DD\n";
            return 2;
        }
        o.date = *d;
    }
    if (!firm.empty()) o.firm_id = firm;
    cp::server::Zones zones;
    auto report = cp::server::crm::run_crm_signals(db, zones, o);
    std::cout << report.to_json().dump() << "\n";
    return report.errors.empty() ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
    std::map<std::string, std::string> opt{{"port", env_or("CP_PORT", "8080")},
                                           {"host", "127.0.0.1"},
                                           {"data-dir", env_or("CP_DATA_DIR", "var")},
                                           {"database", env_or("CP_DATABASE_URL", "")},
                                           {"web-root", env_or("CP_WEB_ROOT", "build/web")},
                                           {"threads", "2"},
                                           {"workers", "16"},
                                           {"db-pool", "0"},
                                           {"request-timeout", "10"},
                                           {"idle-timeout", "30"},
                                           {"queue", "1024"},
                                           {"drain-seconds", env_or("CP_DRAIN_SECONDS", "0")},
                                           {"job-poll-seconds", "30"},
                                           {"metrics-port", ""},
                                           {"date", ""},
                                           {"processor", env_or("CP_PROCESSOR", "sandbox")},
                                           {"stripe-webhook-secret", env_or("CP_STRIPE_WEBHOOK_SECRET", "")},
                                           {"now", ""},
                                           {"firm", ""}};
    std::string command;
    std::vector<std::string> args;
    bool migrate_only = false, seed_only = false, no_seed = false, break_glass = false, dry_run = false,
         no_scheduler = false;
    bool no_autopay_scheduler = false;
    for (int i = 1; i < argc; ++i) {
        std::string a = argv[i];
        if (a == "--migrate-only")
            migrate_only = true;
        else if (a == "--seed-only")
            seed_only = true;
        else if (a == "--no-seed")
            no_seed = true;
        else if (a == "--break-glass")
            break_glass = true;
        else if (a == "--dry-run")
            dry_run = true;
        else if (a == "--no-scheduler")
            no_scheduler = true;
        else if (a == "--no-autopay-scheduler")
            no_autopay_scheduler = true;
        else if (a == "--help" || a == "-h")
            return usage(), 0;
        else if (a.rfind("--", 0) == 0) {
            std::string key = a.substr(2), value;
            if (auto eq = key.find('='); eq != std::string::npos) {
                value = key.substr(eq + 1);
                key = key.substr(0, eq);
            } else if (i + 1 < argc) {
                value = argv[++i];
            } else {
                return usage();
            }
            if (!opt.count(key)) return usage();
            opt[key] = value;
        } else if (command.empty()) {
            command = a;
        } else {
            args.push_back(a);
        }
    }
    try {
        // Offline: checks an export archive without any database.
        if (command == "verify-export") {
            if (args.size() != 1) {
                std::cerr << "usage: cp_server verify-export FILE\n";
                return 2;
            }
            auto check = cp::server::exit::verify_export_file(args[0]);
            nlohmann::json out = check.summary;
            out["file"] = args[0];
            out["ok"] = check.ok();
            out["problems"] = check.problems;
            std::cout << out.dump(2) << "\n";
            return check.ok() ? 0 : 1;
        }
        // The batch commands work on an existing store: a mistyped --data-dir must not answer
        // "nothing to do" from a database it just created.
        const bool batch = command == "run-package-invoices" || command == "run-autopay" ||
                           command == "run-offboarding" || command == "run-crm-signals" ||
                           command == "verify-audit" || command == "apply-retention";
        if (opt["database"].empty()) {
            if (!batch) std::filesystem::create_directories(opt["data-dir"]);
            opt["database"] = "sqlite:" + (std::filesystem::path(opt["data-dir"]) / "cp.db").string();
        }
        if (const std::string file = opt["database"].rfind("sqlite:", 0) == 0 ? opt["database"].substr(7) : "";
            batch && !file.empty() && file != ":memory:" && !std::filesystem::exists(file)) {
            std::cerr << "cp_server " << command << ": no database at " << file << " (start the server once to create it, or check --data-dir / --database)\n";
            return 1;
        }
        if (command == "run-autopay") {
            try {
                cp::server::payments::make_processor(opt["processor"]);
            } catch (const std::invalid_argument& e) {  // a bad flag, like the others: exit 2
                std::cerr << "run-autopay: " << e.what() << "\n";
                return 2;
            }
        }
        auto clock = std::make_shared<cp::server::SystemClock>();
        const auto pool = static_cast<std::size_t>(std::max(0, std::stoi(opt["db-pool"])));
        auto db = cp::storage::open_database(opt["database"], "", pool);
        auto applied = cp::storage::migrate(*db, clock->now());
        // stdout of run-package-invoices and run-autopay is their one JSON object.
        if (!applied.empty())
            (command == "run-package-invoices" || command == "run-autopay" || command == "run-offboarding" ||
                     command == "run-crm-signals"
                 ? std::cerr
                 : std::cout)
                << "migrations applied: " << applied.size() << "\n";
        if (command == "run-package-invoices") {
            if (!args.empty()) return usage();
            return run_package_invoices(*db, clock->now(), opt["date"], opt["firm"], dry_run);
        }
        if (command == "run-crm-signals") {
            if (!args.empty()) return usage();
            return run_crm_signals(*db, clock->now(), opt["date"], opt["firm"]);
        }
        auto processor = cp::server::payments::make_processor(opt["processor"]);
        if (command == "run-autopay") {
            if (!args.empty()) return usage();
            return run_autopay(*db, *processor, clock->now(), opt["now"], opt["firm"]);
        }
        if (command == "run-offboarding") {
            // Runs pending exports and the purges that fell due, as of --now when given (the
            // server does the same every minute): a person can walk a firm through retention
            // and purge without waiting 37 days.
            if (!args.empty() || !opt["firm"].empty()) return usage();
            std::int64_t now = clock->now();
            if (!opt["now"].empty()) {
                auto t = cp::time::parse_iso_instant(opt["now"]);
                if (!t) {
                    std::cerr << "run-offboarding: --now must be ISO-8601 (2026-12-31T12:00:00Z)\n";
                    return 2;
                }
                now = *t;
            }
            const std::string dir = env_or("CP_EXPORT_DIR", (std::filesystem::path(opt["data-dir"]) / "exports").string());
            const int exports = cp::server::exit::run_pending_exports(*db, dir, now);
            const int purged = cp::server::exit::run_due_purges(*db, dir, now);
            std::cout << nlohmann::json{{"now", cp::time::format_iso_instant(now)}, {"exports", exports}, {"purged", purged}}.dump()
                      << "\n";
            return 0;
        }
        if (!opt["now"].empty() || !opt["firm"].empty() || !opt["date"].empty()) return usage();
        if (command == "verify-audit") return verify_audit(*db, clock->now());
        if (command == "apply-retention") {
            cp::storage::Transaction tx(*db);
            auto n = cp::server::audit::apply_retention(tx, clock->now());
            tx.commit();
            std::cout << "audit events redacted: " << n << "\n";
            return 0;
        }
        if (command == "create-operator") {
            const char* password = std::getenv("CP_OPERATOR_PASSWORD");
            if (args.size() != 2 || !password || std::string(password).size() < 12) {
                std::cerr << "create-operator EMAIL NAME [--break-glass], password (>= 12 chars) in "
                             "CP_OPERATOR_PASSWORD\n";
                return 2;
            }
            cp::storage::Transaction tx(*db);
            tx.exec(
                "INSERT INTO platform_operators (id, email, name, password_hash, can_break_glass, "
                "created_at) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                {cp::server::new_id("op"), args[0], args[1],
                 cp::server::hash_password(password, cp::server::PasswordParams::interactive()),
                 std::int64_t{break_glass}, clock->now()});
            cp::server::audit::Event e;
            e.firm_id = cp::server::audit::kPlatformChain;
            e.category = "PERMISSIONS";
            e.action = "operator.create";
            e.severity = "WARNING";
            e.target_type = "operator";
            e.target_label = args[0];
            e.metadata = {{"can_break_glass", break_glass}};
            cp::server::audit::append(tx, e, clock->now());
            tx.commit();
            std::cout << "operator " << args[0] << " created\n";
            return 0;
        }
        if (!command.empty() || !args.empty()) return usage();
        if (migrate_only) return 0;
        {
            // Retention also runs at every start, so a server that is never cron'd still complies.
            cp::storage::Transaction tx(*db);
            cp::server::audit::apply_retention(tx, clock->now());
            // Expired or revoked sessions are useless after a month (kept that long for forensics).
            tx.exec("DELETE FROM sessions WHERE expires_at < ? OR revoked_at < ?",
                    {clock->now() - 30 * 86400, clock->now() - 30 * 86400});
            tx.commit();
        }

        cp::server::AppConfig config;
        // Argon2id on half the cores at most: the other half keeps answering everything else.
        // Checks running or waiting hold request workers, so they may hold three quarters of
        // them at most: the rest stay free for everything else (or a flood starves /healthz).
        config.password_workers = static_cast<int>(std::max(1u, std::thread::hardware_concurrency() / 2));
        const int request_workers = std::max(4, std::stoi(opt["workers"]));
        const int kept_free = std::max(2, request_workers / 4);
        config.password_workers = std::min(config.password_workers, request_workers - kept_free - 1);
        config.password_queue =
            static_cast<std::size_t>(std::max(1, request_workers - kept_free - config.password_workers));
        if (!no_seed) {
            auto logins = cp::server::seed_demo_if_empty(*db, clock->now(), config.passwords);
            if (!logins.empty()) {
                std::cout << "Seeded the demo firm \"Demo Consulting LLC\". Demo logins (demo data only):\n";
                for (const auto& l : logins) {
                    std::cout << "  " << l.email << "  /  " << l.password << "   " << l.what << "\n";
                }
                // The autopay demo falls due in two weeks: these rehearse its whole schedule now.
                const auto due = *cp::time::parse_iso_date(cp::server::demo_autopay_due_date(clock->now()));
                std::cout << "Rehearse autopay (Harbor Freight declines, Summit Ridge pays):\n";
                // Quoted so a PostgreSQL URL's '&' and '?' survive being pasted into a shell.
                std::string database = "'";
                for (char ch : opt["database"]) database += ch == '\'' ? std::string("'\\''") : std::string(1, ch);
                database += "'";
                for (int offset : {0, 3, 7, 14}) {
                    std::cout << "  cp_server run-autopay --database " << database << " --now "
                              << cp::time::format_iso_date(cp::time::add_days(due, offset)) << "T14:00:00Z\n";
                }
            }
        }
        if (seed_only) return 0;

        config.processor = processor;
        config.stripe_webhook_secret = opt["stripe-webhook-secret"];
        config.export_dir = env_or("CP_EXPORT_DIR", (std::filesystem::path(opt["data-dir"]) / "exports").string());
        config.request_deadline = std::chrono::seconds(std::max(1, std::stoi(opt["request-timeout"])));
        const auto smtp = cp::server::email::SmtpConfig::from_env();
        cp::server::email::set_email_configured(smtp.has_value());
        cp::server::App app(std::move(db), clock, config);
        // Where errors go (the key in the DSN is never printed).
        if (const std::string dsn = env_or("CP_SENTRY_DSN", ""); !dsn.empty()) {
            app.errors().set_sink(std::make_shared<cp::server::SentrySink>(dsn));
            std::cout << "Errors: GET /api/v1/operator/errors, and to Sentry at "
                      << cp::server::parse_sentry_dsn(dsn)->endpoint.host << " (CP_SENTRY_DSN)\n";
        } else {
            std::cout << "Errors: GET /api/v1/operator/errors (operators); set CP_SENTRY_DSN to send them to "
                         "Sentry too\n";
        }
        std::unique_ptr<cp::server::MetricsListener> metrics_listener;
        if (!opt["metrics-port"].empty()) {
            metrics_listener = std::make_unique<cp::server::MetricsListener>(
                app.metrics(), static_cast<std::uint16_t>(std::stoi(opt["metrics-port"])));
            std::cout << "Metrics: http://127.0.0.1:" << metrics_listener->port() << "/metrics (loopback only)\n";
        }
        // SQLite is one serving process per database file: its background jobs have no
        // election. A second process on the same file with them on is told so (the lock file
        // is held until this process ends; the kernel drops it when a process dies).
        int scheduler_lock_fd = -1;
        if (app.db().backend() == "sqlite" && opt["database"].rfind("sqlite:", 0) == 0 &&
            opt["database"] != "sqlite::memory:") {
            const std::string lock_path = opt["database"].substr(7) + ".schedulers.lock";
            scheduler_lock_fd = ::open(lock_path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
            if (scheduler_lock_fd >= 0 && ::flock(scheduler_lock_fd, LOCK_EX | LOCK_NB) != 0) {
                std::cout << "WARNING: another cp_server already serves " << opt["database"]
                          << " with its background jobs (" << lock_path
                          << " is locked). SQLite is one process per database file: package runs, autopay, "
                             "email and exports would run in both. Stop one, or use PostgreSQL to run several "
                             "servers (docs/deploy.md).\n"
                          << std::flush;
            }
        }
        // The daily package fee run, once per firm at its local billing_run_time.
        // Each job is polled every --job-poll-seconds (30): with several processes, a killed
        // runner's job is taken up by another within that (its lock dies with its connection).
        const int job_poll = std::max(1, std::stoi(opt["job-poll-seconds"]));
        cp::server::billing::SchedulerOptions package_options;
        package_options.poll_seconds = job_poll;
        cp::server::billing::PackageScheduler scheduler(app.db(), app.zones(), clock, package_options);
        if (!no_scheduler) scheduler.start();
        // Autopay: charges that fell due and retries whose time came, every --job-poll-seconds, on its own
        // connection and always with the real clock.
        auto autopay_db = cp::storage::open_database(opt["database"]);
        cp::server::payments::AutopayScheduler autopay(*autopay_db, processor, clock, std::chrono::seconds(job_poll));
        if (!no_autopay_scheduler) autopay.start();
        // Firm exports and offboarding purges, on their own connection.
        auto exit_db = cp::storage::open_database(opt["database"]);
        cp::server::exit::ExitRunner exit_runner(*exit_db, config.export_dir, clock);
        exit_runner.start();
        // Client email: the outbox's sender (and the reminders), on its own connection.
        cp::server::email::SenderOptions email_options;
        email_options.base_url = env_or("CP_PUBLIC_URL", "http://" + opt["host"] + ":" + opt["port"]);
        email_options.interval = std::chrono::milliseconds(std::stoll(env_or("CP_EMAIL_INTERVAL_MS", "5000")));
        email_options.pause_after_accept =
            std::chrono::milliseconds(std::stoll(env_or("CP_EMAIL_PAUSE_AFTER_ACCEPT_MS", "0")));
        auto email_db = cp::storage::open_database(opt["database"]);
        cp::server::email::OutboxSender email_sender(
            *email_db, smtp ? std::make_shared<cp::server::email::SmtpTransport>(*smtp) : nullptr, clock,
            email_options);
        // No sender of this process runs yet: leases left by a killed one are void.
        email_sender.release_leases();
        email_sender.start();
        const std::string web_root = opt["web-root"];
        cp::http::ServeOptions serve;
        serve.host = opt["host"];
        serve.port = static_cast<std::uint16_t>(std::stoi(opt["port"]));
        serve.threads = std::max(1, std::stoi(opt["threads"]));
        serve.workers = std::max(4, std::stoi(opt["workers"]));
        serve.max_queue = static_cast<std::size_t>(std::max(1, std::stoi(opt["queue"])));
        serve.request_deadline = config.request_deadline;
        serve.idle_timeout = std::chrono::seconds(std::max(1, std::stoi(opt["idle-timeout"])));
        serve.on_queue_depth = [&app](int delta) { app.metrics().queue_depth(delta); };
        serve.drain_delay = std::chrono::seconds(std::max(0, std::stoi(opt["drain-seconds"])));
        serve.on_drain = [&app, &serve] {
            app.start_draining();
            std::cout << "draining: /readyz answers 503; stopping in " << serve.drain_delay.count() / 1000
                      << " s after in-flight requests\n"
                      << std::flush;
        };
        std::cout << "ConsultantPro on http://" << serve.host << ":" << serve.port
                  << "/  (database: " << app.db().backend() << ", web root: " << web_root
                  << ", pool " << app.db().pool_size() << "). Ctrl-C stops.\n"
                  << (config.stripe_webhook_secret.empty()
                          ? "Stripe webhooks: disabled (set CP_STRIPE_WEBHOOK_SECRET or --stripe-webhook-secret).\n"
                          : "Stripe webhooks: enabled at POST /api/v1/webhooks/stripe (signing secret set).\n")
                  << (smtp ? "Email: sending through " + without_userinfo(smtp->url) + " from " + smtp->from +
                                 " (links to " + email_options.base_url + ").\n"
                           : std::string("Email: not configured (set CP_SMTP_URL and CP_SMTP_FROM): client emails "
                                         "stay in the outbox, shown as \"not sent: email not configured\".\n"))
                  << std::flush;
        std::mutex log_mutex;
        cp::http::serve(serve, [&](const cp::http::Request& req) {
            auto started = std::chrono::steady_clock::now();
            cp::http::Response response;
            // The API and health check go to the app; everything else is the portal's files.
            if (req.path == "/healthz" || req.path == "/readyz" || req.path.rfind("/api/", 0) == 0) {
                response = app.handle(req);
            } else if (req.path.rfind("/i/", 0) == 0 && (req.method == "GET" || req.method == "HEAD")) {
                // A signed invoice link: the portal page, which reads the token from the URL.
                cp::http::Request page = req;
                page.path = "/";
                page.target = "/";
                response = cp::http::serve_static(page, web_root).value_or(app.handle(req));
                response.set_header("Cache-Control", "no-store");
            } else if (auto file = cp::http::serve_static(req, web_root)) {
                response = std::move(*file);
            } else {
                response = app.handle(req);  // the app's stable JSON 404
            }
            // One structured line per request: no bodies, no tokens, no query strings.
            std::string request_id;
            for (const auto& [k, v] : response.headers) {
                if (k == "X-Request-Id") request_id = v;
            }
            auto ms = std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() -
                                                                            started)
                          .count() /
                      1000.0;
            nlohmann::json line{{"method", req.method},      {"path", req.path},
                                {"status", response.status}, {"ms", ms},
                                {"request_id", request_id},  {"remote", req.remote_address}};
            std::lock_guard lock(log_mutex);
            // Replace, never throw: a path is whatever bytes the client sent.
            std::cout << line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) << "\n" << std::flush;
            return response;
        });
        scheduler.stop();
        autopay.stop();
        exit_runner.stop();
        email_sender.stop();
        if (scheduler_lock_fd >= 0) ::close(scheduler_lock_fd);
        std::cout << "stopped\n";
        return 0;
    } catch (const std::exception& e) {
        std::cerr << "cp_server: " << e.what() << "\n";
        return 1;
    }
}
