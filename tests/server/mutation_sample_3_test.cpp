// Server tests for rules of the second `scripts/mutate --max 200 --seed 1` sample (after
// Billing I–V, Email, Firm exit, CRM) that no test observed: each names the rule, the file it
// guards and the single-point change it catches.
#include "tests/server/billing_support.hpp"

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

}  // namespace
}  // namespace cp::test
