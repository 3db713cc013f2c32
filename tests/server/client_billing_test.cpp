// Billing V for clients: the portal's summary and payments, and signed invoice links
// (hashed tokens, expiry, revocation, throttling, audited views, paying without an account).
#include "server/util/crypto.hpp"
#include "tests/server/billing_support.hpp"

namespace cp::test {
namespace {

class ClientBilling : public BillingTest {
protected:
    void SetUp() override {
        BillingTest::SetUp();
        portal = make_portal_user(firm, client, "ap@globex.test");
        invoice = draft({line("2", "150.00")});  // 300.00
        EXPECT_EQ(issue(invoice).status, 200);
    }
    std::string link_token(const std::string& id, int days = 14) {
        auto r = call("POST", "/api/v1/invoices/" + id + "/links", billing, {{"expires_in_days", days}});
        EXPECT_EQ(r.status, 201) << r.raw.body;
        const std::string url = r.body.value("url", "");
        return url.size() > 3 ? url.substr(3) : "";
    }
    std::string portal, invoice;
};

TEST_F(ClientBilling, PortalPaysPartThenTheRestAndSeesItsHistory) {
    auto list = call("GET", "/api/v1/portal/invoices", portal);
    ASSERT_EQ(list.status, 200) << list.raw.body;
    EXPECT_EQ(list.body["summary"]["by_currency"]["USD"]["outstanding"], "300.00");
    EXPECT_EQ(list.body["summary"]["by_currency"]["USD"]["overdue"], "0.00");
    EXPECT_EQ(list.body["summary"]["next_due"]["invoice_id"], invoice);

    auto part = call("POST", "/api/v1/portal/invoices/" + invoice + "/payments", portal,
                     {{"amount", "120.00"}, {"payment_method", "pm_card_visa"}});
    ASSERT_EQ(part.status, 201) << part.raw.body;
    EXPECT_EQ(part.body["payment"]["status"], "succeeded");
    EXPECT_EQ(part.body["invoice"]["status"], "partial");
    EXPECT_EQ(part.body["invoice"]["balance_due"], "180.00");
    EXPECT_FALSE(part.body["payment"].contains("processor_key"));

    auto too_much = call("POST", "/api/v1/portal/invoices/" + invoice + "/payments", portal,
                         {{"amount", "180.01"}, {"payment_method", "pm_card_visa"}});
    EXPECT_EQ(too_much.status, 422);
    EXPECT_EQ(too_much.body["error"]["code"], "EXCEEDS_BALANCE_DUE");
    EXPECT_EQ(too_much.body["error"]["field"], "amount");
    auto declined = call("POST", "/api/v1/portal/invoices/" + invoice + "/payments", portal,
                         {{"payment_method", "pm_card_chargeDeclined"}});
    EXPECT_EQ(declined.status, 201);
    EXPECT_EQ(declined.body["payment"]["status"], "failed");
    EXPECT_EQ(declined.body["invoice"]["balance_due"], "180.00");
    auto rest = call("POST", "/api/v1/portal/invoices/" + invoice + "/payments", portal,
                     {{"payment_method", "pm_card_visa"}});  // no amount: the whole balance
    ASSERT_EQ(rest.status, 201) << rest.raw.body;
    EXPECT_EQ(rest.body["payment"]["amount"], "180.00");
    EXPECT_EQ(rest.body["invoice"]["status"], "paid");
    auto again = call("POST", "/api/v1/portal/invoices/" + invoice + "/payments", portal,
                      {{"payment_method", "pm_card_visa"}});
    EXPECT_EQ(again.status, 409);
    EXPECT_EQ(again.body["error"]["code"], "NOT_PAYABLE");

    auto history = call("GET", "/api/v1/portal/payments", portal);
    ASSERT_EQ(history.status, 200);
    ASSERT_EQ(history.body["data"].size(), 3u);
    EXPECT_EQ(history.body["data"][1]["status"], "failed");
    EXPECT_EQ(call("GET", "/api/v1/portal/invoices", portal).body["summary"]["next_due"], nullptr);
    // The staff side sees who paid: the portal user, through the processor.
    auto staff_view = call("GET", "/api/v1/payments?invoice_id=" + invoice + "&source=portal", firm.owner_token);
    EXPECT_EQ(staff_view.body["data"].size(), 3u);
}

TEST_F(ClientBilling, PortalPaymentsNeedBillingAccessAndTheirOwnClient) {
    auto no_billing = make_portal_user(firm, client, "pm@globex.test", false, true);
    auto denied = call("POST", "/api/v1/portal/invoices/" + invoice + "/payments", no_billing,
                       {{"payment_method", "pm_card_visa"}});
    EXPECT_EQ(denied.status, 403);
    EXPECT_EQ(denied.body["error"]["code"], "PORTAL_ACCESS_DENIED");
    EXPECT_EQ(call("GET", "/api/v1/portal/payments", no_billing).status, 403);
    auto other_client = make_client(firm, "Initech");
    auto other_portal = make_portal_user(firm, other_client, "ap@initech.test");
    EXPECT_EQ(call("POST", "/api/v1/portal/invoices/" + invoice + "/payments", other_portal,
                   {{"payment_method", "pm_card_visa"}})
                  .status,
              404);
    auto missing_pm = call("POST", "/api/v1/portal/invoices/" + invoice + "/payments", portal, json::object());
    EXPECT_EQ(missing_pm.status, 422);
    EXPECT_EQ(missing_pm.body["error"]["field"], "payment_method");
    auto zero = call("POST", "/api/v1/portal/invoices/" + invoice + "/payments", portal,
                     {{"amount", "0.00"}, {"payment_method", "pm_card_visa"}});
    EXPECT_EQ(zero.body["error"]["code"], "OUT_OF_RANGE");
}

TEST_F(ClientBilling, ASignedLinkOpensPaysAndDownloadsWithoutAnAccount) {
    auto created = call("POST", "/api/v1/invoices/" + invoice + "/links", billing, {{"expires_in_days", 90}});
    ASSERT_EQ(created.status, 201) << created.raw.body;
    const std::string url = created.body["url"];
    ASSERT_EQ(url.rfind("/i/", 0), 0u);
    const std::string token = url.substr(3);
    EXPECT_EQ(token.size(), 64u);  // 256 random bits
    {
        storage::Transaction tx(db());
        auto row = tx.query_one("SELECT token_hash FROM invoice_links WHERE id = ?", {created.body["id"].get<std::string>()});
        EXPECT_EQ(row->str("token_hash"), server::sha256_hex(token));  // only the hash is kept
    }
    EXPECT_EQ(call("POST", "/api/v1/invoices/" + invoice + "/links", billing, {{"expires_in_days", 91}}).status, 422);
    auto listed = call("GET", "/api/v1/invoices/" + invoice + "/links", firm.owner_token);
    // Two: the one minted for the issue email (client email outbox) and this one.
    ASSERT_EQ(listed.body["data"].size(), 2u);
    EXPECT_EQ(listed.raw.body.find(token), std::string::npos);
    auto views_of_created = [&] {
        const auto links = call("GET", "/api/v1/invoices/" + invoice + "/links", firm.owner_token);
        for (const auto& l : links.body["data"]) {
            if (l["id"] == created.body["id"]) return l["views"].get<int>();
        }
        return -1;
    };

    auto opened = call("GET", "/api/v1/public/invoices/" + token);
    ASSERT_EQ(opened.status, 200) << opened.raw.body;
    EXPECT_EQ(opened.body["invoice"]["total"], "300.00");
    EXPECT_EQ(opened.body["invoice"]["lines"].size(), 1u);
    EXPECT_TRUE(opened.body["payable"]);
    EXPECT_EQ(opened.body["client"]["name"], "Globex");
    auto paid = call("POST", "/api/v1/public/invoices/" + token + "/payments", "",
                     {{"amount", "100.00"}, {"payment_method", "pm_card_visa"}});
    ASSERT_EQ(paid.status, 201) << paid.raw.body;
    EXPECT_EQ(paid.body["invoice"]["balance_due"], "200.00");
    auto history = call("GET", "/api/v1/public/invoices/" + token + "/payments");
    ASSERT_EQ(history.body["data"].size(), 1u);
    auto pdf = call("GET", "/api/v1/public/invoices/" + token + "/pdf");
    EXPECT_EQ(pdf.status, 200);
    EXPECT_EQ(pdf.raw.content_type, "application/pdf");

    // Every view is audited, without content.
    auto audit = call("GET", "/api/v1/audit?action=invoice_link.view&limit=50", firm.owner_token);
    ASSERT_EQ(audit.body["data"].size(), 4u) << audit.raw.body;
    EXPECT_EQ(audit.body["data"][0]["actor"]["type"], "anonymous");
    EXPECT_EQ(audit.raw.body.find("300.00"), std::string::npos);
    EXPECT_EQ(views_of_created(), 4);

    // Revoked: the one 404, on every route of the link.
    auto revoke = call("POST", "/api/v1/invoice-links/" + created.body["id"].get<std::string>() + "/revoke", billing,
                       json::object());
    EXPECT_EQ(revoke.status, 200);
    auto gone = call("GET", "/api/v1/public/invoices/" + token);
    EXPECT_EQ(gone.status, 404);
    EXPECT_EQ(gone.raw.body, call("GET", "/api/v1/public/invoices/" + std::string(64, '0')).raw.body);
    EXPECT_EQ(call("GET", "/api/v1/public/invoices/" + token + "/pdf").status, 404);
    EXPECT_EQ(call("POST", "/api/v1/invoice-links/" + created.body["id"].get<std::string>() + "/revoke", billing,
                   json::object())
                  .body["error"]["code"],
              "ALREADY_REVOKED");
}

TEST_F(ClientBilling, ExpiredLinksAre410AndGuessingIsThrottled) {
    const std::string token = link_token(invoice, 1);
    EXPECT_EQ(call("GET", "/api/v1/public/invoices/" + token).status, 200);
    clock->advance(86400 - 1);
    EXPECT_EQ(call("GET", "/api/v1/public/invoices/" + token).status, 200);  // its last second
    clock->advance(1);
    auto expired = call("GET", "/api/v1/public/invoices/" + token);
    EXPECT_EQ(expired.status, 410);
    EXPECT_EQ(expired.body["error"]["code"], "LINK_EXPIRED");
    // Wrong tokens from one address: like passwords, 5 misses then 429 with Retry-After.
    remote_address = "203.0.113.9";
    for (int i = 0; i < 5; ++i)
        EXPECT_EQ(call("GET", "/api/v1/public/invoices/" + std::string(63, 'b') + std::to_string(i)).status, 404);
    auto throttled = call("GET", "/api/v1/public/invoices/" + std::string(64, 'c'));
    EXPECT_EQ(throttled.status, 429);
    EXPECT_TRUE(throttled.header("retry-after"));
    remote_address = "203.0.113.10";  // another visitor is not affected
    EXPECT_EQ(call("GET", "/api/v1/public/invoices/" + token).status, 410);
    clock->advance(-86400);  // back before the sessions' expiry
    EXPECT_EQ(call("GET", "/api/v1/public/invoices/" + link_token(invoice)).status, 200);
    // Drafts cannot be shared; staff without invoices.write cannot create links.
    EXPECT_EQ(call("POST", "/api/v1/invoices/" + draft({line("1", "1.00")}) + "/links", billing, json::object()).status,
              409);
    EXPECT_EQ(call("POST", "/api/v1/invoices/" + invoice + "/links", staff, json::object()).status, 403);
}

}  // namespace
}  // namespace cp::test
