// `?q=` on the lists the portal's global search reads: invoices by number, engagements by
// name (clients by name have their own tests). Case-insensitive substrings, LIKE wildcards
// literal, bounded, and never another firm's rows.
#include "tests/server/support.hpp"

namespace cp::test {
namespace {

class Search : public ServerTest {
protected:
    // make_invoice numbers invoices from a counter shared by all tests: name them here.
    std::string invoice_numbered(const Firm& firm, const std::string& client, const std::string& number) {
        const std::string id = make_invoice(firm, client, "sent");
        storage::Transaction tx(db());
        tx.exec("UPDATE invoices SET number = ? WHERE id = ?", {number, id});
        tx.commit();
        return id;
    }

    std::vector<std::string> ids(const Reply& r, const char* key = "id") {
        std::vector<std::string> out;
        for (const auto& row : r.body["data"]) out.push_back(row[key]);
        return out;
    }
};

TEST_F(Search, InvoicesMatchANumberSubstringInAnyCase) {
    auto a = make_firm("search-a");
    const auto client = make_client(a, "Acme");
    const auto first = invoice_numbered(a, client, "INV-0042");
    const auto second = invoice_numbered(a, client, "INV-0142");
    invoice_numbered(a, client, "CN-0001");
    make_invoice(a, client, "draft");  // no number: never a match

    auto r = call("GET", "/api/v1/invoices?q=inv-00", a.owner_token);
    ASSERT_EQ(r.status, 200) << r.raw.body;
    EXPECT_EQ(ids(r), (std::vector<std::string>{first}));
    r = call("GET", "/api/v1/invoices?q=42", a.owner_token);
    EXPECT_EQ(ids(r), (std::vector<std::string>{first, second}));
    // Combined with the other filters, not instead of them.
    r = call("GET", "/api/v1/invoices?q=42&status=paid", a.owner_token);
    EXPECT_TRUE(r.body["data"].empty()) << r.raw.body;
    // An empty q is no filter.
    EXPECT_EQ(call("GET", "/api/v1/invoices?q=", a.owner_token).body["data"].size(), 4u);
}

TEST_F(Search, InvoiceSearchTreatsWildcardsLiterally) {
    auto a = make_firm("search-b");
    const auto client = make_client(a, "Acme");
    invoice_numbered(a, client, "INV-0001");
    const auto odd = invoice_numbered(a, client, "INV_50%");
    EXPECT_EQ(ids(call("GET", "/api/v1/invoices?q=_", a.owner_token)), (std::vector<std::string>{odd}));
    EXPECT_EQ(ids(call("GET", "/api/v1/invoices?q=%25", a.owner_token)), (std::vector<std::string>{odd}));
}

TEST_F(Search, EngagementsMatchANameSubstringInAnyCase) {
    auto a = make_firm("search-c");
    const auto client = make_client(a, "Acme");
    const auto advisory = make_engagement(a, client);  // "Advisory"
    auto tax = call("POST", "/api/v1/engagements", a.owner_token,
                    {{"client_id", client},
                     {"name", "Tax filing 2026"},
                     {"pricing_mode", "hourly"},
                     {"hourly_rate", "120.00"},
                     {"start_date", "2026-01-01"}});
    ASSERT_EQ(tax.status, 201) << tax.raw.body;
    EXPECT_EQ(ids(call("GET", "/api/v1/engagements?q=ADVIS", a.owner_token)), (std::vector<std::string>{advisory}));
    EXPECT_EQ(ids(call("GET", "/api/v1/engagements?q=filing", a.owner_token)),
              (std::vector<std::string>{tax.body["id"]}));
    EXPECT_TRUE(call("GET", "/api/v1/engagements?q=%25", a.owner_token).body["data"].empty());
}

TEST_F(Search, AnotherFirmsRowsNeverAppear) {
    auto a = make_firm("search-d");
    auto b = make_firm("search-e");
    const auto mine = invoice_numbered(a, make_client(a, "Mine"), "SHARED-1");
    const auto theirs_client = make_client(b, "Theirs");
    invoice_numbered(b, theirs_client, "SHARED-2");
    make_engagement(b, theirs_client);
    EXPECT_EQ(ids(call("GET", "/api/v1/invoices?q=shared", a.owner_token)), (std::vector<std::string>{mine}));
    EXPECT_TRUE(call("GET", "/api/v1/engagements?q=advisory", a.owner_token).body["data"].empty());
    EXPECT_TRUE(call("GET", "/api/v1/clients?q=theirs", a.owner_token).body["data"].empty());
}

TEST_F(Search, TermsAreBounded) {
    auto a = make_firm("search-f");
    const std::string long_q(101, 'x');
    for (const char* list : {"invoices", "engagements"}) {
        auto r = call("GET", std::string("/api/v1/") + list + "?q=" + long_q, a.owner_token);
        EXPECT_EQ(r.status, 400) << list;
        EXPECT_EQ(r.body["error"]["code"], "INVALID_FILTER") << list;
        EXPECT_EQ(r.body["error"]["field"], "q") << list;
    }
    EXPECT_EQ(call("GET", "/api/v1/invoices?q=" + std::string(100, 'x'), a.owner_token).status, 200);
}

}  // namespace
}  // namespace cp::test
