// Webhook delivery order does not matter (Billing IV): the same 1,000 events over 50
// invoices delivered in order, shuffled, and shuffled with 30 % duplicates, over real HTTP
// with concurrent senders, end in identical invoice, payment and dispute state; and 5,000
// events from 16 senders are each applied exactly once.
#include <map>
#include <random>

#include "server/http/transport.hpp"
#include "tests/server/stripe_event_script.hpp"
#include "tests/server/support.hpp"

namespace cp::test {
namespace {

namespace st = stripe;

constexpr const char* kSecret = "whsec_convergence_0123456789abcdef";

class WebhookConvergence : public ServerTest {
protected:
    void SetUp() override {
        config.stripe_webhook_secret = kSecret;
        ServerTest::SetUp();
        firm = make_firm("acme");
        client = make_client(firm, "Globex");
    }

    // `count` issued invoices with the script's totals, and the script's events for them.
    std::vector<json> make_run(const std::string& run, int count, std::vector<std::string>& invoices) {
        std::vector<json> events;
        for (int i = 0; i < count; ++i) {
            const std::string id = make_invoice(firm, client, "sent");
            {
                storage::Transaction tx(db());
                const std::int64_t total = st::script_total(i);
                tx.exec("UPDATE invoices SET subtotal = ?, total = ?, balance_due = ? WHERE id = ?",
                        {total, total, total, id});
                tx.commit();
            }
            invoices.push_back(id);
            for (auto& e : st::invoice_script(run, i, id, 1'789'000'000 + i * 1000)) events.push_back(std::move(e));
        }
        return events;
    }

    // The end state of a run's invoices, with processor ids stripped of the run tag, so two
    // runs compare equal exactly when they ended the same.
    json end_state(const std::string& run, const std::vector<std::string>& invoices) {
        storage::Transaction tx(db());
        json out = json::array();
        auto untag = [&](std::string s) {
            const std::string tag = "_" + run + "_";
            if (auto p = s.find(tag); p != std::string::npos) s.replace(p, tag.size(), "_");
            return s;
        };
        for (const auto& id : invoices) {
            auto inv = tx.query_one("SELECT status, amount_paid, balance_due FROM invoices WHERE id = ?", {id});
            json payments = json::array();
            for (const auto& p : tx.query(
                     "SELECT processor_id, processor_charge_id, status, amount, applied, to_credit, amount_refunded, "
                     "failure_code FROM payments WHERE invoice_id = ? ORDER BY processor_id",
                     {id})) {
                payments.push_back({untag(p.str("processor_id")), untag(p.str("processor_charge_id")),
                                    p.str("status"), p.i64("amount"), p.i64("applied"), p.i64("to_credit"),
                                    p.i64("amount_refunded"), p.str("failure_code")});
            }
            json disputes = json::array();
            for (const auto& d : tx.query(
                     "SELECT processor_id, status, amount, reason, evidence_due_by, fee, funds_withdrawn, "
                     "funds_reinstated, loss_applied, last_event_created FROM disputes WHERE invoice_id = ? "
                     "ORDER BY processor_id",
                     {id})) {
                disputes.push_back({untag(d.str("processor_id")), d.str("status"), d.i64("amount"), d.str("reason"),
                                    d.i64("evidence_due_by"), d.i64("fee"), d.i64("funds_withdrawn"),
                                    d.i64("funds_reinstated"), d.i64("loss_applied"), d.i64("last_event_created")});
            }
            auto refunded = tx.query_one("SELECT COALESCE(SUM(amount), 0) AS n FROM refunds WHERE invoice_id = ?", {id});
            out.push_back({{"status", inv->str("status")},
                           {"amount_paid", inv->i64("amount_paid")},
                           {"balance_due", inv->i64("balance_due")},
                           {"refunded", refunded->i64("n")},
                           {"payments", payments},
                           {"disputes", disputes}});
        }
        return out;
    }

    void expect_script_outcome(const json& state) {
        for (std::size_t i = 0; i < state.size(); ++i) {
            const auto want = st::expected_end(static_cast<int>(i));
            EXPECT_EQ(state[i]["status"], want.status) << "invoice " << i << ": " << state[i].dump();
            EXPECT_EQ(state[i]["amount_paid"], want.amount_paid) << "invoice " << i;
        }
    }

    std::int64_t count(const std::string& sql, const storage::Params& params = {}) {
        storage::Transaction tx(db());
        return tx.query_one(sql, params)->i64("n");
    }

    Firm firm;
    std::string client;
};

std::vector<std::string> bodies_of(const std::vector<json>& events) {
    std::vector<std::string> out;
    for (const auto& e : events) out.push_back(e.dump());
    return out;
}

TEST_F(WebhookConvergence, InOrderShuffledAndDuplicatedDeliveriesEndTheSame) {
    constexpr int kInvoices = 50;
    std::vector<std::string> in_order_invoices, shuffled_invoices, duplicated_invoices;
    auto in_order = make_run("a", kInvoices, in_order_invoices);
    auto shuffled = make_run("b", kInvoices, shuffled_invoices);
    auto duplicated = make_run("c", kInvoices, duplicated_invoices);
    ASSERT_EQ(in_order.size(), 1000u);

    std::mt19937 rng(20261130);
    std::shuffle(shuffled.begin(), shuffled.end(), rng);
    std::vector<json> with_duplicates = duplicated;
    std::bernoulli_distribution dup(0.3);
    for (const auto& e : duplicated) {
        if (dup(rng)) with_duplicates.push_back(e);
    }
    std::shuffle(with_duplicates.begin(), with_duplicates.end(), rng);
    ASSERT_GT(with_duplicates.size(), 1200u);

    http::TestServer server([this](const http::Request& r) { return app->handle(r); });
    st::Delivery a, b, c;
    st::deliver_all(server.port(), bodies_of(in_order), 1, kSecret, clock->now(), a);
    st::deliver_all(server.port(), bodies_of(shuffled), 8, kSecret, clock->now(), b);
    st::deliver_all(server.port(), bodies_of(with_duplicates), 8, kSecret, clock->now(), c);
    for (const auto* d : {&a, &b, &c}) {
        EXPECT_TRUE(std::all_of(d->final_status.begin(), d->final_status.end(), [](int s) { return s == 200; }));
    }

    const json expected = end_state("a", in_order_invoices);
    expect_script_outcome(expected);
    EXPECT_EQ(end_state("b", shuffled_invoices), expected);
    EXPECT_EQ(end_state("c", duplicated_invoices), expected);
    EXPECT_EQ(count("SELECT COUNT(*) AS n FROM webhook_events"), 3000);
    EXPECT_EQ(count("SELECT COUNT(*) AS n FROM webhook_events WHERE status = 'parked'"), 0);
    EXPECT_EQ(count("SELECT COUNT(*) AS n FROM disputes"), 3 * 30);
}

TEST_F(WebhookConvergence, FiveThousandEventsFromSixteenSendersApplyExactlyOnce) {
    // CP_WEBHOOK_LOAD_INVOICES shrinks it for slow builds (sanitizers); 250 invoices = 5,000 events.
    int invoices_n = 250;
    if (const char* n = std::getenv("CP_WEBHOOK_LOAD_INVOICES"); n && std::atoi(n) > 0) invoices_n = std::atoi(n);
    std::vector<std::string> invoices;
    auto events = make_run("l", invoices_n, invoices);
    std::mt19937 rng(5000);
    std::shuffle(events.begin(), events.end(), rng);
    http::TestServer server([this](const http::Request& r) { return app->handle(r); });
    st::Delivery d;
    st::deliver_all(server.port(), bodies_of(events), 16, kSecret, clock->now(), d);
    EXPECT_TRUE(std::all_of(d.final_status.begin(), d.final_status.end(), [](int s) { return s == 200; }));

    const std::int64_t n = static_cast<std::int64_t>(events.size());
    EXPECT_EQ(count("SELECT COUNT(*) AS n FROM webhook_events"), n);  // none lost
    EXPECT_EQ(count("SELECT COUNT(*) AS n FROM webhook_events WHERE status = 'parked'"), 0);
    expect_script_outcome(end_state("l", invoices));
    // Applied once: one payment per PaymentIntent, one succeed audit each, one refund row per
    // refund id, one loss per lost dispute.
    const std::int64_t intents = invoices_n + invoices_n / 5;  // split payments have two
    EXPECT_EQ(count("SELECT COUNT(*) AS n FROM payments"), intents);
    EXPECT_EQ(count("SELECT COUNT(DISTINCT processor_id) AS n FROM payments"), intents);
    EXPECT_EQ(count("SELECT COUNT(*) AS n FROM audit_events WHERE action = 'payment.succeed'"), intents);
    EXPECT_EQ(count("SELECT COUNT(*) AS n FROM refunds"), 2 * (invoices_n / 5));
    EXPECT_EQ(count("SELECT COUNT(*) AS n FROM audit_events WHERE action = 'dispute.open'"), 3 * (invoices_n / 5));
    std::int64_t paid = 0;
    for (int i = 0; i < invoices_n; ++i) paid += st::expected_end(i).amount_paid;
    EXPECT_EQ(count("SELECT SUM(amount_paid) AS n FROM invoices WHERE firm_id = ?", {firm.id}), paid);
}

}  // namespace
}  // namespace cp::test
