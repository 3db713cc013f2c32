// Stripe webhooks (Billing IV): the signature scheme on the raw body, each event applied
// once, payments, failures, refunds and disputes, and events that arrive before their payment.
#include "server/payments/payment_service.hpp"
#include "server/payments/processor.hpp"
#include "server/payments/stripe_signature.hpp"
#include "server/util/crypto.hpp"
#include "shared/time/civil.hpp"
#include "tests/server/stripe_event_builders.hpp"
#include "tests/server/support.hpp"

namespace cp::test {
namespace {

namespace sp = server::payments;
namespace st = stripe;

constexpr const char* kSecret = "whsec_test_5f1e2d3c4b5a69788796a5b4c3d2e1f0";

class Webhooks : public ServerTest {
protected:
    void SetUp() override {
        config.stripe_webhook_secret = kSecret;
        ServerTest::SetUp();
        firm = make_firm("acme");
        client = make_client(firm, "Globex");
        invoice = make_invoice(firm, client, "sent");  // 100.00 USD due
    }

    Reply deliver_raw(const std::string& body, const std::string& signature) {
        return raw_call("POST", "/api/v1/webhooks/stripe", "", body,
                        {{"stripe-signature", signature}, {"content-type", "application/json; charset=utf-8"}});
    }
    Reply deliver(const json& event, std::int64_t offset = 0, const std::string& secret = kSecret) {
        const std::string body = event.dump();
        return deliver_raw(body, sp::stripe_signature_header(body, secret, clock->now() + offset));
    }
    std::int64_t count(const std::string& sql, const storage::Params& params = {}) {
        storage::Transaction tx(db());
        return tx.query_one(sql, params)->i64("n");
    }
    json get_invoice(const std::string& id = "") {
        auto r = call("GET", "/api/v1/invoices/" + (id.empty() ? invoice : id), firm.owner_token);
        EXPECT_EQ(r.status, 200) << r.raw.body;
        return r.body;
    }
    json paid_event(const std::string& evt, std::int64_t amount = 10000, const std::string& pi = "pi_1",
                    const std::string& ch = "ch_1") {
        return st::event(evt, "payment_intent.succeeded", clock->now(),
                         st::intent(pi, invoice, amount, "succeeded", ch));
    }
    json dispute_event(const std::string& evt, const std::string& type, const std::string& status,
                       std::int64_t created, bool withdrawn = false, bool reinstated = false) {
        return st::event(evt, type, created, st::dispute("dp_1", "ch_1", "pi_1", 10000, status, withdrawn, reinstated));
    }

    Firm firm;
    std::string client, invoice;
};

TEST_F(Webhooks, AcceptsAStripeSignedPaymentAndAppliesARedeliveryOnce) {
    const json event = paid_event("evt_pay_1");
    auto first = deliver(event);
    ASSERT_EQ(first.status, 200) << first.raw.body;
    EXPECT_EQ(first.body["status"], "applied");
    auto inv = get_invoice();
    EXPECT_EQ(inv["status"], "paid");
    EXPECT_EQ(inv["amount_paid"], "100.00");
    EXPECT_EQ(inv["balance_due"], "0.00");
    auto payments = call("GET", "/api/v1/payments?invoice_id=" + invoice, firm.owner_token);
    ASSERT_EQ(payments.body["data"].size(), 1u);
    EXPECT_EQ(payments.body["data"][0]["processor_id"], "pi_1");
    EXPECT_EQ(payments.body["data"][0]["source"], "webhook");
    EXPECT_EQ(payments.body["data"][0]["status"], "succeeded");
    const auto audit_before = count("SELECT COUNT(*) AS n FROM audit_events");

    auto again = deliver(event);  // Stripe redelivers: same id, new signature time
    ASSERT_EQ(again.status, 200) << again.raw.body;
    EXPECT_EQ(again.body["status"], "duplicate");
    EXPECT_EQ(count("SELECT COUNT(*) AS n FROM payments"), 1);
    EXPECT_EQ(count("SELECT COUNT(*) AS n FROM audit_events"), audit_before);
    EXPECT_EQ(get_invoice()["amount_paid"], "100.00");

    // The same PaymentIntent in another event (Stripe sometimes sends both) is not paid twice.
    auto other = deliver(paid_event("evt_pay_1_bis"));
    EXPECT_EQ(other.body["status"], "applied");
    EXPECT_EQ(count("SELECT COUNT(*) AS n FROM payments"), 1);
    EXPECT_EQ(get_invoice()["amount_paid"], "100.00");
}

TEST_F(Webhooks, WithoutASecretTheEndpointIs503) {
    config.stripe_webhook_secret.clear();
    app = another_app();
    auto r = deliver(paid_event("evt_x"));
    EXPECT_EQ(r.status, 503);
    EXPECT_EQ(r.body["error"]["code"], "WEBHOOKS_NOT_CONFIGURED");
}

TEST_F(Webhooks, EveryBadSignatureIs400AndStoresNothing) {
    const std::string body = paid_event("evt_sig").dump();
    const std::int64_t now = clock->now();
    const std::string good = sp::stripe_signature_header(body, kSecret, now);
    const std::string v1 = good.substr(good.find("v1=") + 3);
    std::vector<std::pair<std::string, std::string>> bad = {
        {"wrong secret", sp::stripe_signature_header(body, "whsec_other", now)},
        {"tampered body", sp::stripe_signature_header(body + " ", kSecret, now)},
        {"301 s old", sp::stripe_signature_header(body, kSecret, now - 301)},
        {"301 s ahead", sp::stripe_signature_header(body, kSecret, now + 301)},
        {"v0 only", "t=" + std::to_string(now) + ",v0=" + v1},
        {"no timestamp", "v1=" + v1},
        {"timestamp not a number", "t=12x,v1=" + v1},
        {"signature of another time", "t=" + std::to_string(now - 1) + ",v1=" + v1},
        {"empty", ""},
        {"upper-case hex", "t=" + std::to_string(now) + ",v1=" + [&] {
             std::string u = v1;
             for (auto& c : u) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
             return u;
         }()},
    };
    for (const auto& [what, header] : bad) {
        auto r = deliver_raw(body, header);
        EXPECT_EQ(r.status, 400) << what;
        EXPECT_EQ(r.body["error"]["code"], "INVALID_SIGNATURE") << what;
        EXPECT_EQ(r.body["error"]["message"], "The signature is not valid.") << what;  // nothing more
    }
    auto none = raw_call("POST", "/api/v1/webhooks/stripe", "", body);
    EXPECT_EQ(none.body["error"]["code"], "INVALID_SIGNATURE");
    EXPECT_EQ(count("SELECT COUNT(*) AS n FROM webhook_events"), 0);
    EXPECT_EQ(count("SELECT COUNT(*) AS n FROM payments"), 0);

    // The edges of the tolerance, a second v1 matching (rolled secrets) and a v0 beside it pass.
    EXPECT_EQ(deliver(paid_event("evt_old"), -300).status, 200);
    EXPECT_EQ(deliver(paid_event("evt_ahead"), 300).status, 200);
    const std::string body2 = paid_event("evt_two").dump();
    const std::string sig2 = sp::stripe_signature_header(body2, kSecret, now);
    auto two = deliver_raw(body2, "t=" + std::to_string(now) + ",v1=" + std::string(64, '0') + ",v1=" +
                                      sig2.substr(sig2.find("v1=") + 3) + ",v0=" + std::string(64, 'f'));
    EXPECT_EQ(two.status, 200) << two.raw.body;
    EXPECT_EQ(count("SELECT COUNT(*) AS n FROM webhook_events"), 3);
}

TEST_F(Webhooks, ASignedBodyThatIsNotAnEventIsInvalidJson) {
    for (std::string body : {std::string("not json"), std::string("[1,2]"), std::string("{\"id\":\"evt_1\"}"),
                             std::string("{\"id\":\"evt_1\",\"type\":\"x\",\"created\":1.5,\"data\":{\"object\":{}}}")}) {
        auto r = deliver_raw(body, sp::stripe_signature_header(body, kSecret, clock->now()));
        EXPECT_EQ(r.status, 400) << body;
        EXPECT_EQ(r.body["error"]["code"], "INVALID_JSON") << body;
    }
    EXPECT_EQ(count("SELECT COUNT(*) AS n FROM webhook_events"), 0);
}

TEST_F(Webhooks, BodiesOver256KiBAreRefused) {
    json event = paid_event("evt_big");
    event["data"]["object"]["description"] = std::string(300 * 1024, 'a');
    auto r = deliver(event);
    EXPECT_EQ(r.status, 413);
    EXPECT_EQ(count("SELECT COUNT(*) AS n FROM webhook_events"), 0);
}

TEST_F(Webhooks, UnknownObjectsAndTypesAre2xxAndVisibleToOperators) {
    auto foreign = deliver(st::event("evt_foreign", "payment_intent.succeeded", clock->now(),
                                     st::intent("pi_f", "inv_not_ours", 5000)));
    EXPECT_EQ(foreign.status, 200);
    EXPECT_EQ(foreign.body["status"], "unmatched");
    auto other_firm = make_firm("other");
    auto other_client = make_client(other_firm, "X");
    auto other_invoice = make_invoice(other_firm, other_client, "sent");
    json wrong_firm = st::intent("pi_w", other_invoice, 5000);
    wrong_firm["metadata"]["firm_id"] = firm.id;  // metadata naming a firm the invoice is not in
    EXPECT_EQ(deliver(st::event("evt_wrong_firm", "payment_intent.succeeded", clock->now(), wrong_firm)).body["status"],
              "unmatched");
    auto unknown = deliver(st::event("evt_cust", "customer.created", clock->now(), {{"id", "cus_1"}}));
    EXPECT_EQ(unknown.status, 200);
    EXPECT_EQ(unknown.body["status"], "ignored");
    json floaty = st::intent("pi_float", invoice, 0);
    floaty["amount_received"] = 100.5;
    floaty["amount"] = 100.5;
    auto invalid = deliver(st::event("evt_float", "payment_intent.succeeded", clock->now(), floaty));
    EXPECT_EQ(invalid.status, 200);
    EXPECT_EQ(invalid.body["status"], "invalid");
    EXPECT_EQ(count("SELECT COUNT(*) AS n FROM payments"), 0);

    auto op = make_operator("op@platform.test");
    auto listed = call("GET", "/api/v1/operator/webhook-events?status=unmatched", op);
    ASSERT_EQ(listed.status, 200) << listed.raw.body;
    ASSERT_EQ(listed.body["data"].size(), 2u);
    EXPECT_EQ(listed.body["data"][0]["id"], "evt_foreign");
    EXPECT_FALSE(listed.body["data"][0].contains("payload"));  // operators see metadata only
    EXPECT_EQ(call("GET", "/api/v1/operator/webhook-events", firm.owner_token).status, 403);
    EXPECT_EQ(call("GET", "/api/v1/operator/webhook-events?status=ignored", op).body["data"].size(), 1u);
    EXPECT_EQ(call("GET", "/api/v1/operator/webhook-events?status=invalid", op).body["data"].size(), 1u);
    // A status outside the set is named, not an empty page that reads as "nothing went wrong".
    auto typo = call("GET", "/api/v1/operator/webhook-events?status=failed", op);
    EXPECT_EQ(typo.status, 400) << typo.raw.body;
    EXPECT_EQ(typo.body["error"]["code"], "INVALID_FILTER");
    EXPECT_EQ(typo.body["error"]["field"], "status");
}

TEST_F(Webhooks, SettlesThePendingPaymentOurStripeAdapterMade) {
    const std::string payment = server::new_id("pay");
    {
        storage::Transaction tx(db());
        tx.exec(
            "INSERT INTO payments (id, firm_id, invoice_id, client_id, amount, currency, method, source, status, "
            "processor, processor_key, created_by, claimed_until, created_at, updated_at) VALUES (?, ?, ?, ?, 4000, "
            "'USD', 'card', 'manual', 'pending', 'stripe', 'cp_key_1', 'm', ?, ?, ?)",
            {payment, firm.id, invoice, client, clock->now() + 600, clock->now(), clock->now()});
        tx.commit();
    }
    // The processor's answer was lost: only our payment id in metadata links the two.
    json pi = st::intent("pi_adapter", invoice, 4000);
    pi["metadata"]["payment_id"] = payment;
    pi["metadata"]["firm_id"] = firm.id;
    auto r = deliver(st::event("evt_adapter", "payment_intent.succeeded", clock->now(), pi));
    EXPECT_EQ(r.body["status"], "applied") << r.raw.body;
    auto p = call("GET", "/api/v1/payments/" + payment, firm.owner_token);
    EXPECT_EQ(p.body["status"], "succeeded");
    EXPECT_EQ(p.body["processor_id"], "pi_adapter");
    EXPECT_EQ(count("SELECT COUNT(*) AS n FROM payments"), 1);
    auto inv = get_invoice();
    EXPECT_EQ(inv["status"], "partial");
    EXPECT_EQ(inv["amount_paid"], "40.00");
}

TEST_F(Webhooks, AFailureThenASuccessOfOneIntentEndsPaidInEitherOrder) {
    auto second_invoice = make_invoice(firm, client, "sent");
    const std::int64_t t = clock->now();
    auto failed = [&](const std::string& inv, const std::string& pi) {
        return st::event("evt_fail_" + pi, "payment_intent.payment_failed", t,
                         st::intent(pi, inv, 10000, "requires_payment_method"));
    };
    auto ok = [&](const std::string& inv, const std::string& pi) {
        return st::event("evt_ok_" + pi, "payment_intent.succeeded", t + 1, st::intent(pi, inv, 10000));
    };
    EXPECT_EQ(deliver(failed(invoice, "pi_a")).body["status"], "applied");
    EXPECT_EQ(get_invoice()["status"], "failed");
    auto failure = call("GET", "/api/v1/payments?invoice_id=" + invoice, firm.owner_token);
    EXPECT_EQ(failure.body["data"][0]["failure_code"], "insufficient_funds");
    deliver(ok(invoice, "pi_a"));
    deliver(ok(second_invoice, "pi_b"));
    deliver(failed(second_invoice, "pi_b"));
    for (const auto& id : {invoice, second_invoice}) {
        auto inv = get_invoice(id);
        EXPECT_EQ(inv["status"], "paid") << id;
        auto ps = call("GET", "/api/v1/payments?invoice_id=" + id, firm.owner_token);
        ASSERT_EQ(ps.body["data"].size(), 1u);
        EXPECT_EQ(ps.body["data"][0]["status"], "succeeded");
        EXPECT_EQ(ps.body["data"][0]["failure_code"], nullptr);
    }
}

TEST_F(Webhooks, ALostDisputeChargesTheInvoiceBackWithItsFee) {
    deliver(paid_event("evt_pay"));
    const std::int64_t t = clock->now();
    auto opened = deliver(dispute_event("evt_d1", "charge.dispute.created", "needs_response", t + 10));
    EXPECT_EQ(opened.body["status"], "applied") << opened.raw.body;
    auto inv = get_invoice();
    EXPECT_EQ(inv["status"], "disputed");
    ASSERT_TRUE(inv["dispute"].is_object()) << inv.dump();
    EXPECT_EQ(inv["dispute"]["status"], "needs_response");
    EXPECT_EQ(inv["dispute"]["amount"], "100.00");
    EXPECT_EQ(inv["dispute"]["reason"], "fraudulent");
    EXPECT_EQ(inv["dispute"]["evidence_due_by"], "2026-10-03T04:00:00Z");
    EXPECT_EQ(call("POST", "/api/v1/invoices/" + invoice + "/payments", firm.owner_token,
                   {{"amount", "1.00"}, {"method", "cash"}})
                  .status,
              409);  // a disputed invoice takes no payments

    deliver(dispute_event("evt_d2", "charge.dispute.funds_withdrawn", "needs_response", t + 20, true));
    deliver(dispute_event("evt_d3", "charge.dispute.updated", "under_review", t + 30, true));
    deliver(dispute_event("evt_d4", "charge.dispute.closed", "lost", t + 40, true));
    inv = get_invoice();
    EXPECT_EQ(inv["status"], "charged_back");
    EXPECT_EQ(inv["amount_paid"], "0.00");
    EXPECT_EQ(inv["balance_due"], "100.00");
    EXPECT_EQ(inv["dispute"]["status"], "lost");
    EXPECT_EQ(inv["dispute"]["fee"], "15.00");
    EXPECT_EQ(inv["dispute"]["funds_withdrawn"], "100.00");
    EXPECT_EQ(inv["dispute"]["amount_deducted"], "100.00");

    auto list = call("GET", "/api/v1/disputes?status=lost", firm.owner_token);
    ASSERT_EQ(list.body["data"].size(), 1u);
    const std::string dispute_id = list.body["data"][0]["id"];
    EXPECT_EQ(call("GET", "/api/v1/disputes/" + dispute_id, firm.owner_token).body["processor_id"], "dp_1");
    auto other = make_firm("other");
    EXPECT_EQ(call("GET", "/api/v1/disputes/" + dispute_id, other.owner_token).status, 404);
    EXPECT_TRUE(call("GET", "/api/v1/disputes", other.owner_token).body["data"].empty());

    // Every change is a CRITICAL audit event; a repeated close changes nothing.
    auto audit = call("GET", "/api/v1/audit?limit=200&severity=CRITICAL", firm.owner_token);
    std::vector<std::string> actions;
    for (const auto& e : audit.body["data"]) actions.push_back(e["action"]);
    EXPECT_EQ(std::count(actions.begin(), actions.end(), "dispute.open"), 1) << audit.raw.body;
    EXPECT_EQ(std::count(actions.begin(), actions.end(), "dispute.close"), 1);
    EXPECT_EQ(std::count(actions.begin(), actions.end(), "dispute.update"), 2);
    EXPECT_EQ(deliver(dispute_event("evt_d5", "charge.dispute.closed", "lost", t + 50, true)).body["status"],
              "applied");
    EXPECT_EQ(get_invoice()["amount_paid"], "0.00");
    EXPECT_EQ(call("GET", "/api/v1/audit?limit=200&severity=CRITICAL", firm.owner_token).body["data"].size(),
              audit.body["data"].size());
}

TEST_F(Webhooks, AWonDisputeReturnsTheInvoiceToPaid) {
    deliver(paid_event("evt_pay"));
    const std::int64_t t = clock->now();
    deliver(dispute_event("evt_w1", "charge.dispute.created", "needs_response", t + 1));
    deliver(dispute_event("evt_w2", "charge.dispute.funds_withdrawn", "needs_response", t + 2, true));
    deliver(dispute_event("evt_w3", "charge.dispute.closed", "won", t + 3, true));
    deliver(dispute_event("evt_w4", "charge.dispute.funds_reinstated", "won", t + 4, true, true));
    auto inv = get_invoice();
    EXPECT_EQ(inv["status"], "paid");
    EXPECT_EQ(inv["amount_paid"], "100.00");
    EXPECT_EQ(inv["dispute"]["status"], "won");
    EXPECT_EQ(inv["dispute"]["funds_reinstated"], "100.00");
    EXPECT_EQ(inv["dispute"]["amount_deducted"], "0.00");
}

TEST_F(Webhooks, EventsBeforeTheirPaymentAreParkedThenApplied) {
    const std::int64_t t = clock->now();
    // The dispute's close, its opening and a refund of another charge all arrive first.
    auto lost = deliver(dispute_event("evt_p1", "charge.dispute.closed", "lost", t + 40, true));
    EXPECT_EQ(lost.body["status"], "parked");
    EXPECT_EQ(deliver(dispute_event("evt_p2", "charge.dispute.created", "needs_response", t + 10)).body["status"],
              "parked");
    auto second = make_invoice(firm, client, "sent");
    auto refund = deliver(st::event("evt_r1", "charge.refunded", t + 5,
                                    st::charge_refunded("ch_2", "pi_2", 10000, 2500,
                                                        json::array({{{"id", "re_1"}, {"amount", 2500},
                                                                      {"status", "succeeded"}}}))));
    EXPECT_EQ(refund.body["status"], "parked");
    EXPECT_EQ(get_invoice()["status"], "sent");
    EXPECT_EQ(count("SELECT COUNT(*) AS n FROM disputes"), 0);

    deliver(paid_event("evt_pay"));
    auto inv = get_invoice();
    EXPECT_EQ(inv["status"], "charged_back");
    EXPECT_EQ(inv["amount_paid"], "0.00");
    EXPECT_EQ(inv["dispute"]["status"], "lost");  // the older "created" never undoes "lost"
    EXPECT_EQ(count("SELECT COUNT(*) AS n FROM webhook_events WHERE status = 'parked'"), 1);

    deliver(st::event("evt_pay2", "payment_intent.succeeded", t, st::intent("pi_2", second, 10000, "succeeded", "ch_2")));
    auto inv2 = get_invoice(second);
    EXPECT_EQ(inv2["status"], "partial");
    EXPECT_EQ(inv2["amount_paid"], "75.00");
    EXPECT_EQ(count("SELECT COUNT(*) AS n FROM webhook_events WHERE status = 'parked'"), 0);
    // The same refund again (a second charge.refunded listing it) takes nothing more.
    deliver(st::event("evt_r2", "charge.refunded", t + 6,
                      st::charge_refunded("ch_2", "pi_2", 10000, 2500,
                                          json::array({{{"id", "re_1"}, {"amount", 2500}, {"status", "succeeded"}}}))));
    EXPECT_EQ(get_invoice(second)["amount_paid"], "75.00");
    EXPECT_EQ(count("SELECT COUNT(*) AS n FROM refunds"), 1);
}

TEST_F(Webhooks, CumulativeRefundTotalsApplyTheMissingPartOnly) {
    deliver(paid_event("evt_pay"));
    const std::int64_t t = clock->now();
    // Without refund lists (older API versions): the charge's running total is the truth.
    deliver(st::event("evt_rf2", "charge.refunded", t + 2, st::charge_refunded("ch_1", "pi_1", 10000, 6000)));
    deliver(st::event("evt_rf1", "charge.refunded", t + 1, st::charge_refunded("ch_1", "pi_1", 10000, 2500)));
    auto inv = get_invoice();
    EXPECT_EQ(inv["amount_paid"], "40.00");
    EXPECT_EQ(inv["status"], "partial");
    deliver(st::event("evt_rf3", "charge.refunded", t + 3, st::charge_refunded("ch_1", "pi_1", 10000, 10000)));
    inv = get_invoice();
    EXPECT_EQ(inv["amount_paid"], "0.00");
    EXPECT_EQ(inv["status"], "refunded");
}

// A processor's failure on an autopay invoice that has fallen due is one of autopay's attempts: it is
// listed with its retry, and the runner charges the retry (an invoice merely marked failed would never
// be charged again). Before its due date it is not an attempt, and the runner still charges on the day.
TEST_F(Webhooks, AFailedIntentOnAnAutopayInvoiceFeedsItsRetrySchedule) {
    ASSERT_EQ(call("PATCH", "/api/v1/clients/" + client, firm.owner_token,
                   {{"payment_method_ref", "pm_card_visa"}, {"autopay_enabled", true}})
                  .status,
              200);
    auto not_yet_due = make_invoice(firm, client, "sent");  // both due 2026-10-01, in UTC
    auto fail = [&](const std::string& inv, const std::string& pi) {
        return deliver(st::event("evt_" + pi, "payment_intent.payment_failed", clock->now(),
                                 st::intent(pi, inv, 10000, "requires_payment_method")));
    };
    EXPECT_EQ(fail(not_yet_due, "pi_early").body["status"], "applied");
    EXPECT_TRUE(call("GET", "/api/v1/payment-failures?invoice_id=" + not_yet_due, firm.owner_token)
                    .body["data"]
                    .empty());

    clock->set(*time::parse_iso_instant("2026-10-02T12:00:00Z"));
    firm.owner_token = login(firm.owner_email);  // the clock moved past the session's lifetime
    EXPECT_EQ(fail(invoice, "pi_due").body["status"], "applied");
    auto failures = call("GET", "/api/v1/payment-failures?invoice_id=" + invoice, firm.owner_token);
    ASSERT_EQ(failures.body["data"].size(), 1u) << failures.raw.body;
    EXPECT_EQ(failures.body["data"][0]["attempt"], 1);
    EXPECT_EQ(failures.body["data"][0]["code"], "insufficient_funds");
    EXPECT_EQ(failures.body["data"][0]["next_retry_at"], "2026-10-05T12:00:00Z");
    EXPECT_EQ(get_invoice()["status"], "failed");

    sp::SandboxProcessor sandbox;
    server::Zones zones;
    sp::RunOptions o;
    o.actor.actor_type = "system";
    o.actor.actor_id = "test:run-autopay";
    o.now = clock->now();
    sp::run_autopay(db(), zones, sandbox, o);  // the early failure's invoice is due: its first attempt
    EXPECT_EQ(get_invoice(not_yet_due)["status"], "paid");
    EXPECT_EQ(get_invoice()["status"], "failed");  // its retry is not due yet
    clock->set(*time::parse_iso_instant("2026-10-05T12:00:00Z"));
    firm.owner_token = login(firm.owner_email);
    o.now = clock->now();
    sp::run_autopay(db(), zones, sandbox, o);
    auto paid = get_invoice();
    EXPECT_EQ(paid["status"], "paid");
    auto payments = call("GET", "/api/v1/payments?invoice_id=" + invoice + "&status=succeeded", firm.owner_token);
    ASSERT_EQ(payments.body["data"].size(), 1u);
    EXPECT_EQ(payments.body["data"][0]["attempt"], 2);
}

}  // namespace
}  // namespace cp::test
