#pragma once
// Test harness: every test gets a fresh database on the backend named by
// CP_TEST_DATABASE (sqlite: a temp file; postgresql: its own schema in the server at
// CP_TEST_POSTGRES_URL, dropped afterwards), an App with a manual clock and the cheapest
// Argon2id parameters, and helpers to call handlers directly or over loopback HTTP.
#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "server/app/context.hpp"
#include "server/http/message.hpp"
#include "server/util/clock.hpp"

namespace cp::test {

using nlohmann::json;

struct Reply {
    int status = 0;
    json body;
    http::Response raw;
    std::optional<std::string> header(const std::string& name) const;  // case-insensitive
};

struct Firm {
    std::string id, slug, owner_email, owner_token, owner_membership_id;
};

inline constexpr const char* kPassword = "correct horse battery";

std::string backend_name();  // "sqlite" or "postgresql"

class ServerTest : public ::testing::Test {
protected:
    void SetUp() override;
    void TearDown() override;

    // Builds a Request from a target like "/api/v1/clients?limit=5" and calls the app.
    Reply call(const std::string& method, const std::string& target, const std::string& token = "",
               const json& body = nullptr, std::map<std::string, std::string> headers = {});
    Reply raw_call(const std::string& method, const std::string& target, const std::string& token,
                   const std::string& body, std::map<std::string, std::string> headers = {});

    Firm make_firm(const std::string& slug);
    std::string login(const std::string& email, const std::string& password = kPassword,
                      const json& extra = json::object());
    // Adds a member with `role` to the firm (via the API) and returns a token for them.
    std::string add_member(const Firm& firm, const std::string& role, const std::string& email);
    std::string make_client(const Firm& firm, const std::string& name);
    std::string make_engagement(const Firm& firm, const std::string& client_id);
    // Creates a portal user for the client and returns its token.
    std::string make_portal_user(const Firm& firm, const std::string& client_id, const std::string& email,
                                 bool can_view_billing = true, bool can_view_projects = true);
    // Inserts an invoice straight into storage (the API has no invoice creation yet).
    std::string make_invoice(const Firm& firm, const std::string& client_id, const std::string& status);
    std::string make_operator(const std::string& email, bool can_break_glass = true);

    storage::Database& db() { return app->db(); }
    // This test's database as a URL another process can open (cp_server --database URL):
    // the SQLite file, or the PostgreSQL server with this test's schema as search_path.
    std::string database_url() const;
    // Another App on its own connection to this test's database, sharing the clock: two
    // servers at once (concurrency tests).
    std::unique_ptr<server::App> another_app();

    // The client address raw_call reports (throttles are keyed on it).
    std::string remote_address = "192.0.2.10";

    std::shared_ptr<server::ManualClock> clock;
    std::unique_ptr<server::App> app;
    server::AppConfig config;

private:
    std::string schema_;
    std::string sqlite_path_;
};

}  // namespace cp::test
