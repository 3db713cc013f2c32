// Server tests for rules of the second `scripts/mutate --max 200 --seed 1` sample (after
// Billing I–V, Email, Firm exit, CRM) that no test observed: each names the rule, the file it
// guards and the single-point change it catches.
#include "server/util/clock.hpp"
#include "tests/server/billing_support.hpp"
#include "tests/server/crm_support.hpp"

namespace cp::test {
namespace {

class MutationSample3 : public BillingTest {
protected:
    std::string issued(const std::string& amount) {
        const std::string id = draft({line("1", amount)});
        EXPECT_EQ(issue(id).status, 200);
        return id;
    }
    json audit_of(const std::string& action) {
        auto r = call("GET", "/api/v1/audit?limit=200&action=" + action, firm.owner_token);
        EXPECT_EQ(r.status, 200) << r.raw.body;
        return r.body["data"];
    }
};

// reports.cpp (csv_response): a report asked for as CSV is a download named for the report,
// not a page the browser shows (the Content-Disposition header dropped).
TEST_F(MutationSample3, AReportAsCsvIsAnAttachmentNamedForIt) {
    auto csv = call("GET", "/api/v1/reports/engagement-mix", firm.owner_token, nullptr, {{"accept", "text/csv"}});
    ASSERT_EQ(csv.status, 200) << csv.raw.body;
    EXPECT_EQ(csv.header("Content-Disposition").value_or(""), "attachment; filename=\"engagement-mix.csv\"");
}

// reports.cpp (revenue): a voided invoice issued inside the window is not revenue (the
// `status NOT IN ('draft', 'void')` condition dropped would count it).
TEST_F(MutationSample3, RevenueLeavesOutAVoidedInvoiceOfTheWindow) {
    const std::string kept = issued("120.00");
    const std::string voided = issued("75.00");
    ASSERT_EQ(call("POST", "/api/v1/invoices/" + voided + "/void", firm.owner_token, {{"reason", "duplicate"}}).status,
              200);
    const std::string day = call("GET", "/api/v1/invoices/" + kept, firm.owner_token).body["issue_date"];
    auto r = call("GET", "/api/v1/reports/revenue?from=" + day + "&to=" + day, firm.owner_token);
    ASSERT_EQ(r.status, 200) << r.raw.body;
    ASSERT_EQ(r.body["currencies"].size(), 1u) << r.raw.body;
    EXPECT_EQ(r.body["currencies"][0]["total"]["issued"], "120.00") << r.raw.body;
}

// payments.cpp (refund): the refund's audit event names the payment it refunded (target id).
TEST_F(MutationSample3, ARefundsAuditEventNamesThePayment) {
    const std::string inv = issued("90.00");
    auto paid = call("POST", "/api/v1/invoices/" + inv + "/payments", firm.owner_token,
                     {{"amount", "90.00"}, {"method", "bank_transfer"}});
    ASSERT_EQ(paid.status, 201) << paid.raw.body;
    const std::string payment = paid.body["id"];
    auto refund = call("POST", "/api/v1/payments/" + payment + "/refunds", firm.owner_token,
                       {{"amount", "30.00"}, {"reason", "Discount agreed"}});
    ASSERT_EQ(refund.status, 201) << refund.raw.body;
    auto events = audit_of("payment.refund");
    ASSERT_EQ(events.size(), 1u);
    EXPECT_EQ(events[0]["target"]["type"], "payment");
    EXPECT_EQ(events[0]["target"]["id"], payment);
}

// payments.cpp (apply credit) and the ledger: credit applied to an invoice is a debit of kind
// applied_to_invoice, not the default kind (the kind assignment dropped).
TEST_F(MutationSample3, AppliedCreditIsADebitOfItsKind) {
    const std::string a = issued("100.00");
    const std::string b = issued("80.00");
    ASSERT_EQ(call("POST", "/api/v1/invoices/" + a + "/payments", firm.owner_token,
                   {{"amount", "130.00"}, {"method", "cash"}})
                  .status,
              201);
    auto applied = call("POST", "/api/v1/invoices/" + b + "/apply-credit", firm.owner_token, {{"amount", "30.00"}});
    ASSERT_EQ(applied.status, 201) << applied.raw.body;
    auto ledger = call("GET", "/api/v1/clients/" + client + "/credits", firm.owner_token);
    ASSERT_EQ(ledger.status, 200) << ledger.raw.body;
    ASSERT_EQ(ledger.body["data"].size(), 2u) << ledger.raw.body;
    EXPECT_EQ(ledger.body["data"][0]["kind"], "overpayment");
    EXPECT_EQ(ledger.body["data"][1]["kind"], "applied_to_invoice");
    EXPECT_EQ(ledger.body["data"][1]["direction"], "debit");
    EXPECT_EQ(ledger.body["data"][1]["invoice_id"], b);
    EXPECT_EQ(ledger.body["balances"]["USD"], "0.00");
}

// payments.cpp (credit_request_json): a goodwill request answers its kind and its named
// approver (fields dropped from the answer).
TEST_F(MutationSample3, ACreditRequestNamesItsKindAndApprover) {
    auto admin = add_member(firm, "admin", "admin2@acme.test");
    const std::string admin_membership = call("GET", "/api/v1/auth/me", admin).body["membership"].value("id", "");
    ASSERT_FALSE(admin_membership.empty());
    auto requested = call("POST", "/api/v1/clients/" + client + "/credits", firm.owner_token,
                          {{"kind", "goodwill"},
                           {"amount", "15.00"},
                           {"currency", "USD"},
                           {"reason", "Late delivery"},
                           {"approved_by", admin_membership}});
    ASSERT_EQ(requested.status, 202) << requested.raw.body;
    EXPECT_EQ(requested.body["kind"], "goodwill");
    EXPECT_EQ(requested.body["approved_by"], admin_membership);
    EXPECT_EQ(requested.body["amount"], "15.00");
}

// audit_log.cpp (the hashed payload): an event keeps the reason it was given (a void's reason
// dropped from the payload would read back as null).
TEST_F(MutationSample3, AVoidsAuditEventKeepsItsReason) {
    const std::string inv = issued("60.00");
    ASSERT_EQ(call("POST", "/api/v1/invoices/" + inv + "/void", firm.owner_token, {{"reason", "Sent twice"}}).status,
              200);
    auto events = audit_of("invoice.void");
    ASSERT_EQ(events.size(), 1u);
    EXPECT_EQ(events[0]["reason"], "Sent twice");
}

// proposals.cpp (list): a page holds `limit` proposals and says there are more (LIMIT limit + 1
// read one short would hold one fewer).
TEST_F(MutationSample3, ProposalPagesHoldLimitItems) {
    Caller as_owner = [&](const std::string& m, const std::string& t, const json& b) {
        return call(m, t, firm.owner_token, b);
    };
    for (const char* company : {"Alpha", "Beta", "Gamma"}) make_pipeline(as_owner, company);
    auto page = call("GET", "/api/v1/proposals?limit=2", firm.owner_token);
    ASSERT_EQ(page.status, 200) << page.raw.body;
    EXPECT_EQ(page.body["data"].size(), 2u);
    EXPECT_EQ(page.body["has_more"], true);
    auto all = call("GET", "/api/v1/proposals?limit=3", firm.owner_token);
    EXPECT_EQ(all.body["data"].size(), 3u);
    EXPECT_EQ(all.body["has_more"], false);
}

// payments.cpp (approve_credit_request): another firm's credit request is 404, not "you are not
// its approver" (the request read without firm_id would say it exists).
TEST_F(MutationSample3, AnotherFirmsCreditRequestIsNotFound) {
    auto admin = add_member(firm, "admin", "admin3@acme.test");
    const std::string admin_membership = call("GET", "/api/v1/auth/me", admin).body["membership"].value("id", "");
    auto requested = call("POST", "/api/v1/clients/" + client + "/credits", firm.owner_token,
                          {{"kind", "correction"},
                           {"amount", "5.00"},
                           {"currency", "USD"},
                           {"reason", "Rounding"},
                           {"approved_by", admin_membership}});
    ASSERT_EQ(requested.status, 202) << requested.raw.body;
    auto other = make_firm("other-firm");
    auto r = call("POST", "/api/v1/credit-requests/" + requested.body["id"].get<std::string>() + "/approve",
                  other.owner_token, json::object());
    EXPECT_EQ(r.status, 404) << r.raw.body;
}

// serializers.cpp (firm_json): a firm answers when it was created.
TEST_F(MutationSample3, AFirmAnswersItsCreationTime) {
    auto f = call("GET", "/api/v1/firm", firm.owner_token);
    ASSERT_EQ(f.status, 200) << f.raw.body;
    ASSERT_TRUE(f.body.contains("created_at")) << f.raw.body;
    EXPECT_EQ(f.body["created_at"], server::iso_time(clock->now()));
}

}  // namespace
}  // namespace cp::test
