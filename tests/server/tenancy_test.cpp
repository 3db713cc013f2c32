// Tenancy: the cross-tenant matrix (table-driven over the route table, so a new route
// cannot escape it), portal containment, the firm status gate and capabilities.
#include <set>

#include "server/http/router.hpp"
#include "server/auth/capabilities.hpp"
#include "tests/server/crm_support.hpp"

namespace cp::test {
namespace {

using server::RouteDef;
using server::TenantScope;

// A valid body for every body-taking route with an id, so the handler reaches its lookup:
// the matrix then proves the lookup, not validation, answers 404. A route missing here
// fails the matrix (add a body when you add a route).
json sample_body(const RouteDef& r) {
    const std::string key = std::string(r.method) + " " + r.pattern;
    static const std::map<std::string, json> bodies = {
        {"PATCH /api/v1/memberships/{id}", {{"role", "staff"}}},
        {"PATCH /api/v1/clients/{id}", {{"billing_email", "new@client.test"}}},
        {"POST /api/v1/clients/{id}/portal-users",
         {{"email", "matrix@portal.test"}, {"name", "M"}, {"password", kPassword}}},
        {"PATCH /api/v1/engagements/{id}", {{"name", "Renamed"}}},
        {"POST /api/v1/engagements/{id}/renew", json::object()},
        {"PATCH /api/v1/leads/{id}", {{"notes", "matrix"}}},
        {"POST /api/v1/leads/{id}/convert", {{"expected_close_date", "2030-01-31"}}},
        {"PATCH /api/v1/prospects/{id}", {{"expected_close_date", "2030-01-31"}}},
        {"PATCH /api/v1/proposals/{id}", {{"title", "matrix"}}},
        {"POST /api/v1/proposals/{id}/send", json::object()},
        {"POST /api/v1/proposals/{id}/decline", json::object()},
        {"POST /api/v1/proposals/{id}/accept", json::object()},
        {"POST /api/v1/proposals/{id}/links", {{"expires_in_days", 7}}},
        {"POST /api/v1/proposal-links/{id}/revoke", json::object()},
        {"POST /api/v1/firm/settings/snapshots/{id}/rollback", json::object()},
        {"POST /api/v1/break-glass/{id}/revoke", {{"reason", "matrix"}}},
        {"PATCH /api/v1/invoices/{id}", {{"notes", "matrix"}}},
        {"POST /api/v1/invoices/{id}/issue", json::object()},
        {"POST /api/v1/invoices/{id}/void", {{"reason", "matrix"}}},
        {"POST /api/v1/invoices/{id}/credit-notes",
         {{"reason", "matrix"}, {"lines", {{{"quantity", "1"}, {"unit_price", "1.00"}, {"tax_rate", "0"}}}}}},
        {"POST /api/v1/engagements/{id}/hourly-invoice",
         {{"period_start", "2026-01-01"}, {"period_end", "2026-12-31"}}},
        {"PATCH /api/v1/time-entries/{id}", {{"description", "matrix"}}},
        {"POST /api/v1/time-entries/{id}/approve", json::object()},
        {"POST /api/v1/time-entries/{id}/unapprove", json::object()},
        {"PATCH /api/v1/expenses/{id}", {{"description", "matrix"}}},
        {"POST /api/v1/expenses/{id}/approve", json::object()},
        {"POST /api/v1/expenses/{id}/unapprove", json::object()},
        {"POST /api/v1/invoices/{id}/payments", {{"amount", "1.00"}, {"method", "cash"}}},
        {"POST /api/v1/invoices/{id}/apply-credit", {{"amount", "1.00"}}},
        {"POST /api/v1/payments/{id}/refunds", {{"amount", "1.00"}, {"reason", "matrix"}}},
        {"POST /api/v1/clients/{id}/credits",
         {{"kind", "goodwill"}, {"amount", "1.00"}, {"currency", "USD"}, {"reason", "matrix"},
          {"approved_by", "mem_000000000000000000000000"}}},
        {"POST /api/v1/alerts/{id}/ack", json::object()},
        {"POST /api/v1/invoices/{id}/links", {{"expires_in_days", 7}}},
        {"POST /api/v1/invoice-links/{id}/revoke", json::object()},
        {"POST /api/v1/messages/{id}/resend", json::object()},
        {"POST /api/v1/credit-requests/{id}/approve", json::object()},
    };
    if (std::string(r.method) == "GET" || std::string(r.method) == "DELETE") return nullptr;
    auto it = bodies.find(key);
    if (it == bodies.end()) {
        ADD_FAILURE() << "no sample body for " << key << " in the cross-tenant matrix";
        return json::object();
    }
    return it->second;
}

std::string fill(std::string pattern, const std::string& id) {
    for (const auto& name : http::Router::params_of(pattern)) {
        auto pos = pattern.find("{" + name + "}");
        pattern.replace(pos, name.size() + 2, id);
    }
    return pattern;
}

class Tenancy : public ServerTest {
protected:
    void SetUp() override {
        ServerTest::SetUp();
        a = make_firm("alpha");
        b = make_firm("bravo");
        a_client = make_client(a, "Alpha Client");
        a_other_client = make_client(a, "Alpha Other");
        b_client = make_client(b, "Bravo Client");
        b_objects["firm"] = b.id;
        b_objects["membership"] = b.owner_membership_id;
        b_objects["client"] = b_client;
        b_objects["engagement"] = make_engagement(b, b_client);
        b_objects["invoice"] = make_invoice(b, b_client, "sent");
        b_objects["draft_invoice"] = make_invoice(b, b_client, "draft");
        auto crm = make_pipeline(
            [&](const std::string& m, const std::string& t, const json& body) { return call(m, t, b.owner_token, body); },
            "Bravo Prospect");
        b_objects["lead"] = crm.lead;
        b_objects["prospect"] = crm.prospect;
        b_objects["proposal"] = crm.proposal;
        auto b_proposal_link =
            call("POST", "/api/v1/proposals/" + crm.proposal + "/links", b.owner_token, json::object());
        EXPECT_EQ(b_proposal_link.status, 201) << b_proposal_link.raw.body;
        b_objects["proposal_link"] = b_proposal_link.body.value("id", "");
        auto te = call("POST", "/api/v1/time-entries", b.owner_token,
                       {{"engagement_id", b_objects["engagement"]}, {"date", "2026-09-01"}, {"hours", "1.00"},
                        {"rate", "100"}, {"description", "B's work"}});
        EXPECT_EQ(te.status, 201) << te.raw.body;
        b_objects["time_entry"] = te.body.value("id", "");
        auto ex = call("POST", "/api/v1/expenses", b.owner_token,
                       {{"engagement_id", b_objects["engagement"]}, {"date", "2026-09-01"}, {"amount", "10.00"},
                        {"description", "B's taxi"}});
        EXPECT_EQ(ex.status, 201) << ex.raw.body;
        b_objects["expense"] = ex.body.value("id", "");
        auto patched = call("PATCH", "/api/v1/firm/settings", b.owner_token, {{"name", "Bravo Renamed"}});
        EXPECT_EQ(patched.status, 200) << patched.raw.body;
        b_objects["settings_snapshot"] = patched.body.value("snapshot_id", "");
        auto op = make_operator("op@platform.test");
        auto bg = call("POST", "/api/v1/operator/break-glass", op,
                       {{"firm_id", b.id}, {"reason", "matrix fixture"}});
        EXPECT_EQ(bg.status, 201) << bg.raw.body;
        b_objects["break_glass_session"] = bg.body.value("id", "");
        b_break_glass_token = bg.body.value("token", "");
        portal = make_portal_user(a, a_client, "pat@alpha-client.test");
    }

    Firm a, b;
    std::string a_client, a_other_client, b_client, portal;
    std::map<std::string, std::string> b_objects;  // object type -> an id in firm B
    std::string b_break_glass_token;               // an operator inside firm B
};

TEST_F(Tenancy, EveryRouteWithAnIdIsInTheMatrix) {
    for (const auto& r : server::route_table()) {
        bool has_params = !http::Router::params_of(r.pattern).empty();
        EXPECT_EQ(has_params, r.scope != TenantScope::none) << r.method << " " << r.pattern;
    }
}

TEST_F(Tenancy, ForeignIdsAreIndistinguishableFromMissingOnes) {
    int routes = 0, cases = 0;
    for (const auto& r : server::route_table()) {
        if (r.scope != TenantScope::firm) continue;
        ++routes;
        const json body = sample_body(r);
        auto missing = call(r.method, fill(r.pattern, "zz_000000000000000000000000"), a.owner_token, body);
        ASSERT_EQ(missing.status, 404) << r.method << " " << r.pattern << ": " << missing.raw.body;
        // Every object type of firm B, not only the route's own: none may leak.
        for (const auto& [type, id] : b_objects) {
            ASSERT_FALSE(id.empty()) << type;
            auto foreign = call(r.method, fill(r.pattern, id), a.owner_token, body);
            EXPECT_EQ(foreign.status, 404) << r.method << " " << r.pattern << " with B's " << type;
            EXPECT_EQ(foreign.raw.body, missing.raw.body)
                << r.method << " " << r.pattern << " with B's " << type;
            ++cases;
        }
    }
    EXPECT_GE(routes, 13);
    std::cout << "[ matrix   ] firm routes covered: " << routes << ", cases: " << cases << "\n";
    // Nothing of B's changed: its engagement still current, its session still active.
    auto eng = call("GET", "/api/v1/engagements/" + b_objects["engagement"], b.owner_token);
    EXPECT_EQ(eng.body["status"], "current");
    EXPECT_EQ(eng.body["name"], "Advisory");
}

// A break-glass session is bound to one firm: inside B, A's ids are missing too.
TEST_F(Tenancy, BreakGlassSessionsAreConfinedToTheirFirm) {
    std::map<std::string, std::string> a_objects{{"firm", a.id},
                                                 {"membership", a.owner_membership_id},
                                                 {"client", a_client},
                                                 {"engagement", make_engagement(a, a_client)},
                                                 {"invoice", make_invoice(a, a_client, "sent")}};
    int routes = 0;
    for (const auto& r : server::route_table()) {
        if (r.scope != TenantScope::firm || std::string(r.method) != "GET") continue;
        // Routes a break-glass session may not use at all (exports) are refused, not confined.
        if (r.capability && !server::role_has("break_glass", *r.capability)) continue;
        ++routes;
        auto missing = call("GET", fill(r.pattern, "zz_000000000000000000000000"), b_break_glass_token);
        ASSERT_EQ(missing.status, 404) << r.pattern << missing.raw.body;
        for (const auto& [type, id] : a_objects) {
            auto got = call("GET", fill(r.pattern, id), b_break_glass_token);
            EXPECT_EQ(got.raw.body, missing.raw.body) << r.pattern << " with A's " << type;
        }
    }
    EXPECT_GE(routes, 6);
}

TEST_F(Tenancy, PortalIdsOfOtherClientsAndFirmsAreMissing) {
    std::map<std::string, std::string> foreign = b_objects;
    foreign["other_client_invoice"] = make_invoice(a, a_other_client, "sent");
    foreign["other_client_engagement"] = make_engagement(a, a_other_client);
    foreign["own_draft_invoice"] = make_invoice(a, a_client, "draft");
    int routes = 0;
    for (const auto& r : server::route_table()) {
        if (r.scope != TenantScope::portal) continue;
        ++routes;
        auto missing = call(r.method, fill(r.pattern, "zz_000000000000000000000000"), portal);
        ASSERT_EQ(missing.status, 404) << r.pattern;
        for (const auto& [type, id] : foreign) {
            auto got = call(r.method, fill(r.pattern, id), portal);
            EXPECT_EQ(got.status, 404) << r.pattern << " with " << type;
            EXPECT_EQ(got.raw.body, missing.raw.body) << r.pattern << " with " << type;
        }
    }
    EXPECT_EQ(routes, 4);
}

// Signed links: a token opens its one invoice; any other token, a foreign object's id, or
// a revoked token is the same 404, and a token of firm A never shows firm B's data.
TEST_F(Tenancy, SignedLinkTokensOpenOnlyTheirOwnInvoice) {
    const std::string a_invoice = make_invoice(a, a_client, "sent");
    auto link = call("POST", "/api/v1/invoices/" + a_invoice + "/links", a.owner_token, {{"expires_in_days", 7}});
    ASSERT_EQ(link.status, 201) << link.raw.body;
    const std::string token = link.body["url"].get<std::string>().substr(3);
    auto opened = call("GET", "/api/v1/public/invoices/" + token);
    ASSERT_EQ(opened.status, 200) << opened.raw.body;
    EXPECT_EQ(opened.body["invoice"]["id"], a_invoice);
    EXPECT_EQ(opened.raw.body.find(b.id), std::string::npos);
    auto b_link = call("POST", "/api/v1/invoices/" + b_objects["invoice"] + "/links", b.owner_token, json::object());
    ASSERT_EQ(b_link.status, 201);
    const std::string b_token = b_link.body["url"].get<std::string>().substr(3);
    int routes = 0;
    for (const auto& r : server::route_table()) {
        if (r.scope != TenantScope::link || std::string(r.pattern).rfind("/api/v1/public/invoices/", 0) != 0) continue;
        ++routes;
        const json body = std::string(r.method) == "POST" ? json{{"payment_method", "pm_card_visa"}} : json(nullptr);
        // Each lookup from a new address, so the lookup throttle stays out of the comparison.
        int visitor = 0;
        auto next_visitor = [&] { remote_address = "198.51." + std::to_string(routes) + "." + std::to_string(++visitor); };
        next_visitor();
        auto missing = call(r.method, fill(r.pattern, std::string(64, 'a')), "", body);
        ASSERT_EQ(missing.status, 404) << r.pattern << missing.raw.body;
        for (const auto& [type, id] : b_objects) {
            next_visitor();
            auto got = call(r.method, fill(r.pattern, id), "", body);
            EXPECT_EQ(got.raw.body, missing.raw.body) << r.pattern << " with B's " << type;
        }
        auto mine = call(r.method, fill(r.pattern, token), "", body);
        EXPECT_LT(mine.status, 300) << r.pattern << mine.raw.body;
        EXPECT_EQ(mine.raw.body.find(b_objects["invoice"]), std::string::npos) << r.pattern;
        auto theirs = call(r.method, fill(r.pattern, b_token), "", body);
        EXPECT_EQ(theirs.raw.body.find(a_invoice), std::string::npos) << r.pattern;
    }
    EXPECT_EQ(routes, 4);
    // A firm cannot revoke or list another firm's links.
    EXPECT_EQ(call("POST", "/api/v1/invoice-links/" + b_link.body["id"].get<std::string>() + "/revoke", a.owner_token,
                   json::object())
                  .status,
              404);
}

// Signed proposal links: a token opens its one proposal (read, accept, decline); any other
// token, a foreign object's id, an invoice link's token or a revoked token is the same 404,
// and a token never shows the other firm's data. Each route gets a fresh proposal of A's,
// since accepting or declining one is final.
TEST_F(Tenancy, SignedProposalLinkTokensOpenOnlyTheirOwnProposal) {
    auto a_call = [&](const std::string& m, const std::string& t, const json& body) {
        return call(m, t, a.owner_token, body);
    };
    auto b_link = call("POST", "/api/v1/proposals/" + b_objects["proposal"] + "/links", b.owner_token, json::object());
    ASSERT_EQ(b_link.status, 201);
    const std::string b_token = b_link.body["token"];
    auto invoice_link =
        call("POST", "/api/v1/invoices/" + make_invoice(a, a_client, "sent") + "/links", a.owner_token, json::object());
    ASSERT_EQ(invoice_link.status, 201);
    std::map<std::string, std::string> foreign = b_objects;
    foreign["invoice_link_token"] = invoice_link.body["url"].get<std::string>().substr(3);
    int routes = 0, visitor = 0;
    auto next_visitor = [&] { remote_address = "203.0.113." + std::to_string(++visitor); };
    for (const auto& r : server::route_table()) {
        if (r.scope != TenantScope::link || std::string(r.pattern).rfind("/api/v1/public/proposals/", 0) != 0)
            continue;
        ++routes;
        auto mine_pipeline = make_pipeline(a_call, "Alpha Prospect " + std::to_string(routes));
        auto link = call("POST", "/api/v1/proposals/" + mine_pipeline.proposal + "/links", a.owner_token,
                         json::object());
        ASSERT_EQ(link.status, 201) << link.raw.body;
        const std::string token = link.body["token"];
        const json body = std::string(r.method) == "POST" ? json::object() : json(nullptr);
        next_visitor();
        auto missing = call(r.method, fill(r.pattern, std::string(64, 'a')), "", body);
        ASSERT_EQ(missing.status, 404) << r.pattern << missing.raw.body;
        for (const auto& [type, id] : foreign) {
            next_visitor();
            auto got = call(r.method, fill(r.pattern, id), "", body);
            EXPECT_EQ(got.raw.body, missing.raw.body) << r.pattern << " with " << type;
        }
        next_visitor();
        auto mine = call(r.method, fill(r.pattern, token), "", body);
        EXPECT_LT(mine.status, 300) << r.pattern << mine.raw.body;
        EXPECT_NE(mine.raw.body.find(mine_pipeline.proposal), std::string::npos) << r.pattern;
        EXPECT_EQ(mine.raw.body.find(b_objects["proposal"]), std::string::npos) << r.pattern;
        EXPECT_EQ(mine.raw.body.find(b.id), std::string::npos) << r.pattern;
        next_visitor();
        auto theirs = call(r.method, fill(r.pattern, b_token), "", body);
        EXPECT_EQ(theirs.raw.body.find(mine_pipeline.proposal), std::string::npos) << r.pattern;
        EXPECT_EQ(theirs.raw.body.find(a.id), std::string::npos) << r.pattern;
        // Revoked, it is the one 404 again.
        ASSERT_EQ(call("POST", "/api/v1/proposal-links/" + link.body["id"].get<std::string>() + "/revoke", a.owner_token,
                       json::object())
                      .status,
                  200);
        next_visitor();
        EXPECT_EQ(call(r.method, fill(r.pattern, token), "", body).raw.body, missing.raw.body) << r.pattern;
    }
    EXPECT_EQ(routes, 3);
    // A firm cannot list or revoke another firm's proposal links.
    EXPECT_EQ(call("GET", "/api/v1/proposals/" + b_objects["proposal"] + "/links", a.owner_token).status, 404);
    EXPECT_EQ(call("POST", "/api/v1/proposal-links/" + b_link.body["id"].get<std::string>() + "/revoke", a.owner_token,
                   json::object())
                  .status,
              404);
}

// Portal invitations: a token activates its one invited portal user; another firm's
// objects' ids, a signed link's token or an unknown token are the same 404.
TEST_F(Tenancy, PortalInvitationTokensOpenOnlyTheirOwnInvitation) {
    auto a_call = [&](const std::string& m, const std::string& t, const json& body) {
        return call(m, t, a.owner_token, body);
    };
    auto pipeline = make_pipeline(a_call, "Alpha Invitee", "2026-12-31", false);
    ASSERT_EQ(call("PATCH", "/api/v1/proposals/" + pipeline.proposal, a.owner_token,
                   {{"portal_user", {{"email", "invitee@alpha.test"}, {"name", "Invitee"}}}})
                  .status,
              200);
    ASSERT_EQ(call("POST", "/api/v1/proposals/" + pipeline.proposal + "/send", a.owner_token, json::object()).status,
              200);
    auto accepted = call("POST", "/api/v1/proposals/" + pipeline.proposal + "/accept", a.owner_token, json::object());
    ASSERT_EQ(accepted.status, 201) << accepted.raw.body;
    const std::string token = accepted.body["portal_invitation"]["url"].get<std::string>().substr(34);
    std::map<std::string, std::string> foreign = b_objects;
    auto b_link = call("POST", "/api/v1/proposals/" + b_objects["proposal"] + "/links", b.owner_token, json::object());
    foreign["proposal_link_token"] = b_link.body.value("token", "");
    int routes = 0, visitor = 0;
    const json body{{"password", kPassword}};
    for (const auto& r : server::route_table()) {
        if (r.scope != TenantScope::link || std::string(r.pattern).rfind("/api/v1/public/portal-invitations/", 0) != 0)
            continue;
        ++routes;
        remote_address = "198.18.0." + std::to_string(++visitor);
        auto missing = call(r.method, fill(r.pattern, std::string(64, 'a')), "", body);
        ASSERT_EQ(missing.status, 404) << r.pattern << missing.raw.body;
        for (const auto& [type, id] : foreign) {
            remote_address = "198.18.0." + std::to_string(++visitor);
            EXPECT_EQ(call(r.method, fill(r.pattern, id), "", body).raw.body, missing.raw.body)
                << r.pattern << " with " << type;
        }
        auto mine = call(r.method, fill(r.pattern, token), "", body);
        EXPECT_EQ(mine.status, 200) << mine.raw.body;
        EXPECT_EQ(mine.raw.body.find(b.id), std::string::npos);
    }
    EXPECT_EQ(routes, 1);
}

TEST_F(Tenancy, ReferencesInBodiesToForeignObjectsAre404) {
    auto missing = call("POST", "/api/v1/engagements", a.owner_token,
                        {{"client_id", "cli_000000000000000000000000"},
                         {"name", "X"},
                         {"pricing_mode", "hourly"},
                         {"hourly_rate", "100"},
                         {"start_date", "2026-01-01"}});
    auto foreign = call("POST", "/api/v1/engagements", a.owner_token,
                        {{"client_id", b_client},
                         {"name", "X"},
                         {"pricing_mode", "hourly"},
                         {"hourly_rate", "100"},
                         {"start_date", "2026-01-01"}});
    EXPECT_EQ(missing.status, 404);
    EXPECT_EQ(foreign.status, 404);
    EXPECT_EQ(foreign.raw.body, missing.raw.body);
}

TEST_F(Tenancy, FirmListShowsOnlyTheCallersFirms) {
    auto r = call("GET", "/api/v1/firms", a.owner_token);
    ASSERT_EQ(r.status, 200) << r.raw.body;
    ASSERT_EQ(r.body["data"].size(), 1u);
    EXPECT_EQ(r.body["data"][0]["id"], a.id);
    EXPECT_EQ(r.body["data"][0]["role"], "owner");
}

TEST_F(Tenancy, ListsOnlyShowOwnFirm) {
    // Firm A has something in every list, so an empty answer cannot pass for a filtered one.
    make_invoice(a, a_client, "sent");
    make_engagement(a, a_client);
    auto op = make_operator("op-a@platform.test");
    auto bg = call("POST", "/api/v1/operator/break-glass", op, {{"firm_id", a.id}, {"reason", "own list"}});
    ASSERT_EQ(bg.status, 201) << bg.raw.body;
    // The items of these lists carry firm_id; it must be there and be A's.
    const std::set<std::string> with_firm_id = {"/api/v1/memberships", "/api/v1/break-glass"};
    for (const char* path : {"/api/v1/clients", "/api/v1/engagements", "/api/v1/invoices",
                             "/api/v1/memberships", "/api/v1/audit", "/api/v1/break-glass"}) {
        auto r = call("GET", path, a.owner_token);
        ASSERT_EQ(r.status, 200) << path;
        ASSERT_TRUE(r.body["data"].is_array()) << path;
        ASSERT_FALSE(r.body["data"].empty()) << path;
        for (const auto& item : r.body["data"]) {
            for (const auto& [type, id] : b_objects) EXPECT_NE(item.value("id", ""), id) << path;
            if (with_firm_id.count(path)) {
                ASSERT_TRUE(item.contains("firm_id")) << path;
                EXPECT_EQ(item["firm_id"], a.id) << path;
            } else if (item.contains("firm_id")) {
                EXPECT_EQ(item["firm_id"], a.id) << path;
            }
        }
    }
}

TEST_F(Tenancy, PortalUsersReachOnlyThePortal) {
    for (const auto& r : server::route_table()) {
        if (r.access != server::Access::firm && r.access != server::Access::operator_) continue;
        auto got = call(r.method, fill(r.pattern, "x"), portal,
                        std::string(r.method) == "GET" ? json(nullptr) : json::object());
        EXPECT_EQ(got.status, 403) << r.pattern;
        EXPECT_EQ(got.body["error"]["code"], "PORTAL_ACCESS_DENIED") << r.pattern;
    }
}

TEST_F(Tenancy, PortalSeesOwnIssuedInvoicesOnlyAndFlagsGate) {
    auto sent = make_invoice(a, a_client, "sent");
    make_invoice(a, a_client, "draft");
    make_invoice(a, a_other_client, "sent");
    auto list = call("GET", "/api/v1/portal/invoices", portal);
    ASSERT_EQ(list.status, 200) << list.raw.body;
    ASSERT_EQ(list.body["data"].size(), 1u);
    EXPECT_EQ(list.body["data"][0]["id"], sent);
    EXPECT_EQ(call("GET", "/api/v1/portal/invoices/" + sent, portal).status, 200);

    auto no_billing = make_portal_user(a, a_client, "nobill@alpha-client.test", false, true);
    auto denied = call("GET", "/api/v1/portal/invoices", no_billing);
    EXPECT_EQ(denied.status, 403);
    EXPECT_EQ(denied.body["error"]["code"], "PORTAL_ACCESS_DENIED");
    EXPECT_EQ(call("GET", "/api/v1/portal/engagements", no_billing).status, 200);
    // Staff tokens cannot use the portal surface.
    EXPECT_EQ(call("GET", "/api/v1/portal/invoices", a.owner_token).status, 403);
}

TEST_F(Tenancy, DisablingThePortalCutsOffItsUsers) {
    EXPECT_EQ(call("GET", "/api/v1/portal/me", portal).status, 200);
    EXPECT_EQ(call("PATCH", "/api/v1/clients/" + a_client, a.owner_token, {{"portal_enabled", false}}).status,
              200);
    auto r = call("GET", "/api/v1/portal/me", portal);
    EXPECT_EQ(r.status, 403);
    EXPECT_EQ(r.body["error"]["code"], "PORTAL_ACCESS_DENIED");
}

TEST_F(Tenancy, SuspendedFirmIsGatedWithFirmContextRequired) {
    auto op = make_operator("gate-op@platform.test");
    auto s = call("POST", "/api/v1/operator/firms/" + a.id + "/status", op,
                  {{"status", "suspended"}, {"reason", "unpaid"}});
    ASSERT_EQ(s.status, 200) << s.raw.body;
    auto r = call("GET", "/api/v1/clients", a.owner_token);
    EXPECT_EQ(r.status, 403);
    EXPECT_EQ(r.body["error"]["code"], "FIRM_CONTEXT_REQUIRED");
    EXPECT_EQ(call("GET", "/api/v1/portal/me", portal).body["error"]["code"], "FIRM_CONTEXT_REQUIRED");
    auto relog = call("POST", "/api/v1/auth/login", "", {{"email", a.owner_email}, {"password", kPassword}});
    EXPECT_EQ(relog.body["error"]["code"], "FIRM_CONTEXT_REQUIRED");
    // Firm B is unaffected; canceled is terminal.
    EXPECT_EQ(call("GET", "/api/v1/clients", b.owner_token).status, 200);
    EXPECT_EQ(call("POST", "/api/v1/operator/firms/" + a.id + "/status", op,
                   {{"status", "canceled"}, {"reason", "gone"}})
                  .status,
              200);
    EXPECT_EQ(call("POST", "/api/v1/operator/firms/" + a.id + "/status", op,
                   {{"status", "active"}, {"reason", "back"}})
                  .status,
              409);
}

TEST_F(Tenancy, CapabilitiesFollowRoles) {
    auto billing = add_member(a, "billing", "bill@alpha.test");
    auto staff = add_member(a, "staff", "staff@alpha.test");
    auto contractor = add_member(a, "contractor", "con@alpha.test");
    auto admin = add_member(a, "admin", "admin@alpha.test");
    EXPECT_EQ(call("GET", "/api/v1/invoices", billing).status, 200);
    EXPECT_EQ(call("POST", "/api/v1/clients", billing, {{"company_name", "N"}, {"billing_email", "n@n.test"}})
                  .status,
              403);
    EXPECT_EQ(call("GET", "/api/v1/clients", staff).status, 200);
    EXPECT_EQ(call("GET", "/api/v1/invoices", staff).status, 403);
    EXPECT_EQ(call("GET", "/api/v1/clients", contractor).status, 403);
    EXPECT_EQ(call("GET", "/api/v1/audit", admin).status, 200);
    EXPECT_EQ(call("GET", "/api/v1/audit", billing).status, 403);
    // Admin: all but firm settings; only owners grant owner.
    EXPECT_EQ(call("PATCH", "/api/v1/firm/settings", admin, {{"name", "X"}}).status, 403);
    EXPECT_EQ(call("POST", "/api/v1/memberships", admin,
                   {{"email", "o2@alpha.test"}, {"name", "O"}, {"role", "owner"}, {"password", kPassword}})
                  .status,
              403);
}

TEST_F(Tenancy, OperatorsSeeMetadataOnlyAndNoFirmContent) {
    auto op = make_operator("meta@platform.test", false);
    auto firms = call("GET", "/api/v1/operator/firms", op);
    ASSERT_EQ(firms.status, 200);
    ASSERT_EQ(firms.body["data"].size(), 2u);
    std::set<std::string> keys;
    for (const auto& [k, v] : firms.body["data"][0].items()) keys.insert(k);
    EXPECT_EQ(keys, (std::set<std::string>{"object", "id", "name", "slug", "status", "plan", "counts",
                                           "created_at"}));
    EXPECT_EQ(call("GET", "/api/v1/clients", op).body["error"]["code"], "FIRM_CONTEXT_REQUIRED");
    EXPECT_EQ(call("GET", "/api/v1/operator/firms", a.owner_token).status, 403);
}

}  // namespace
}  // namespace cp::test
