#include "tests/server/support.hpp"

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <filesystem>

#include "server/auth/passwords.hpp"
#include "server/http/request_target.hpp"
#include "server/storage/migrations/migrations.hpp"
#include "server/util/crypto.hpp"

namespace cp::test {

std::optional<std::string> Reply::header(const std::string& name) const {
    std::string want = name;
    std::transform(want.begin(), want.end(), want.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    for (const auto& [k, v] : raw.headers) {
        std::string key = k;
        std::transform(key.begin(), key.end(), key.begin(),
                       [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
        if (key == want) return v;
    }
    return std::nullopt;
}

std::string backend_name() {
    const char* b = std::getenv("CP_TEST_DATABASE");
    return b && std::string(b) == "postgresql" ? "postgresql" : "sqlite";
}

void ServerTest::SetUp() {
    clock = std::make_shared<server::ManualClock>(1'790'000'000);  // 2026-09-21
    config.passwords = server::PasswordParams::minimum();
    // Tests fire bursts of parallel member adds; the bounded queue has its own tests.
    config.password_queue = 64;
    std::unique_ptr<storage::Database> database;
    if (backend_name() == "postgresql") {
        const char* url = std::getenv("CP_TEST_POSTGRES_URL");
        ASSERT_TRUE(url && *url)
            << "CP_TEST_DATABASE=postgresql needs CP_TEST_POSTGRES_URL (use scripts/with-postgres)";
        schema_ = "t_" + server::random_token().substr(0, 16);
        database = storage::open_database(url, schema_);
    } else {
        sqlite_path_ = (std::filesystem::temp_directory_path() /
                        ("cp-test-" + server::random_token().substr(0, 16) + ".db"))
                           .string();
        database = storage::open_database("sqlite:" + sqlite_path_);
    }
    storage::migrate(*database, clock->now());
    app = std::make_unique<server::App>(std::move(database), clock, config);
}

std::unique_ptr<server::App> ServerTest::another_app() {
    auto database = schema_.empty() ? storage::open_database("sqlite:" + sqlite_path_)
                                    : storage::open_database(std::getenv("CP_TEST_POSTGRES_URL"), schema_);
    return std::make_unique<server::App>(std::move(database), clock, config);
}

std::string ServerTest::database_url() const {
    if (schema_.empty()) return "sqlite:" + sqlite_path_;
    std::string url = std::getenv("CP_TEST_POSTGRES_URL");
    return url + (url.find('?') == std::string::npos ? "?" : "&") + "options=-csearch_path%3D" + schema_;
}

void ServerTest::TearDown() {
    app.reset();
    if (!schema_.empty()) {
        auto admin = storage::open_database(std::getenv("CP_TEST_POSTGRES_URL"));
        admin->exec_script("DROP SCHEMA \"" + schema_ + "\" CASCADE");
    }
    if (!sqlite_path_.empty()) {
        for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(sqlite_path_ + suffix);
    }
}

Reply ServerTest::raw_call(const std::string& method, const std::string& target, const std::string& token,
                           const std::string& body, std::map<std::string, std::string> headers) {
    http::Request req;
    req.method = method;
    req.target = target;
    auto parsed = http::parse_target(target);
    EXPECT_TRUE(parsed) << target;
    if (parsed) {
        req.path = parsed->path;
        req.query = parsed->query;
    }
    req.body = body;
    req.remote_address = remote_address;
    if (!token.empty()) headers["authorization"] = "Bearer " + token;
    if (!body.empty()) headers.emplace("content-type", "application/json");  // unless the test chose one
    req.headers = std::move(headers);
    Reply r;
    r.raw = app->handle(req);
    r.status = r.raw.status;
    r.body = json::parse(r.raw.body, nullptr, false);
    return r;
}

Reply ServerTest::call(const std::string& method, const std::string& target, const std::string& token,
                       const json& body, std::map<std::string, std::string> headers) {
    return raw_call(method, target, token, body.is_null() ? "" : body.dump(), std::move(headers));
}

std::string ServerTest::login(const std::string& email, const std::string& password, const json& extra) {
    json body = extra;
    body["email"] = email;
    body["password"] = password;
    auto r = call("POST", "/api/v1/auth/login", "", body);
    EXPECT_EQ(r.status, 200) << r.raw.body;
    return r.body.value("token", "");
}

Firm ServerTest::make_firm(const std::string& slug) {
    Firm f;
    f.slug = slug;
    f.owner_email = "owner@" + slug + ".test";
    // Each firm signs up from its own address: the per-address sign-up limit has its own tests.
    static int signups = 0;
    const std::string address = remote_address;
    remote_address = "198.51.100." + std::to_string(++signups % 250 + 1);
    auto r =
        call("POST", "/api/v1/firms", "",
             {{"name", "Firm " + slug},
              {"slug", slug},
              {"owner", {{"email", f.owner_email}, {"name", "Owner " + slug}, {"password", kPassword}}}});
    remote_address = address;
    EXPECT_EQ(r.status, 201) << r.raw.body;
    f.id = r.body["firm"].value("id", "");
    f.owner_membership_id = r.body["owner"].value("membership_id", "");
    f.owner_token = login(f.owner_email);
    return f;
}

std::string ServerTest::add_member(const Firm& firm, const std::string& role, const std::string& email) {
    auto r = call("POST", "/api/v1/memberships", firm.owner_token,
                  {{"email", email}, {"name", role + " person"}, {"role", role}, {"password", kPassword}});
    EXPECT_EQ(r.status, 201) << r.raw.body;
    return login(email, kPassword, {{"firm", firm.slug}});
}

std::string ServerTest::make_client(const Firm& firm, const std::string& name) {
    auto r = call("POST", "/api/v1/clients", firm.owner_token,
                  {{"company_name", name}, {"billing_email", "ap@client.test"}, {"portal_enabled", true}});
    EXPECT_EQ(r.status, 201) << r.raw.body;
    return r.body.value("id", "");
}

std::string ServerTest::make_engagement(const Firm& firm, const std::string& client_id) {
    auto r = call("POST", "/api/v1/engagements", firm.owner_token,
                  {{"client_id", client_id},
                   {"name", "Advisory"},
                   {"pricing_mode", "package"},
                   {"package_fee", "1500.00"},
                   {"start_date", "2026-01-01"},
                   {"end_date", "2026-12-31"}});
    EXPECT_EQ(r.status, 201) << r.raw.body;
    return r.body.value("id", "");
}

std::string ServerTest::make_portal_user(const Firm& firm, const std::string& client_id,
                                         const std::string& email, bool can_view_billing,
                                         bool can_view_projects) {
    auto r = call("POST", "/api/v1/clients/" + client_id + "/portal-users", firm.owner_token,
                  {{"email", email},
                   {"name", "Portal person"},
                   {"password", kPassword},
                   {"can_view_billing", can_view_billing},
                   {"can_view_projects", can_view_projects}});
    EXPECT_EQ(r.status, 201) << r.raw.body;
    return login(email);
}

std::string ServerTest::make_invoice(const Firm& firm, const std::string& client_id,
                                     const std::string& status) {
    static int counter = 0;
    std::string id = server::new_id("inv");
    storage::Transaction tx(db());
    tx.exec(
        "INSERT INTO invoices (id, firm_id, client_id, number, status, currency, tax_mode, issue_date, "
        "due_date, "
        "subtotal, tax, total, amount_paid, balance_due, created_at, updated_at) "
        "VALUES (?, ?, ?, ?, ?, 'USD', 'per_line', '2026-09-01', '2026-10-01', 10000, 0, 10000, 0, 10000, ?, "
        "?)",
        {id, firm.id, client_id,
         status == "draft" ? storage::Param(nullptr) : storage::Param("T-" + std::to_string(++counter)),
         status, clock->now(), clock->now()});
    tx.exec(
        "INSERT INTO invoice_lines (id, firm_id, invoice_id, position, kind, description, quantity, "
        "unit_price, "
        "tax_rate, amount) VALUES (?, ?, ?, 0, 'adjustment', 'Work', '1', '100.00', '0', 10000)",
        {server::new_id("lin"), firm.id, id});
    tx.commit();
    return id;
}

std::string ServerTest::make_operator(const std::string& email, bool can_break_glass) {
    {
        storage::Transaction tx(db());
        tx.exec(
            "INSERT INTO platform_operators (id, email, name, password_hash, can_break_glass, created_at) "
            "VALUES (?, ?, 'Operator', ?, ?, ?)",
            {server::new_id("op"), email, server::hash_password(kPassword, config.passwords),
             std::int64_t{can_break_glass}, clock->now()});
        tx.commit();
    }
    return login(email, kPassword, {{"kind", "operator"}});
}

}  // namespace cp::test
