// Tests for mutants that survived scripts/mutate in payments, credits, memberships and the
// package run API: each names the rule the mutant broke.
#include "tests/server/billing_support.hpp"

namespace cp::test {
namespace {

class PaymentsSurvivors : public BillingTest {
protected:
    std::string issued(const std::string& amount, const std::string& client_id = "") {
        const std::string id = draft({line("1", amount)}, client_id);
        EXPECT_EQ(issue(id).status, 200);
        return id;
    }
    std::string membership_of(const std::string& token) {
        auto me = call("GET", "/api/v1/auth/me", token);
        return me.body["membership"].value("id", "");
    }
};

// A refunded invoice takes no new payment; the payment's answer shows its invoice without lines.
TEST_F(PaymentsSurvivors, RefundedInvoicesAreNotPayable) {
    const std::string inv = issued("10.00");
    auto paid = call("POST", "/api/v1/invoices/" + inv + "/payments", billing, {{"amount", "10.00"}, {"method", "cash"}});
    ASSERT_EQ(paid.status, 201) << paid.raw.body;
    ASSERT_TRUE(paid.body.contains("invoice"));
    EXPECT_FALSE(paid.body["invoice"].contains("lines"));
    auto refund = call("POST", "/api/v1/payments/" + paid.body["id"].get<std::string>() + "/refunds", billing,
                       {{"amount", "10.00"}, {"reason", "returned"}});
    ASSERT_EQ(refund.status, 201) << refund.raw.body;
    auto again = call("POST", "/api/v1/invoices/" + inv + "/payments", billing, {{"amount", "1.00"}, {"method", "cash"}});
    EXPECT_EQ(again.status, 409) << again.raw.body;
    EXPECT_EQ(again.body["error"]["code"], "NOT_PAYABLE");
}

// The approver must be an active owner or admin; the approved kind is the requested one; the
// answer is the approving client's own ledger.
TEST_F(PaymentsSurvivors, CreditRequestsNeedAnActiveOwnerOrAdminAndKeepTheirKind) {
    auto admin = add_member(firm, "admin", "admin@acme.test");
    const std::string admin_id = membership_of(admin);
    const std::string billing_id = membership_of(billing);
    auto to = [&](const std::string& client_id, const std::string& approver, const char* kind, const char* amount) {
        return call("POST", "/api/v1/clients/" + client_id + "/credits", firm.owner_token,
                    {{"kind", kind}, {"amount", amount}, {"currency", "USD"}, {"reason", "r"}, {"approved_by", approver}});
    };
    auto by_billing = to(client, billing_id, "goodwill", "5.00");
    EXPECT_EQ(by_billing.status, 422);
    EXPECT_EQ(by_billing.body["error"]["code"], "INVALID_APPROVER");
    const std::string other = make_client(firm, "Other Co");
    auto first = to(client, admin_id, "goodwill", "5.00");
    auto second = to(other, admin_id, "correction", "7.00");
    ASSERT_EQ(first.status, 202) << first.raw.body;
    ASSERT_EQ(second.status, 202) << second.raw.body;
    auto a = call("POST", "/api/v1/credit-requests/" + first.body["id"].get<std::string>() + "/approve", admin, json::object());
    ASSERT_EQ(a.status, 201) << a.raw.body;
    auto b = call("POST", "/api/v1/credit-requests/" + second.body["id"].get<std::string>() + "/approve", admin, json::object());
    ASSERT_EQ(b.status, 201) << b.raw.body;
    EXPECT_EQ(b.body["balance_after"], "7.00") << "another client's ledger answered";
    EXPECT_EQ(b.body["kind"], "correction");
    EXPECT_EQ(a.body["kind"], "goodwill");
    // A disabled admin approves nothing.
    ASSERT_EQ(call("PATCH", "/api/v1/memberships/" + admin_id, firm.owner_token, {{"status", "disabled"}}).status, 200);
    EXPECT_EQ(to(client, admin_id, "goodwill", "1.00").body["error"]["code"], "INVALID_APPROVER");
}

// Disabling a member ends their sessions at once, and the change is audited with before/after.
TEST_F(PaymentsSurvivors, DisablingAMemberEndsTheirSessionsAndIsAudited) {
    const std::string staff_id = membership_of(staff);
    ASSERT_EQ(call("GET", "/api/v1/auth/me", staff).status, 200);
    ASSERT_EQ(call("PATCH", "/api/v1/memberships/" + staff_id, firm.owner_token, {{"status", "disabled"}}).status, 200);
    EXPECT_EQ(call("GET", "/api/v1/auth/me", staff).status, 401);
    auto audit = call("GET", "/api/v1/audit?action=membership.update", firm.owner_token);
    ASSERT_EQ(audit.body["data"].size(), 1u) << audit.raw.body;
    EXPECT_EQ(audit.body["data"][0]["metadata"]["before"]["status"], "active");
}

// The package run API takes today (in the firm's zone) and refuses tomorrow.
TEST_F(PaymentsSurvivors, PackageRunAcceptsTodayAndRefusesTomorrow) {
    // The clock starts at 2026-09-21T14:13:20Z: 10:13 in New York, the firm's zone.
    EXPECT_EQ(call("POST", "/api/v1/billing/package-run", firm.owner_token, {{"date", "2026-09-21"}, {"dry_run", true}}).status,
              200);
    EXPECT_EQ(call("POST", "/api/v1/billing/package-run", firm.owner_token, {{"date", "2026-09-22"}, {"dry_run", true}})
                  .body["error"]["code"],
              "DATE_IN_FUTURE");
}

}  // namespace
}  // namespace cp::test
