// The invoice list sorted by a column and filtered by dates: every order walked page by
// page (two rows a page) gives each invoice exactly once, in the order of the column with
// ties by id and rows without a value last; dates are inclusive; bad parameters are 400s
// at their field; another firm's invoices never appear.
#include <algorithm>
#include <set>

#include "shared/validation/invoice_list_query.hpp"
#include "tests/server/support.hpp"

namespace cp::test {
namespace {

struct Stored {
    std::string id;
    std::string currency = "USD";
    std::optional<std::string> number, issue_date, due_date;
    std::int64_t total = 0, balance_due = 0;
};

class InvoiceListOrder : public ServerTest {
protected:
    void SetUp() override {
        ServerTest::SetUp();
        firm = make_firm("order-a");
        other = make_firm("order-b");
        client = make_client(firm, "Acme");
        // Ties on purpose: two invoices share each date and total, so the id decides.
        add("INV-3", "2026-03-01", "2026-03-31", 30000, 30000);
        add("INV-1", "2026-01-15", "2026-02-14", 10000, 0);
        add("INV-2", "2026-03-01", "2026-03-31", 10000, 5000);
        add("INV-5", "2026-05-20", "2026-06-19", 99999, 99999);
        add("INV-4", "2026-04-30", "2026-05-30", 120000, 120000);
        add(std::nullopt, std::nullopt, std::nullopt, 500, 500);  // drafts
        add(std::nullopt, std::nullopt, std::nullopt, 30000, 30000);
        // 5,000 JPY: more minor units than any USD total here, and less money than most.
        add("INV-6", "2026-02-01", "2026-03-03", 5000, 5000, "JPY");
        const auto foreign_client = make_client(other, "Elsewhere");
        make_invoice(other, foreign_client, "sent");
    }

    void add(std::optional<std::string> number, std::optional<std::string> issued, std::optional<std::string> due,
             std::int64_t total, std::int64_t balance, const std::string& currency = "USD") {
        const std::string id = make_invoice(firm, client, number ? "sent" : "draft");
        storage::Transaction tx(db());
        tx.exec("UPDATE invoices SET number = ?, issue_date = ?, due_date = ?, total = ?, subtotal = ?, "
                "balance_due = ?, amount_paid = ?, currency = ? WHERE id = ?",
                {storage::nullable(number), storage::nullable(issued), storage::nullable(due), total, total, balance,
                 total - balance, currency, id});
        tx.commit();
        stored.push_back({id, currency, number, issued, due, total, balance});
    }

    // Every page of `query`, two rows at a time, following next_cursor.
    std::vector<std::string> walk(const std::string& query, const std::string& token = "") {
        std::vector<std::string> ids;
        std::string cursor;
        for (int page = 0; page < 20; ++page) {
            auto r = call("GET", "/api/v1/invoices?limit=2&" + query + (cursor.empty() ? "" : "&cursor=" + cursor),
                          token.empty() ? firm.owner_token : token);
            EXPECT_EQ(r.status, 200) << query << ": " << r.raw.body;
            if (r.status != 200) break;
            for (const auto& row : r.body["data"]) ids.push_back(row["id"]);
            if (!r.body["has_more"].get<bool>()) return ids;
            cursor = r.body["next_cursor"];
        }
        ADD_FAILURE() << query << " never ended";
        return ids;
    }

    // The expected order of the stored rows: by the key, ties by id, rows without it last
    // in creation (id) order.
    std::vector<std::string> expected(const std::string& key, bool descending) {
        auto rows = stored;
        const auto text = [&](const Stored& s) -> std::optional<std::string> {
            if (key == "number") return s.number;
            if (key == "issue_date") return s.issue_date;
            return s.due_date;
        };
        const bool integer = key == "total" || key == "balance_due";
        std::sort(rows.begin(), rows.end(), [&](const Stored& a, const Stored& b) {
            if (integer) {
                if (a.currency != b.currency) return descending ? a.currency > b.currency : a.currency < b.currency;
                const auto va = key == "total" ? a.total : a.balance_due, vb = key == "total" ? b.total : b.balance_due;
                if (va != vb) return descending ? va > vb : va < vb;
                return descending ? a.id > b.id : a.id < b.id;
            }
            const auto ta = text(a), tb = text(b);
            if (ta.has_value() != tb.has_value()) return ta.has_value();
            if (!ta) return a.id < b.id;
            if (*ta != *tb) return descending ? *ta > *tb : *ta < *tb;
            return descending ? a.id > b.id : a.id < b.id;
        });
        std::vector<std::string> ids;
        for (const auto& r : rows) ids.push_back(r.id);
        return ids;
    }

    Firm firm, other;
    std::string client;
    std::vector<Stored> stored;
};

TEST_F(InvoiceListOrder, EveryOrderBothWaysPagesThroughEachInvoiceOnce) {
    for (const auto& k : validation::kInvoiceSortKeys) {
        for (const bool descending : {false, true}) {
            const std::string key = k.name;
            const auto ids = walk(std::string("sort=") + (descending ? "-" : "") + key);
            EXPECT_EQ(ids, expected(key, descending)) << (descending ? "-" : "") << key;
        }
    }
    // No sort: creation order, as before.
    auto ids = walk("");
    auto by_id = ids;
    std::sort(by_id.begin(), by_id.end());
    EXPECT_EQ(ids, by_id);
    EXPECT_EQ(ids.size(), stored.size());
}

TEST_F(InvoiceListOrder, SortedPagesDoNotShiftWhenARowChangesBetweenThem) {
    auto first = call("GET", "/api/v1/invoices?limit=2&sort=-total", firm.owner_token);
    ASSERT_EQ(first.status, 200);
    const std::string cursor = first.body["next_cursor"];
    // A new invoice bigger than everything: it belongs on page one, not on page two.
    add("INV-9", "2026-06-01", "2026-07-01", 500000, 500000);
    auto second = call("GET", "/api/v1/invoices?limit=2&sort=-total&cursor=" + cursor, firm.owner_token);
    ASSERT_EQ(second.status, 200);
    std::vector<std::string> seen;
    for (const auto& r : first.body["data"]) seen.push_back(r["id"]);
    for (const auto& r : second.body["data"]) seen.push_back(r["id"]);
    const auto want = expected("total", true);  // now with INV-9 first
    EXPECT_EQ(seen, (std::vector<std::string>{want[1], want[2], want[3], want[4]}));
}

TEST_F(InvoiceListOrder, DateFiltersAreInclusiveAndCombineWithSortAndStatus) {
    EXPECT_EQ(walk("issued_from=2026-03-01&issued_to=2026-04-30&sort=issue_date"),
              (std::vector<std::string>{stored[0].id < stored[2].id ? stored[0].id : stored[2].id,
                                        stored[0].id < stored[2].id ? stored[2].id : stored[0].id, stored[4].id}));
    // A date filter leaves drafts out: they have no dates.
    auto due = walk("due_to=2026-03-31&sort=-due_date");
    EXPECT_EQ(due.size(), 4u);
    EXPECT_EQ(due.back(), stored[1].id);
    EXPECT_EQ(walk("due_from=2026-06-19&due_to=2026-06-19"), (std::vector<std::string>{stored[3].id}));
    // Combined with the status filter (the stored status: none of these is paid).
    EXPECT_EQ(walk("status=paid&issued_from=2026-01-01"), (std::vector<std::string>{}));
    EXPECT_TRUE(walk("issued_from=2027-01-01").empty());
}

TEST_F(InvoiceListOrder, BadParametersAreNamedAtTheirField) {
    const auto expect_400 = [&](const std::string& query, const char* code, const char* field) {
        auto r = call("GET", "/api/v1/invoices?" + query, firm.owner_token);
        EXPECT_EQ(r.status, 400) << query;
        EXPECT_EQ(r.body["error"]["code"], code) << query << ": " << r.raw.body;
        EXPECT_EQ(r.body["error"]["field"], field) << query;
    };
    expect_400("issued_from=2026-02-30", "INVALID_FILTER", "issued_from");
    expect_400("due_to=30/11/2026", "INVALID_FILTER", "due_to");
    expect_400("issued_from=2026-05-01&issued_to=2026-04-30", "INVALID_FILTER", "issued_to");
    expect_400("sort=client", "INVALID_FILTER", "sort");
    expect_400("sort=--total", "INVALID_FILTER", "sort");
    expect_400("status=bogus", "INVALID_FILTER", "status");
    expect_400("document_type=x", "INVALID_FILTER", "document_type");
    // Every bad parameter is listed, not only the first.
    auto several = call("GET", "/api/v1/invoices?issued_from=2026-12-01&issued_to=2026-11-01&due_from=x", firm.owner_token);
    ASSERT_EQ(several.status, 400);
    std::set<std::string> fields;
    for (const auto& e : several.body["errors"]) fields.insert(e["field"].get<std::string>());
    EXPECT_EQ(fields, (std::set<std::string>{"issued_to", "due_from"}));
    // Statuses the list reports are accepted, overdue included.
    EXPECT_EQ(call("GET", "/api/v1/invoices?status=overdue", firm.owner_token).status, 200);
    EXPECT_EQ(call("GET", "/api/v1/invoices?document_type=credit_note", firm.owner_token).status, 200);
}

TEST_F(InvoiceListOrder, ACursorBelongsToItsSort) {
    auto first = call("GET", "/api/v1/invoices?limit=2&sort=total", firm.owner_token);
    ASSERT_EQ(first.status, 200);
    const std::string total_cursor = first.body["next_cursor"];
    auto dated = call("GET", "/api/v1/invoices?limit=2&sort=issue_date", firm.owner_token);
    const std::string date_cursor = dated.body["next_cursor"];
    const auto expect_rejected = [&](const std::string& query) {
        auto r = call("GET", "/api/v1/invoices?limit=2&" + query, firm.owner_token);
        EXPECT_EQ(r.status, 400) << query << ": " << r.raw.body;
        EXPECT_EQ(r.body["error"]["code"], "INVALID_PAGINATION") << query;
        EXPECT_EQ(r.body["error"]["field"], "cursor") << query;
    };
    // Another order's cursor, the same order reversed, and a sorted cursor on the plain list.
    expect_rejected("sort=due_date&cursor=" + total_cursor);
    expect_rejected("sort=-total&cursor=" + total_cursor);
    expect_rejected("sort=number&cursor=" + date_cursor);
    expect_rejected("cursor=" + date_cursor);
    // Tampered values: an impossible date, a non-number amount, no currency, a missing value.
    expect_rejected("sort=issue_date&cursor=issue_date:v:2026-13-45:inv_x");
    expect_rejected("sort=total&cursor=total:v:USD:12x:inv_x");
    expect_rejected("sort=total&cursor=total:v:1200:inv_x");
    expect_rejected("sort=total&cursor=total:n:inv_x");  // totals are never missing
    expect_rejected("sort=number&cursor=number:v::inv_x");
    expect_rejected("sort=total&cursor=garbage");
    // Well-formed cursors still page.
    EXPECT_EQ(call("GET", "/api/v1/invoices?limit=2&sort=total&cursor=" + total_cursor, firm.owner_token).status, 200);
    EXPECT_EQ(call("GET", "/api/v1/invoices?limit=2&sort=issue_date&cursor=" + date_cursor, firm.owner_token).status, 200);
    // The portal reads its query with the same function.
    Errors errors;
    validation::read_invoice_list_query({{"issued_to", "2026-13-01"}}, errors);
    ASSERT_EQ(errors.size(), 1u);
    EXPECT_EQ(errors[0].field, "issued_to");
}

TEST_F(InvoiceListOrder, AnotherFirmsInvoicesNeverAppearInAnyOrder) {
    const auto theirs = walk("sort=-total", other.owner_token);
    EXPECT_EQ(theirs.size(), 1u);
    for (const auto& k : validation::kInvoiceSortKeys) {
        const auto ours = walk(std::string("sort=") + k.name);
        EXPECT_EQ(std::set<std::string>(ours.begin(), ours.end()).count(theirs.at(0)), 0u) << k.name;
        EXPECT_EQ(ours.size(), stored.size()) << k.name;
    }
}

TEST_F(InvoiceListOrder, ThePortalListSortsAClientsOwnIssuedInvoices) {
    const auto token = make_portal_user(firm, client, "payer@acme.test");
    auto r = call("GET", "/api/v1/portal/invoices?limit=50&sort=-issue_date&issued_from=2026-03-01", token);
    ASSERT_EQ(r.status, 200) << r.raw.body;
    std::vector<std::string> dates;
    for (const auto& row : r.body["data"]) dates.push_back(row["issue_date"]);
    EXPECT_EQ(dates, (std::vector<std::string>{"2026-05-20", "2026-04-30", "2026-03-01", "2026-03-01"}));
    EXPECT_TRUE(r.body.contains("summary"));
}

}  // namespace
}  // namespace cp::test
