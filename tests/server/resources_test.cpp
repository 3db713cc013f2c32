// Firms, memberships, clients, engagements, invoices: create/read/list/update/renew with
// the core's validation, pagination limits, Idempotency-Key and stable error bodies.
#include "tests/server/support.hpp"

namespace cp::test {
namespace {

class Resources : public ServerTest {
protected:
    void SetUp() override {
        ServerTest::SetUp();
        firm = make_firm("acme");
    }
    Firm firm;
};

TEST_F(Resources, SignupValidatesWithTheCoreAndRejectsDuplicateSlugs) {
    auto bad = call("POST", "/api/v1/firms", "", {{"name", ""}, {"slug", "A!"}, {"owner", {{"email", "x"}}}});
    EXPECT_EQ(bad.status, 422);
    EXPECT_GE(bad.body["errors"].size(), 3u);
    EXPECT_EQ(bad.body["error"], bad.body["errors"][0]);
    auto dup = call("POST", "/api/v1/firms", "",
                    {{"name", "Other"},
                     {"slug", "acme"},
                     {"owner", {{"email", "o@other.test"}, {"name", "O"}, {"password", kPassword}}}});
    EXPECT_EQ(dup.status, 409);
    EXPECT_EQ(dup.body["error"]["field"], "slug");
}

// A well-formed zone name with no zone data is refused wherever a zone is stored: overdue
// and retry dates are computed in it later.
TEST_F(Resources, TimeZonesMustExist) {
    auto signup = call("POST", "/api/v1/firms", "",
                       {{"name", "Zoneless"},
                        {"slug", "zoneless"},
                        {"time_zone", "Mars/Olympus_Mons"},
                        {"owner", {{"email", "o@zoneless.test"}, {"name", "O"}, {"password", kPassword}}}});
    EXPECT_EQ(signup.status, 422) << signup.raw.body;
    EXPECT_EQ(signup.body["error"]["code"], "UNKNOWN_TIME_ZONE");
    EXPECT_EQ(signup.body["error"]["field"], "time_zone");

    auto client = call(
        "POST", "/api/v1/clients", firm.owner_token,
        {{"company_name", "Zone Test"}, {"billing_email", "a@zone.test"}, {"time_zone", "Mars/Olympus"}});
    EXPECT_EQ(client.status, 422) << client.raw.body;
    EXPECT_EQ(client.body["error"]["code"], "UNKNOWN_TIME_ZONE");
    // The host's own setting is not a zone either (the core's shape check says so).
    auto local =
        call("POST", "/api/v1/clients", firm.owner_token,
             {{"company_name", "Zone Test"}, {"billing_email", "a@zone.test"}, {"time_zone", "localtime"}});
    EXPECT_EQ(local.body["error"]["code"], "INVALID_TIME_ZONE");
    auto ok = call("POST", "/api/v1/clients", firm.owner_token,
                   {{"company_name", "Zone Test"},
                    {"billing_email", "a@zone.test"},
                    {"time_zone", "Australia/Lord_Howe"}});
    ASSERT_EQ(ok.status, 201) << ok.raw.body;
    auto patched = call("PATCH", "/api/v1/clients/" + ok.body["id"].get<std::string>(), firm.owner_token,
                        {{"time_zone", "Europe/Atlantis"}});
    EXPECT_EQ(patched.status, 422);
    EXPECT_EQ(patched.body["error"]["code"], "UNKNOWN_TIME_ZONE");
    auto settings =
        call("PATCH", "/api/v1/firm/settings", firm.owner_token, {{"time_zone", "America/Gotham"}});
    EXPECT_EQ(settings.status, 422);
    EXPECT_EQ(settings.body["error"]["code"], "UNKNOWN_TIME_ZONE");
    EXPECT_EQ(call("GET", "/api/v1/firm", firm.owner_token).body["time_zone"], "America/New_York");
}

// null in a PATCH is never a 500: fields that cannot be cleared answer 422 INVALID_TYPE.
TEST_F(Resources, NullInAnUpdateIsAValidationError) {
    const std::string client = make_client(firm, "Nullable");
    const std::string engagement = make_engagement(firm, client);
    const std::vector<std::pair<std::string, std::vector<std::string>>> cases = {
        {"/api/v1/clients/" + client,
         {"company_name", "billing_email", "status", "time_zone", "portal_enabled", "autopay_enabled",
          "contacts"}},
        {"/api/v1/engagements/" + engagement,
         {"name", "end_date", "package_fee", "hourly_rate", "schedule", "payment_terms_days"}},
        {"/api/v1/memberships/" + firm.owner_membership_id, {"role", "name", "status"}},
        {"/api/v1/firm/settings", {"name", "plan", "time_zone", "currency"}},
    };
    for (const auto& [path, fields] : cases) {
        for (const auto& field : fields) {
            auto r = call("PATCH", path, firm.owner_token, {{field, nullptr}});
            EXPECT_EQ(r.status, 422) << path << " " << field << ": " << r.raw.body;
            EXPECT_EQ(r.body["error"]["field"], field) << path;
        }
    }
    // Detaching the payment method of an autopaying client needs autopay off too.
    auto on = call("PATCH", "/api/v1/clients/" + client, firm.owner_token,
                   {{"autopay_enabled", true}, {"payment_method_ref", "pm_card_visa"}});
    ASSERT_EQ(on.status, 200) << on.raw.body;
    auto detach =
        call("PATCH", "/api/v1/clients/" + client, firm.owner_token, {{"payment_method_ref", nullptr}});
    EXPECT_EQ(detach.status, 422);
    EXPECT_EQ(detach.body["error"]["field"], "payment_method_ref");
    auto off = call("PATCH", "/api/v1/clients/" + client, firm.owner_token,
                    {{"payment_method_ref", nullptr}, {"autopay_enabled", false}});
    EXPECT_EQ(off.status, 200) << off.raw.body;
    EXPECT_TRUE(off.body["payment_method_ref"].is_null());
}

TEST_F(Resources, PersonInTwoFirmsChoosesAtLogin) {
    auto r = call("POST", "/api/v1/firms", "",
                  {{"name", "Second"},
                   {"slug", "second"},
                   {"owner", {{"email", firm.owner_email}, {"name", "O"}, {"password", kPassword}}}});
    ASSERT_EQ(r.status, 201) << r.raw.body;
    auto ambiguous =
        call("POST", "/api/v1/auth/login", "", {{"email", firm.owner_email}, {"password", kPassword}});
    EXPECT_EQ(ambiguous.status, 409);
    EXPECT_EQ(ambiguous.body["firms"].size(), 2u);
    auto token = login(firm.owner_email, kPassword, {{"firm", "second"}});
    EXPECT_EQ(call("GET", "/api/v1/firm", token).body["slug"], "second");
}

TEST_F(Resources, ClientsCrudWithPaginationAndUniqueNames) {
    for (int i = 0; i < 5; ++i) make_client(firm, "Client " + std::to_string(i));
    auto page = call("GET", "/api/v1/clients?limit=2", firm.owner_token);
    ASSERT_EQ(page.status, 200);
    EXPECT_EQ(page.body["data"].size(), 2u);
    EXPECT_TRUE(page.body["has_more"]);
    std::vector<std::string> seen;
    std::string cursor;
    for (int guard = 0; guard < 10; ++guard) {
        auto p = call("GET", "/api/v1/clients?limit=2" + (cursor.empty() ? "" : "&cursor=" + cursor),
                      firm.owner_token);
        for (const auto& c : p.body["data"]) seen.push_back(c["company_name"]);
        if (!p.body["has_more"]) break;
        cursor = p.body["next_cursor"];
    }
    EXPECT_EQ(seen.size(), 5u);
    EXPECT_EQ(seen.front(), "Client 0");
    auto over = call("GET", "/api/v1/clients?limit=201", firm.owner_token);
    EXPECT_EQ(over.status, 400);
    EXPECT_EQ(over.body["error"]["code"], "INVALID_PAGINATION");
    EXPECT_EQ(call("GET", "/api/v1/clients?limit=abc", firm.owner_token).status, 400);
    EXPECT_EQ(call("GET", "/api/v1/clients?limit=200", firm.owner_token).status, 200);
    EXPECT_EQ(call("GET", "/api/v1/clients", firm.owner_token).body["data"].size(), 5u);  // default 50

    auto dup = call("POST", "/api/v1/clients", firm.owner_token,
                    {{"company_name", "Client 1"}, {"billing_email", "a@b.test"}});
    EXPECT_EQ(dup.status, 409);
    auto id = seen.empty() ? "" : make_client(firm, "Fresh");
    auto upd = call("PATCH", "/api/v1/clients/" + id, firm.owner_token,
                    {{"status", "inactive"}, {"time_zone", "Europe/Paris"}});
    ASSERT_EQ(upd.status, 200) << upd.raw.body;
    EXPECT_EQ(upd.body["status"], "inactive");
    EXPECT_EQ(call("GET", "/api/v1/clients/" + id, firm.owner_token).body["time_zone"], "Europe/Paris");
    auto bad = call("PATCH", "/api/v1/clients/" + id, firm.owner_token, {{"autopay_enabled", true}});
    EXPECT_EQ(bad.status, 422);  // core: autopay needs a payment method reference
    auto unknown = call("PATCH", "/api/v1/clients/" + id, firm.owner_token, {{"card_number", "4242"}});
    EXPECT_EQ(unknown.status, 422);
}

TEST_F(Resources, ClientSearchIsBoundedAndLiteral) {
    make_client(firm, "Northwind Traders");
    make_client(firm, "100% Consulting");
    make_client(firm, "Contoso");
    EXPECT_EQ(call("GET", "/api/v1/clients?q=north", firm.owner_token).body["data"].size(), 1u);
    EXPECT_EQ(call("GET", "/api/v1/clients?q=%25", firm.owner_token).body["data"].size(),
              1u);  // a literal '%'
    EXPECT_EQ(call("GET", "/api/v1/clients?q=o", firm.owner_token).body["data"].size(), 3u);
    EXPECT_EQ(call("GET", "/api/v1/clients?q=" + std::string(101, 'a'), firm.owner_token).status, 400);
}

// Exact-match list filters are bounded like search terms, on every list that has them.
TEST_F(Resources, ListFiltersAreBounded) {
    const std::string long_value(101, 's');
    for (const std::string path : {"/api/v1/clients?q=", "/api/v1/engagements?client_id=",
                                   "/api/v1/invoices?client_id=", "/api/v1/audit?action="}) {
        auto r = call("GET", path + long_value, firm.owner_token);
        EXPECT_EQ(r.status, 400) << path;
        EXPECT_EQ(r.body["error"]["code"], "INVALID_FILTER") << path;
        auto ok = call("GET", path + std::string(100, 's'), firm.owner_token);
        EXPECT_EQ(ok.status, 200) << path << ok.raw.body;
        EXPECT_TRUE(ok.body["data"].empty()) << path;
    }
    // Every list keeps the pagination rules, the caller's own firms included.
    EXPECT_EQ(call("GET", "/api/v1/firms?limit=500", firm.owner_token).status, 400);
    EXPECT_EQ(call("GET", "/api/v1/firms?limit=1", firm.owner_token).body["data"].size(), 1u);
    const auto field = call("GET", "/api/v1/engagements?status=" + long_value, firm.owner_token);
    EXPECT_EQ(field.body["error"]["field"], "status");
}

TEST_F(Resources, FilterValuesOutsideTheirSetAreNamedNotEmptyPages) {
    // A typo in a status must not read as "nothing matches".
    for (const std::string path : {"/api/v1/clients?status=archive", "/api/v1/engagements?status=open",
                                   "/api/v1/leads?status=hot", "/api/v1/proposals?status=signed",
                                   "/api/v1/prospects?stage=closing", "/api/v1/disputes?status=closed",
                                   "/api/v1/payments?status=ok", "/api/v1/payments?method=paypal",
                                   "/api/v1/payments?source=stripe", "/api/v1/messages?status=bogus",
                                   "/api/v1/messages?kind=invoice", "/api/v1/audit?severity=critical",
                                   "/api/v1/audit?category=LOGIN",
                                   "/api/v1/invoices?status=unpaid", "/api/v1/invoices?document_type=quote"}) {
        auto r = call("GET", path, firm.owner_token);
        EXPECT_EQ(r.status, 400) << path << ": " << r.raw.body;
        EXPECT_EQ(r.body["error"]["code"], "INVALID_FILTER") << path;
        const auto name = path.substr(path.find('?') + 1, path.find('=') - path.find('?') - 1);
        EXPECT_EQ(r.body["error"]["field"], name) << path;
    }
    for (const std::string path : {"/api/v1/clients?status=inactive", "/api/v1/engagements?status=renewed",
                                   "/api/v1/leads?status=qualified", "/api/v1/payments?method=bank_transfer",
                                   "/api/v1/disputes?status=lost", "/api/v1/prospects?stage=won",
                                   "/api/v1/payments?source=webhook", "/api/v1/payments?source=link",
                                   "/api/v1/messages?kind=reminder", "/api/v1/messages?status=suppressed",
                                   "/api/v1/audit?severity=CRITICAL&category=PURGE"}) {
        EXPECT_EQ(call("GET", path, firm.owner_token).status, 200) << path;
    }
}

TEST_F(Resources, IdempotencyKeyReplaysAndRejectsReuse) {
    json body{{"company_name", "Once"}, {"billing_email", "ap@once.test"}};
    auto first = call("POST", "/api/v1/clients", firm.owner_token, body, {{"idempotency-key", "k-1"}});
    ASSERT_EQ(first.status, 201);
    auto replay = call("POST", "/api/v1/clients", firm.owner_token, body, {{"idempotency-key", "k-1"}});
    EXPECT_EQ(replay.status, 201);
    EXPECT_EQ(replay.raw.body, first.raw.body);
    EXPECT_EQ(replay.header("Idempotent-Replayed"), "true");
    EXPECT_EQ(call("GET", "/api/v1/clients", firm.owner_token).body["data"].size(), 1u);
    auto reused =
        call("POST", "/api/v1/clients", firm.owner_token,
             {{"company_name", "Twice"}, {"billing_email", "a@b.test"}}, {{"idempotency-key", "k-1"}});
    EXPECT_EQ(reused.status, 422);
    EXPECT_EQ(reused.body["error"]["code"], "IDEMPOTENCY_KEY_REUSED");
    // Keys are per caller: another firm using "k-1" is independent.
    auto other = make_firm("other");
    EXPECT_EQ(call("POST", "/api/v1/clients", other.owner_token, body, {{"idempotency-key", "k-1"}}).status,
              201);
}

TEST_F(Resources, TokenMintingResponsesAreNeverStoredForReplay) {
    auto login = call("POST", "/api/v1/auth/login", "", {{"email", firm.owner_email}, {"password", kPassword}},
                      {{"idempotency-key", "login-1"}});
    ASSERT_EQ(login.status, 200) << login.raw.body;
    ASSERT_TRUE(login.body.contains("token")) << login.raw.body;
    EXPECT_FALSE(login.body["token"].get<std::string>().empty());
    storage::Transaction tx(db());
    EXPECT_FALSE(tx.query_one("SELECT idem_key FROM idempotency_keys WHERE idem_key = 'login-1'"));
}

TEST_F(Resources, MembershipsKeepAnOwnerAndDisablingRevokesSessions) {
    auto admin = add_member(firm, "admin", "admin@acme.test");
    auto list = call("GET", "/api/v1/memberships", firm.owner_token);
    ASSERT_EQ(list.body["data"].size(), 2u);
    auto last_owner = call("PATCH", "/api/v1/memberships/" + firm.owner_membership_id, firm.owner_token,
                           {{"role", "admin"}});
    EXPECT_EQ(last_owner.status, 422);
    EXPECT_EQ(last_owner.body["error"]["code"], "LAST_OWNER");
    std::string admin_membership;
    for (const auto& m : list.body["data"]) {
        if (m["role"] == "admin") admin_membership = m["id"];
    }
    auto disabled =
        call("PATCH", "/api/v1/memberships/" + admin_membership, firm.owner_token, {{"status", "disabled"}});
    ASSERT_EQ(disabled.status, 200) << disabled.raw.body;
    EXPECT_EQ(call("GET", "/api/v1/clients", admin).status, 401);
    auto weak = call("POST", "/api/v1/memberships", firm.owner_token,
                     {{"email", "w@acme.test"}, {"name", "W"}, {"role", "staff"}, {"password", "short"}});
    EXPECT_EQ(weak.status, 422);
    EXPECT_EQ(weak.body["error"]["field"], "password");
}

// Another firm cannot pull an existing account in on its own word, nor rename it for all.
TEST_F(Resources, ExistingAccountsJoinOnlyWithTheirOwnPassword) {
    auto other = make_firm("other");
    auto without = call("POST", "/api/v1/memberships", other.owner_token,
                        {{"email", firm.owner_email},
                         {"name", "Taken Over"},
                         {"role", "staff"},
                         {"password", "not-their-password-1"}});
    EXPECT_EQ(without.status, 409) << without.raw.body;
    EXPECT_EQ(without.body["error"]["code"], "ACCOUNT_EXISTS");
    EXPECT_EQ(without.body.dump().find("Owner"), std::string::npos) << "no personal data in the answer";
    // Still one firm for that person: a plain login needs no firm choice.
    EXPECT_EQ(
        call("POST", "/api/v1/auth/login", "", {{"email", firm.owner_email}, {"password", kPassword}}).status,
        200);

    auto with =
        call("POST", "/api/v1/memberships", other.owner_token,
             {{"email", firm.owner_email}, {"name", "Ignored"}, {"role", "staff"}, {"password", kPassword}});
    ASSERT_EQ(with.status, 201) << with.raw.body;
    auto rename = call("PATCH", "/api/v1/memberships/" + with.body["id"].get<std::string>(),
                       other.owner_token, {{"name", "Renamed By Other"}, {"role", "billing"}});
    EXPECT_EQ(rename.status, 409);
    EXPECT_EQ(rename.body["error"]["code"], "ACCOUNT_SHARED");
    // Nothing of the refused change was applied, the role included.
    auto after = call("GET", "/api/v1/memberships/" + with.body["id"].get<std::string>(), other.owner_token);
    EXPECT_EQ(after.body["role"], "staff");
    EXPECT_NE(after.body["user"]["name"], "Renamed By Other");
}

// Sign-up with an existing email is a password check, throttled like a login.
TEST_F(Resources, SignupWithAnExistingEmailIsThrottled) {
    int last = 0;
    for (int i = 0; i <= config.throttle.per_account_address; ++i) {
        last = call("POST", "/api/v1/firms", "",
                    {{"name", "Guess"},
                     {"slug", "guess-" + std::to_string(i)},
                     {"owner",
                      {{"email", firm.owner_email},
                       {"name", "G"},
                       {"password", "wrong-guess-" + std::to_string(i)}}}})
                   .status;
        if (i < config.throttle.per_account_address) EXPECT_EQ(last, 401) << i;
    }
    EXPECT_EQ(last, 429);
    auto failures = call("GET", "/api/v1/audit?action=firm.signup_failed", firm.owner_token);
    EXPECT_TRUE(failures.body["data"].empty()) << "recorded on the platform chain, not the firm's";
}

// Plan quotas (starter: 5 active members, 25 clients) on create, on re-activation and on a
// plan change; enterprise is unlimited.
TEST_F(Resources, PlanQuotasHoldOnCreateAndOnPlanChange) {
    for (int i = 0; i < 25; ++i) make_client(firm, "Client " + std::to_string(i));
    auto over = call("POST", "/api/v1/clients", firm.owner_token,
                     {{"company_name", "One Too Many"}, {"billing_email", "x@y.test"}});
    EXPECT_EQ(over.status, 409);
    EXPECT_EQ(over.body["error"]["code"], "QUOTA_EXCEEDED");
    for (int i = 0; i < 4; ++i) add_member(firm, "staff", "m" + std::to_string(i) + "@acme.test");
    auto sixth =
        call("POST", "/api/v1/memberships", firm.owner_token,
             {{"email", "six@acme.test"}, {"name", "Six"}, {"role", "staff"}, {"password", kPassword}});
    EXPECT_EQ(sixth.status, 409);
    EXPECT_EQ(sixth.body["error"]["code"], "QUOTA_EXCEEDED");

    ASSERT_EQ(call("PATCH", "/api/v1/firm/settings", firm.owner_token, {{"plan", "enterprise"}}).status, 200);
    auto added = call("POST", "/api/v1/clients", firm.owner_token,
                      {{"company_name", "One Too Many"}, {"billing_email", "x@y.test"}});
    ASSERT_EQ(added.status, 201) << added.raw.body;
    auto down = call("PATCH", "/api/v1/firm/settings", firm.owner_token, {{"plan", "starter"}});
    EXPECT_EQ(down.status, 409);
    EXPECT_EQ(down.body["error"]["code"], "QUOTA_BELOW_USAGE");
    EXPECT_EQ(call("GET", "/api/v1/firm", firm.owner_token).body["plan"], "enterprise");
    // A terminated client frees its place.
    ASSERT_EQ(call("PATCH", "/api/v1/clients/" + added.body["id"].get<std::string>(), firm.owner_token,
                   {{"status", "terminated"}})
                  .status,
              200);
    EXPECT_EQ(call("PATCH", "/api/v1/firm/settings", firm.owner_token, {{"plan", "starter"}}).status, 200);
}

TEST_F(Resources, PortalUsersAreNeverMembers) {
    auto client = make_client(firm, "C");
    make_portal_user(firm, client, "p@c.test");
    auto r = call("POST", "/api/v1/memberships", firm.owner_token,
                  {{"email", "p@c.test"}, {"name", "P"}, {"role", "staff"}, {"password", kPassword}});
    EXPECT_EQ(r.status, 409);
    EXPECT_EQ(r.body["error"]["code"], "ACCOUNT_EXISTS");
    auto r2 = call("POST", "/api/v1/clients/" + client + "/portal-users", firm.owner_token,
                   {{"email", firm.owner_email}, {"name", "P"}, {"password", kPassword}});
    EXPECT_EQ(r2.status, 422);
}

TEST_F(Resources, EngagementPricingRulesFreezeAndRenewal) {
    auto client = make_client(firm, "C");
    auto no_fee = call(
        "POST", "/api/v1/engagements", firm.owner_token,
        {{"client_id", client}, {"name", "E"}, {"pricing_mode", "package"}, {"start_date", "2026-01-01"}});
    EXPECT_EQ(no_fee.status, 422);
    EXPECT_EQ(no_fee.body["error"]["field"], "package_fee");
    auto id = make_engagement(firm, client);
    auto got = call("GET", "/api/v1/engagements/" + id, firm.owner_token);
    EXPECT_EQ(got.body["package_fee"], "1500.00");
    EXPECT_EQ(got.body["currency"], "USD");
    EXPECT_FALSE(got.body["pricing_frozen"]);
    auto upd = call("PATCH", "/api/v1/engagements/" + id, firm.owner_token, {{"package_fee", "1750.00"}});
    ASSERT_EQ(upd.status, 200) << upd.raw.body;
    EXPECT_EQ(upd.body["package_fee"], "1750.00");
    // Once invoiced, pricing terms are frozen (other fields are not).
    {
        auto inv = make_invoice(firm, client, "sent");
        storage::Transaction tx(db());
        tx.exec("UPDATE invoices SET engagement_id = ? WHERE id = ?", {id, inv});
        tx.commit();
    }
    auto frozen = call("PATCH", "/api/v1/engagements/" + id, firm.owner_token, {{"package_fee", "1.00"}});
    EXPECT_EQ(frozen.status, 409);
    EXPECT_EQ(frozen.body["error"]["code"], "PRICING_FROZEN");
    EXPECT_EQ(call("PATCH", "/api/v1/engagements/" + id, firm.owner_token, {{"name", "Renamed"}}).status,
              200);

    auto renewed =
        call("POST", "/api/v1/engagements/" + id + "/renew", firm.owner_token, {{"package_fee", "1800.00"}});
    ASSERT_EQ(renewed.status, 201) << renewed.raw.body;
    EXPECT_EQ(renewed.body["version"], 2);
    EXPECT_EQ(renewed.body["parent_id"], id);
    EXPECT_EQ(renewed.body["start_date"], "2027-01-01");
    EXPECT_EQ(renewed.body["end_date"], "2028-01-01");  // start + 365 days
    EXPECT_EQ(renewed.body["package_fee"], "1800.00");
    EXPECT_EQ(renewed.body["name"], "Renamed");
    EXPECT_EQ(call("GET", "/api/v1/engagements/" + id, firm.owner_token).body["status"], "renewed");
    EXPECT_EQ(call("POST", "/api/v1/engagements/" + id + "/renew", firm.owner_token, json::object()).status,
              409);
    auto listed =
        call("GET", "/api/v1/engagements?client_id=" + client + "&status=current", firm.owner_token);
    ASSERT_EQ(listed.body["data"].size(), 1u);
    EXPECT_EQ(listed.body["data"][0]["version"], 2);
}

TEST_F(Resources, CompletedEngagementIsFrozen) {
    auto id = make_engagement(firm, make_client(firm, "C"));
    EXPECT_EQ(call("PATCH", "/api/v1/engagements/" + id, firm.owner_token, {{"status", "completed"}}).status,
              200);
    EXPECT_EQ(call("PATCH", "/api/v1/engagements/" + id, firm.owner_token, {{"hourly_rate", "100"}})
                  .body["error"]["code"],
              "PRICING_FROZEN");
    EXPECT_EQ(call("PATCH", "/api/v1/engagements/" + id, firm.owner_token, {{"status", "completed"}}).status,
              409);
}

TEST_F(Resources, InvoicesListDetailAndPreview) {
    auto client = make_client(firm, "C");
    auto sent = make_invoice(firm, client, "sent");
    make_invoice(firm, client, "draft");
    auto list = call("GET", "/api/v1/invoices", firm.owner_token);
    ASSERT_EQ(list.status, 200);
    EXPECT_EQ(list.body["data"].size(), 2u);
    EXPECT_EQ(call("GET", "/api/v1/invoices?status=draft", firm.owner_token).body["data"].size(), 1u);
    auto one = call("GET", "/api/v1/invoices/" + sent, firm.owner_token);
    EXPECT_EQ(one.body["total"], "100.00");
    ASSERT_EQ(one.body["lines"].size(), 1u);
    EXPECT_EQ(one.body["lines"][0]["amount"], "100.00");

    json draft{
        {"currency", "USD"},
        {"lines", {{{"kind", "time"}, {"quantity", "12"}, {"unit_price", "15"}, {"tax_rate", "8.875"}}}}};
    auto preview = call("POST", "/api/v1/invoices/preview", firm.owner_token, draft);
    ASSERT_EQ(preview.status, 200) << preview.raw.body;
    EXPECT_EQ(preview.body["subtotal"], "180.00");
    EXPECT_EQ(preview.body["tax"], "15.98");
    EXPECT_EQ(preview.body["total"], "195.98");
    draft["lines"][0]["quantity"] = "abc";
    draft["lines"][0]["tax_rate"] = "101";
    auto invalid = call("POST", "/api/v1/invoices/preview", firm.owner_token, draft);
    EXPECT_EQ(invalid.status, 422);
    EXPECT_EQ(invalid.body["error"]["field"], "lines[0].quantity");
    EXPECT_EQ(invalid.body["errors"].size(), 2u);
}

}  // namespace
}  // namespace cp::test
