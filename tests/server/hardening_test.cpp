// Defects found by an outside probe (issue "Hardening"): each test failed before its fix.
#include <atomic>
#include <chrono>
#include <thread>
#include <vector>

#include "server/auth/password_workers.hpp"
#include "tests/server/support.hpp"

namespace cp::test {
namespace {

class Hardening : public ServerTest {};

// {"email": [[[…]]], "password": "x"}: 100,000 levels killed the process with a stack overflow.
std::string deeply_nested(const std::string& key, int depth, const std::string& rest = "") {
    return "{\"" + key + "\":" + std::string(depth, '[') + std::string(depth, ']') + rest + "}";
}

TEST_F(Hardening, DeeplyNestedJsonIs400OnEveryBodyRoute) {
    auto firm = make_firm("acme");
    auto client = make_client(firm, "Client");
    auto engagement = make_engagement(firm, client);
    const std::string member = firm.owner_membership_id;
    struct Target {
        std::string method, path, token, key;
    };
    const std::vector<Target> targets = {
        {"POST", "/api/v1/auth/login", "", "email"},
        {"POST", "/api/v1/firms", "", "owner"},
        {"PATCH", "/api/v1/memberships/" + member, firm.owner_token, "name"},
        {"POST", "/api/v1/engagements", firm.owner_token, "name"},
        {"PATCH", "/api/v1/engagements/" + engagement, firm.owner_token, "name"},
        {"POST", "/api/v1/clients/" + client + "/portal-users", firm.owner_token, "email"},
        {"POST", "/api/v1/invoices/preview", firm.owner_token, "lines"},
    };
    for (const auto& t : targets) {
        auto r = raw_call(t.method, t.path, t.token, deeply_nested(t.key, 100000, ",\"password\":\"x\""));
        EXPECT_EQ(r.status, 400) << t.path << ": " << r.raw.body.substr(0, 300);
        EXPECT_EQ(r.body["error"]["code"], "INVALID_JSON") << t.path;
        EXPECT_EQ(r.body["error"]["field"], t.key) << t.path;
        EXPECT_NE(r.body["error"]["message"].get<std::string>().find("nested more than 64 levels"),
                  std::string::npos);
    }
    // 64 levels are still read (and then refused by the validators, not the parser).
    auto at_limit = raw_call("POST", "/api/v1/auth/login", "", deeply_nested("email", 63));
    EXPECT_EQ(at_limit.status, 422) << at_limit.raw.body;
    auto past_limit = raw_call("POST", "/api/v1/auth/login", "", deeply_nested("email", 64));
    EXPECT_EQ(past_limit.status, 400) << past_limit.raw.body;
    // The server is still up and answering.
    EXPECT_EQ(call("GET", "/healthz").status, 200);
}

TEST_F(Hardening, DuplicateKeysAre400WithTheirPath) {
    auto firm = make_firm("acme");
    auto r = raw_call("POST", "/api/v1/clients", firm.owner_token,
                      R"({"company_name":"A","billing_email":"a@b.test","company_name":"B"})");
    EXPECT_EQ(r.status, 400) << r.raw.body;
    EXPECT_EQ(r.body["error"]["code"], "INVALID_JSON");
    EXPECT_EQ(r.body["error"]["field"], "company_name");
    auto nested = raw_call("POST", "/api/v1/invoices/preview", firm.owner_token,
                           R"({"currency":"USD","lines":[{"quantity":"1","quantity":"2","unit_price":"1","tax_rate":"0"}]})");
    EXPECT_EQ(nested.status, 400) << nested.raw.body;
    EXPECT_EQ(nested.body["error"]["field"], "lines.quantity");
    // Equal keys in different objects are no duplicates.
    auto fine = raw_call("POST", "/api/v1/invoices/preview", firm.owner_token,
                         R"({"currency":"USD","lines":[{"quantity":"1","unit_price":"1","tax_rate":"0"},{"quantity":"2","unit_price":"1","tax_rate":"0"}]})");
    EXPECT_EQ(fine.status, 200) << fine.raw.body;
    EXPECT_EQ(call("GET", "/api/v1/clients", firm.owner_token).body["data"].size(), 0u);
}

TEST_F(Hardening, BodiesMustBeJsonByContentType) {
    auto firm = make_firm("acme");
    const std::string body = R"({"company_name":"A","billing_email":"a@b.test"})";
    for (const std::string type : {"text/plain", "application/x-www-form-urlencoded", "", "application/jsonx"}) {
        auto r = raw_call("POST", "/api/v1/clients", firm.owner_token, body, {{"content-type", type}});
        EXPECT_EQ(r.status, 415) << type;
        EXPECT_EQ(r.body["error"]["code"], "UNSUPPORTED_MEDIA_TYPE") << type;
    }
    EXPECT_EQ(call("GET", "/api/v1/clients", firm.owner_token).body["data"].size(), 0u);
    auto ok = raw_call("POST", "/api/v1/clients", firm.owner_token, body,
                       {{"content-type", "Application/JSON; charset=utf-8"}});
    EXPECT_EQ(ok.status, 201) << ok.raw.body;
}

TEST_F(Hardening, ControlCharactersAreRefusedInNamesAndAllowedAsLineBreaksInFreeText) {
    auto firm = make_firm("acme");
    for (const std::string name : {std::string("Acme\u0000Corp", 9), std::string("Acme\nCorp"),
                                   std::string("Acme\u007fCorp"), std::string("Acme\u0085Corp")}) {
        auto r = call("POST", "/api/v1/clients", firm.owner_token,
                      {{"company_name", name}, {"billing_email", "a@b.test"}});
        EXPECT_EQ(r.status, 422) << r.raw.body;
        EXPECT_EQ(r.body["error"]["code"], "INVALID_CHARACTERS");
        EXPECT_EQ(r.body["error"]["field"], "company_name");
    }
    auto preview = call("POST", "/api/v1/invoices/preview", firm.owner_token,
                        {{"currency", "USD"},
                         {"lines", {{{"description", "Phase 1\n\tdiscovery"}, {"quantity", "1"}, {"unit_price", "5"}, {"tax_rate", "0"}}}}});
    EXPECT_EQ(preview.status, 200) << preview.raw.body;
    auto nul = call("POST", "/api/v1/invoices/preview", firm.owner_token,
                    {{"currency", "USD"},
                     {"lines", {{{"description", std::string("a\0b", 3)}, {"quantity", "1"}, {"unit_price", "5"}, {"tax_rate", "0"}}}}});
    EXPECT_EQ(nul.status, 422) << nul.raw.body;
    EXPECT_EQ(nul.body["error"]["field"], "lines[0].description");
}

TEST_F(Hardening, InvalidUtf8InThePathIs400AndAuditedUnderBreakGlass) {
    auto firm = make_firm("acme");
    auto op = make_operator("op@platform.test");
    auto s = call("POST", "/api/v1/operator/break-glass", op, {{"firm_id", firm.id}, {"reason", "ticket 7"}});
    ASSERT_EQ(s.status, 201) << s.raw.body;
    const std::string token = s.body["token"];
    auto plain = call("GET", "/%FF");
    EXPECT_EQ(plain.status, 400) << plain.raw.body;
    EXPECT_EQ(plain.body["error"]["code"], "MALFORMED_REQUEST");
    auto api = call("GET", "/api/v1/clients?q=%C0%AF", firm.owner_token);
    EXPECT_EQ(api.status, 400) << api.raw.body;
    auto broken = call("GET", "/api/v1/%FF", token);
    EXPECT_EQ(broken.status, 400) << broken.raw.body;
    EXPECT_TRUE(broken.header("X-Break-Glass"));
    auto audit = call("GET", "/api/v1/audit?category=BREAK_GLASS&action=break_glass.request", firm.owner_token);
    ASSERT_EQ(audit.status, 200);
    ASSERT_EQ(audit.body["data"].size(), 1u) << audit.raw.body;
    EXPECT_EQ(audit.body["data"][0]["metadata"]["path"], "/api/v1/%FF");
    EXPECT_EQ(audit.body["data"][0]["metadata"]["status"], 400);
    EXPECT_TRUE(call("GET", "/api/v1/audit/verify", firm.owner_token).body["ok"]);
}

TEST_F(Hardening, BearerSchemeIsCaseInsensitiveAndHeadWorksOnApiGets) {
    auto firm = make_firm("acme");
    for (const std::string scheme : {"bearer ", "BEARER ", "Bearer   "}) {
        auto r = raw_call("GET", "/api/v1/firm", "", "", {{"authorization", scheme + firm.owner_token}});
        EXPECT_EQ(r.status, 200) << scheme;
    }
    EXPECT_EQ(raw_call("GET", "/api/v1/firm", "", "", {{"authorization", "Basic " + firm.owner_token}}).status, 401);
    EXPECT_EQ(raw_call("GET", "/api/v1/firm", "", "", {{"authorization", "Bearer"}}).status, 401);
    for (const std::string path : {"/api/v1/firm", "/api/v1/clients", "/api/v1/audit", "/healthz"}) {
        EXPECT_EQ(call("HEAD", path, firm.owner_token).status, 200) << path;
    }
    EXPECT_EQ(call("HEAD", "/api/v1/auth/login").status, 405);
}

// An admin manages members, but an owner answers only to owners.
TEST_F(Hardening, AnAdminCannotDisableOrDemoteAnOwner) {
    auto firm = make_firm("acme");
    auto admin = add_member(firm, "admin", "admin@acme.test");
    auto co_owner = call("POST", "/api/v1/memberships", firm.owner_token,
                         {{"email", "co@acme.test"}, {"name", "Co"}, {"role", "owner"}, {"password", kPassword}});
    ASSERT_EQ(co_owner.status, 201) << co_owner.raw.body;
    const std::string co_id = co_owner.body["id"];
    for (const json& change : {json{{"status", "disabled"}}, json{{"role", "staff"}}, json{{"name", "Renamed"}}}) {
        auto r = call("PATCH", "/api/v1/memberships/" + co_id, admin, change);
        EXPECT_EQ(r.status, 403) << change.dump();
        EXPECT_EQ(r.body["error"]["code"], "OWNER_PROTECTED");
    }
    EXPECT_EQ(call("GET", "/api/v1/memberships/" + co_id, firm.owner_token).body["status"], "active");
    EXPECT_EQ(call("PATCH", "/api/v1/memberships/" + co_id, firm.owner_token, {{"status", "disabled"}}).status, 200);
}

// Five wrong passwords from one address must not lock the owner out everywhere.
TEST_F(Hardening, AStrangerCannotLockTheOwnerOut) {
    auto firm = make_firm("acme");
    remote_address = "203.0.113.66";
    for (int i = 0; i < config.throttle.per_account_address; ++i) {
        EXPECT_EQ(call("POST", "/api/v1/auth/login", "", {{"email", firm.owner_email}, {"password", "wrong"}}).status,
                  401);
    }
    auto blocked = call("POST", "/api/v1/auth/login", "", {{"email", firm.owner_email}, {"password", kPassword}});
    EXPECT_EQ(blocked.status, 429);
    EXPECT_NE(blocked.body["error"]["message"].get<std::string>().find("Try again in 15 minutes"),
              std::string::npos)
        << blocked.raw.body;
    remote_address = "192.0.2.10";
    EXPECT_EQ(call("POST", "/api/v1/auth/login", "", {{"email", firm.owner_email}, {"password", kPassword}}).status,
              200);
}

// Past the per-account ceiling (failures from many addresses) attempts are slowed, not locked.
TEST_F(Hardening, ManyAddressesSlowAnAccountButNeverLockIt) {
    auto firm = make_firm("acme");
    for (int i = 0; i < config.throttle.account_ceiling; ++i) {
        remote_address = "203.0.113." + std::to_string(i + 1);
        EXPECT_EQ(call("POST", "/api/v1/auth/login", "", {{"email", firm.owner_email}, {"password", "x"}}).status,
                  401)
            << i;
    }
    remote_address = "192.0.2.10";
    auto slowed = call("POST", "/api/v1/auth/login", "", {{"email", firm.owner_email}, {"password", kPassword}});
    EXPECT_EQ(slowed.status, 429);
    ASSERT_TRUE(slowed.header("Retry-After"));
    EXPECT_EQ(std::stoll(*slowed.header("Retry-After")), config.throttle.account_slow_seconds);
    clock->advance(config.throttle.account_slow_seconds - 1);
    EXPECT_EQ(call("POST", "/api/v1/auth/login", "", {{"email", firm.owner_email}, {"password", kPassword}}).status,
              429);
    clock->advance(1);
    EXPECT_EQ(call("POST", "/api/v1/auth/login", "", {{"email", firm.owner_email}, {"password", kPassword}}).status,
              200);
}

// Sign-up with a portal user's email and with a staff email: same answer, same throttle.
TEST_F(Hardening, SignUpCannotTellPortalAccountsFromStaffAccounts) {
    auto firm = make_firm("acme");
    auto client = make_client(firm, "Client");
    make_portal_user(firm, client, "portal@client.test");
    std::map<std::string, std::vector<int>> statuses;
    int n = 0;
    for (const std::string email : {std::string("portal@client.test"), firm.owner_email}) {
        for (int i = 0; i <= config.throttle.per_account_address; ++i) {
            const std::string slug = "new-firm-" + std::to_string(++n);
            remote_address = "203.0.113." + std::to_string(email == firm.owner_email ? 1 : 2);
            auto r = call("POST", "/api/v1/firms", "",
                          {{"name", "New"},
                           {"slug", slug},
                           {"owner", {{"email", email}, {"name", "X"}, {"password", "wrong password!"}}}});
            statuses[email].push_back(r.status);
        }
    }
    EXPECT_EQ(statuses["portal@client.test"], statuses[firm.owner_email]);
    EXPECT_EQ(statuses[firm.owner_email].back(), 429);
    EXPECT_EQ(statuses[firm.owner_email].front(), 401);
}

TEST_F(Hardening, SignUpsAreLimitedPerAddressAndATakenSlugNeedsNoPassword) {
    make_firm("acme");
    remote_address = "203.0.113.9";
    auto taken = call("POST", "/api/v1/firms", "",
                      {{"name", "Again"},
                       {"slug", "acme"},
                       {"owner", {{"email", "x@y.test"}, {"name", "X"}, {"password", kPassword}}}});
    EXPECT_EQ(taken.status, 409);
    EXPECT_EQ(taken.body["error"]["code"], "SLUG_TAKEN");
    for (int i = 1; i < config.throttle.signups_per_address; ++i) {
        auto r = call("POST", "/api/v1/firms", "",
                      {{"name", "F"},
                       {"slug", "firm-" + std::to_string(i)},
                       {"owner", {{"email", "o" + std::to_string(i) + "@y.test"}, {"name", "X"}, {"password", kPassword}}}});
        EXPECT_EQ(r.status, 201) << i << r.raw.body;
    }
    auto limited = call("POST", "/api/v1/firms", "",
                        {{"name", "F"},
                         {"slug", "one-too-many"},
                         {"owner", {{"email", "last@y.test"}, {"name", "X"}, {"password", kPassword}}}});
    EXPECT_EQ(limited.status, 429);
    EXPECT_TRUE(limited.header("Retry-After"));
    remote_address = "203.0.113.10";
    EXPECT_EQ(call("POST", "/api/v1/firms", "",
                   {{"name", "F"},
                    {"slug", "one-too-many"},
                    {"owner", {{"email", "last@y.test"}, {"name", "X"}, {"password", kPassword}}}})
                  .status,
              201);
}

TEST(PasswordWorkers, RunsJobsAndRefusesWhenTheQueueIsFull) {
    server::PasswordWorkers workers(1, 1);
    std::atomic<bool> release{false};
    std::atomic<int> ran{0};
    std::thread busy([&] {
        EXPECT_TRUE(workers.run([&] {
            while (!release) std::this_thread::sleep_for(std::chrono::milliseconds(1));
            ++ran;
        }));
    });
    // Let the first job start (it leaves the queue), then fill the queue of one.
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    std::thread queued([&] { EXPECT_TRUE(workers.run([&] { ++ran; })); });
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    EXPECT_FALSE(workers.run([&] { ran += 100; })) << "a third job found room in a queue of one";
    release = true;
    busy.join();
    queued.join();
    EXPECT_EQ(ran.load(), 2);
    EXPECT_THROW(workers.run([] { throw std::runtime_error("boom"); }), std::runtime_error);
}

}  // namespace
}  // namespace cp::test
