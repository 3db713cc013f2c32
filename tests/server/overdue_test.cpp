// Overdue is computed on read in the client's zone (the core's rule), in lists, in the
// status filter and in the single answer: across a DST change and across the date line.
#include <set>

#include "tests/server/billing_support.hpp"

namespace cp::test {
namespace {

class Overdue : public BillingTest {
protected:
    // Moves the clock; sessions last 12 hours, so the reader logs in again.
    void at(std::int64_t t) {
        clock->set(t);
        billing = login("billing@acme.test", kPassword, {{"firm", "acme"}});
    }
    std::string client_in(const std::string& zone, const std::string& name) {
        auto r = call("POST", "/api/v1/clients", firm.owner_token,
                      {{"company_name", name}, {"billing_email", "ap@x.test"}, {"time_zone", zone}});
        EXPECT_EQ(r.status, 201) << r.raw.body;
        return r.body.value("id", "");
    }
    // An issued invoice of `client_id` due on `due`.
    std::string sent_invoice_due(const std::string& client_id, const std::string& due) {
        const std::string id = make_invoice(firm, client_id, "sent");
        storage::Transaction tx(db());
        tx.exec("UPDATE invoices SET due_date = ? WHERE id = ?", {due, id});
        tx.commit();
        return id;
    }
    std::string status_of(const std::string& id) {
        return call("GET", "/api/v1/invoices/" + id, billing).body["status"];
    }
    std::set<std::string> ids_with(const std::string& status) {
        std::set<std::string> out;
        auto r = call("GET", "/api/v1/invoices?limit=200&status=" + status, billing);
        EXPECT_EQ(r.status, 200) << r.raw.body;
        for (const auto& i : r.body["data"]) out.insert(i["id"].get<std::string>());
        return out;
    }
    std::string listed_status(const std::string& id) {
        auto r = call("GET", "/api/v1/invoices?limit=200", billing);
        EXPECT_EQ(r.status, 200) << r.raw.body;
        for (const auto& i : r.body["data"])
            if (i["id"] == id) return i["status"];
        return "missing";
    }
};

TEST_F(Overdue, FromTheFirstLocalDayAfterTheDueDateAcrossADstChange) {
    const std::string ny = client_in("America/New_York", "Gotham");
    const std::string id = sent_invoice_due(ny, "2026-11-01");  // the day New York leaves DST
    at(1793593800);  // 2026-11-02T04:30Z = 2026-11-01 23:30 EST (00:30 had it stayed EDT)
    EXPECT_EQ(status_of(id), "sent");
    EXPECT_EQ(listed_status(id), "sent");
    EXPECT_EQ(ids_with("overdue").count(id), 0u);
    EXPECT_EQ(ids_with("sent").count(id), 1u);
    at(1793595600);  // 2026-11-02 00:00 EST
    EXPECT_EQ(status_of(id), "overdue");
    EXPECT_EQ(listed_status(id), "overdue");
    EXPECT_EQ(ids_with("overdue").count(id), 1u);
    EXPECT_EQ(ids_with("sent").count(id), 0u);
}

TEST_F(Overdue, EachSideOfTheDateLineUsesItsOwnCalendar) {
    const std::string kiritimati = client_in("Pacific/Kiritimati", "Line Islands");  // UTC+14
    const std::string pago = client_in("Pacific/Pago_Pago", "Samoa");                // UTC-11
    const std::string east = sent_invoice_due(kiritimati, "2026-10-01");
    const std::string west = sent_invoice_due(pago, "2026-10-01");
    at(1790848799);  // 2026-10-01T09:59:59Z: 23:59:59 on Oct 1 in Kiritimati
    EXPECT_EQ(status_of(east), "sent");
    EXPECT_TRUE(ids_with("overdue").empty());
    at(1790848800);  // Oct 2 00:00 in Kiritimati, Sep 30 23:00 in Pago Pago
    EXPECT_EQ(status_of(east), "overdue");
    EXPECT_EQ(status_of(west), "sent");
    EXPECT_EQ(ids_with("overdue"), (std::set<std::string>{east}));
    at(1790938740);  // 2026-10-02T10:59Z: Oct 1 23:59 in Pago Pago
    EXPECT_EQ(status_of(west), "sent");
    at(1790938800);  // Oct 2 00:00 in Pago Pago
    EXPECT_EQ(status_of(west), "overdue");
    EXPECT_EQ(ids_with("overdue"), (std::set<std::string>{east, west}));
    EXPECT_TRUE(ids_with("sent").empty());
}

TEST_F(Overdue, PaidCreditedDraftsAndCreditNotesAreNeverOverdue) {
    const std::string paid = make_invoice(firm, client, "paid");
    const std::string d = draft({line("1", "100.00")});
    ASSERT_EQ(issue(d).status, 200);
    auto note = call("POST", "/api/v1/invoices/" + d + "/credit-notes", billing,
                     {{"reason", "all of it"}, {"lines", {line("1", "100.00")}}});
    ASSERT_EQ(note.status, 201);
    at(clock->now() + 400 * 86400);
    EXPECT_EQ(status_of(paid), "paid");
    EXPECT_EQ(status_of(d), "sent");  // nothing left to pay
    EXPECT_EQ(status_of(note.body["id"]), "sent");
    EXPECT_TRUE(ids_with("overdue").empty());
}

TEST_F(Overdue, ThePortalSeesTheSameStatus) {
    const std::string id = sent_invoice_due(client, "2026-09-01");
    auto portal = make_portal_user(firm, client, "p@globex.test");  // on 2026-09-21: overdue since Sep 2
    EXPECT_EQ(call("GET", "/api/v1/portal/invoices/" + id, portal).body["status"], "overdue");
    EXPECT_EQ(call("GET", "/api/v1/portal/invoices?status=overdue", portal).body["data"].size(), 1u);
}

}  // namespace
}  // namespace cp::test
