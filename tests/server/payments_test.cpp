// Billing III over real loopback HTTP on both databases, with a manual clock (never sleeps):
// manual and card payments, partial then full, overpayment to credit and applying it,
// refunds, requires_action, the whole autopay schedule across the March DST change in
// America/New_York (decline, +3, +7, +14, overdue + alert + CRITICAL audit; and success at
// +7), disabling autopay, the Stripe adapter against a local stand-in (form fields, auth,
// idempotency keys, declines, 500s, timeouts), two runners at once and a runner killed
// between the processor's answer and its commit: exactly one charge per attempt.
#include <atomic>
#include <condition_variable>
#include <mutex>
#include <set>
#include <thread>

#include "server/http/transport.hpp"
#include "server/payments/autopay_scheduler.hpp"
#include "server/payments/payment_service.hpp"
#include "server/payments/processor.hpp"
#include "shared/time/civil.hpp"
#include "tests/server/support.hpp"

namespace cp::test {
namespace {

namespace pay = server::payments;

std::int64_t at(const char* iso) { return *time::parse_iso_instant(iso); }

class Payments : public ServerTest {
protected:
    void SetUp() override {
        ServerTest::SetUp();
        // Invoices issued on 2027-02-08 fall due on 2027-03-10 (30 days), four days before
        // New York moves its clocks forward (2027-03-14).
        clock->set(at("2027-02-08T15:00:00Z"));
        firm = make_firm("payco");
        server = std::make_unique<http::TestServer>([this](const http::Request& r) { return app->handle(r); });
        runner = another_app();  // the runner's own connection, beside the live server
    }
    void TearDown() override {
        server.reset();
        runner.reset();
        ServerTest::TearDown();
    }

    // Over real HTTP as the firm's owner (logs in again when the clock has moved on).
    Reply api(const std::string& method, const std::string& target, const json& body = nullptr,
              std::map<std::string, std::string> headers = {}) {
        if (token.empty() || clock->now() - token_at > 3600) {
            auto login = http::request(server->port(), "POST", "/api/v1/auth/login",
                                       {{"Content-Type", "application/json"}},
                                       json{{"email", firm.owner_email}, {"password", kPassword}}.dump());
            EXPECT_EQ(login.status, 200) << login.body;
            token = json::parse(login.body)["token"];
            token_at = clock->now();
        }
        headers["Authorization"] = "Bearer " + token;
        if (!body.is_null()) headers["Content-Type"] = "application/json";
        Reply r;
        r.raw = http::request(server->port(), method, target, headers, body.is_null() ? "" : body.dump());
        r.status = r.raw.status;
        r.body = json::parse(r.raw.body, nullptr, false);
        return r;
    }

    std::string client(const std::string& name, const std::string& pm = "", const std::string& zone = "UTC") {
        json body{{"company_name", name}, {"billing_email", "ap@" + name + ".test"}, {"time_zone", zone}};
        if (!pm.empty()) {
            body["payment_method_ref"] = pm;
            body["autopay_enabled"] = true;
        }
        auto r = api("POST", "/api/v1/clients", body);
        EXPECT_EQ(r.status, 201) << r.raw.body;
        return r.body.value("id", "");
    }

    // An issued invoice of `amount` for the client (no engagement).
    std::string invoice(const std::string& client_id, const std::string& amount) {
        auto d = api("POST", "/api/v1/invoices",
                     {{"client_id", client_id},
                      {"lines",
                       {{{"kind", "adjustment"},
                         {"description", "Advisory"},
                         {"quantity", "1"},
                         {"unit_price", amount},
                         {"tax_rate", "0"}}}}});
        EXPECT_EQ(d.status, 201) << d.raw.body;
        auto i = api("POST", "/api/v1/invoices/" + d.body.value("id", "") + "/issue", json::object());
        EXPECT_EQ(i.status, 200) << i.raw.body;
        return d.body.value("id", "");
    }

    json get_invoice(const std::string& id) { return api("GET", "/api/v1/invoices/" + id).body; }

    pay::RunReport run(pay::Processor& processor) {
        pay::RunOptions o;
        o.now = clock->now();
        o.actor.actor_type = "system";
        o.actor.actor_id = "test:run-autopay";
        return pay::run_autopay(runner->db(), zones, processor, o);
    }

    std::vector<std::string> audit_actions(const std::string& severity = "") {
        std::vector<std::string> out;
        auto r = api("GET", "/api/v1/audit?limit=200" + (severity.empty() ? "" : "&severity=" + severity));
        for (const auto& e : r.body["data"]) out.push_back(e["action"]);
        return out;
    }

    Firm firm;
    std::string token;
    std::int64_t token_at = 0;
    std::unique_ptr<http::TestServer> server;
    std::unique_ptr<server::App> runner;
    server::Zones zones;
    pay::SandboxProcessor sandbox;
};

TEST_F(Payments, AutopayForAFirmThatIsNotThereIsAnError) {
    pay::RunOptions o;
    o.now = clock->now();
    o.firm_id = "frm_nope";
    auto report = pay::run_autopay(runner->db(), zones, sandbox, o);
    EXPECT_EQ(report.errors, 1);
    ASSERT_EQ(report.problems.size(), 1u);
    EXPECT_EQ(report.problems[0]["code"], "FIRM_NOT_FOUND");
    o.firm_id = firm.id;
    EXPECT_EQ(pay::run_autopay(runner->db(), zones, sandbox, o).errors, 0);
}

TEST_F(Payments, PartialThenFullManualPayments) {
    auto c = client("Partial");
    auto inv = invoice(c, "1000.00");
    auto first = api("POST", "/api/v1/invoices/" + inv + "/payments",
                     {{"amount", "400.00"}, {"method", "bank_transfer"}, {"reference", "WIRE-1"}});
    ASSERT_EQ(first.status, 201) << first.raw.body;
    EXPECT_EQ(first.body["status"], "succeeded");
    EXPECT_EQ(first.body["invoice"]["status"], "partial");
    EXPECT_EQ(first.body["invoice"]["amount_paid"], "400.00");
    EXPECT_EQ(first.body["invoice"]["balance_due"], "600.00");
    auto second = api("POST", "/api/v1/invoices/" + inv + "/payments",
                      {{"amount", "600.00"}, {"method", "check"}, {"reference", "CHK 1001"}, {"received_on", "2027-02-08"}});
    ASSERT_EQ(second.status, 201) << second.raw.body;
    EXPECT_EQ(second.body["invoice"]["status"], "paid");
    EXPECT_EQ(second.body["invoice"]["balance_due"], "0.00");
    auto more = api("POST", "/api/v1/invoices/" + inv + "/payments", {{"amount", "1.00"}, {"method", "cash"}});
    EXPECT_EQ(more.status, 409);
    EXPECT_EQ(more.body["error"]["code"], "NOT_PAYABLE");
    auto list = api("GET", "/api/v1/payments?invoice_id=" + inv);
    ASSERT_EQ(list.status, 200);
    EXPECT_EQ(list.body["data"].size(), 2u);
    EXPECT_EQ(api("GET", "/api/v1/payments?client_id=" + c + "&status=succeeded").body["data"].size(), 2u);
    EXPECT_EQ(api("GET", "/api/v1/payments?status=failed").body["data"].size(), 0u);
    // Money is a decimal string at the currency's digits, never a float.
    auto bad = api("POST", "/api/v1/invoices/" + inv + "/payments", {{"amount", 12.5}, {"method", "cash"}});
    EXPECT_EQ(bad.status, 422);
    auto digits = api("POST", "/api/v1/invoices/" + inv + "/payments", {{"amount", "1.005"}, {"method", "cash"}});
    EXPECT_EQ(digits.status, 422);
    EXPECT_EQ(digits.body["error"]["code"], "TOO_MANY_DECIMALS");
}

TEST_F(Payments, OverpaymentBecomesCreditThatPaysAnotherInvoice) {
    auto c = client("Over");
    auto a = invoice(c, "100.00");
    auto b = invoice(c, "80.00");
    auto over = api("POST", "/api/v1/invoices/" + a + "/payments", {{"amount", "150.00"}, {"method", "cash"}});
    ASSERT_EQ(over.status, 201) << over.raw.body;
    EXPECT_EQ(over.body["applied"], "100.00");
    EXPECT_EQ(over.body["to_credit"], "50.00");
    EXPECT_EQ(over.body["invoice"]["status"], "paid");
    auto credits = api("GET", "/api/v1/clients/" + c + "/credits");
    ASSERT_EQ(credits.status, 200) << credits.raw.body;
    EXPECT_EQ(credits.body["balances"]["USD"], "50.00");
    ASSERT_EQ(credits.body["data"].size(), 1u);
    EXPECT_EQ(credits.body["data"][0]["kind"], "overpayment");

    auto too_much = api("POST", "/api/v1/invoices/" + b + "/apply-credit", {{"amount", "60.00"}});
    EXPECT_EQ(too_much.status, 422);
    EXPECT_EQ(too_much.body["error"]["code"], "INSUFFICIENT_CREDIT");
    auto applied = api("POST", "/api/v1/invoices/" + b + "/apply-credit", {{"amount", "50.00"}});
    ASSERT_EQ(applied.status, 201) << applied.raw.body;
    EXPECT_EQ(applied.body["method"], "credit");
    EXPECT_EQ(applied.body["invoice"]["status"], "partial");
    EXPECT_EQ(applied.body["invoice"]["balance_due"], "30.00");
    credits = api("GET", "/api/v1/clients/" + c + "/credits");
    EXPECT_EQ(credits.body["balances"]["USD"], "0.00");
    EXPECT_EQ(credits.body["data"].size(), 2u);
    // Never negative.
    auto empty = api("POST", "/api/v1/invoices/" + b + "/apply-credit", {{"amount", "0.01"}});
    EXPECT_EQ(empty.body["error"]["code"], "INSUFFICIENT_CREDIT");

    // Goodwill needs a reason and another person's approval (an owner or admin).
    auto admin_token = add_member(firm, "admin", "admin@payco.test");
    auto me = call("GET", "/api/v1/auth/me", admin_token);
    std::string admin_membership = me.body.value("membership_id", "");
    if (admin_membership.empty()) admin_membership = me.body["membership"].value("id", "");
    auto self = api("POST", "/api/v1/clients/" + c + "/credits",
                    {{"kind", "goodwill"}, {"amount", "10.00"}, {"currency", "USD"}, {"reason", "Late delivery"},
                     {"approved_by", firm.owner_membership_id}});
    EXPECT_EQ(self.status, 403);
    EXPECT_EQ(self.body["error"]["code"], "SELF_APPROVAL");
    auto no_reason = api("POST", "/api/v1/clients/" + c + "/credits",
                         {{"kind", "goodwill"}, {"amount", "10.00"}, {"currency", "USD"},
                          {"approved_by", admin_membership}});
    EXPECT_EQ(no_reason.status, 422);
    auto requested = api("POST", "/api/v1/clients/" + c + "/credits",
                         {{"kind", "goodwill"}, {"amount", "10.00"}, {"currency", "USD"}, {"reason", "Late delivery"},
                          {"approved_by", admin_membership}});
    ASSERT_EQ(requested.status, 202) << requested.raw.body;
    EXPECT_EQ(requested.body["status"], "pending");
    const std::string request_id = requested.body["id"];
    // Naming the approver is not their consent: nothing is credited until they approve.
    auto before = api("GET", "/api/v1/clients/" + c + "/credits");
    EXPECT_EQ(before.raw.body.find("goodwill"), std::string::npos) << before.raw.body;
    auto by_requester = call("POST", "/api/v1/credit-requests/" + request_id + "/approve", firm.owner_token,
                             json::object());
    EXPECT_EQ(by_requester.status, 403);
    EXPECT_EQ(by_requester.body["error"]["code"], "NOT_THE_APPROVER");
    auto good = call("POST", "/api/v1/credit-requests/" + request_id + "/approve", admin_token, json::object());
    EXPECT_EQ(good.status, 201) << good.raw.body;
    EXPECT_EQ(good.body["balance_after"], "10.00");
    auto twice = call("POST", "/api/v1/credit-requests/" + request_id + "/approve", admin_token, json::object());
    EXPECT_EQ(twice.status, 409);
}

TEST_F(Payments, RefundsPartialThenFull) {
    auto c = client("Refundee", "pm_card_visa");
    auto inv = invoice(c, "200.00");
    auto paid = api("POST", "/api/v1/invoices/" + inv + "/payments",
                    {{"amount", "200.00"}, {"method", "card"}, {"payment_method", "pm_card_visa"}});
    ASSERT_EQ(paid.status, 201) << paid.raw.body;
    EXPECT_EQ(paid.body["status"], "succeeded");
    EXPECT_EQ(paid.body["invoice"]["status"], "paid");
    const std::string pid = paid.body["id"];
    auto partial = api("POST", "/api/v1/payments/" + pid + "/refunds", {{"amount", "50.00"}, {"reason", "Discount"}});
    ASSERT_EQ(partial.status, 201) << partial.raw.body;
    EXPECT_EQ(partial.body["payment"]["invoice"]["status"], "partial");
    EXPECT_EQ(partial.body["payment"]["invoice"]["amount_paid"], "150.00");
    EXPECT_EQ(partial.body["payment"]["status"], "succeeded");
    auto beyond = api("POST", "/api/v1/payments/" + pid + "/refunds", {{"amount", "150.01"}, {"reason", "x"}});
    EXPECT_EQ(beyond.status, 422);
    EXPECT_EQ(beyond.body["error"]["code"], "REFUND_EXCEEDS_PAYMENT");
    auto no_reason = api("POST", "/api/v1/payments/" + pid + "/refunds", {{"amount", "1.00"}});
    EXPECT_EQ(no_reason.status, 422);
    auto rest = api("POST", "/api/v1/payments/" + pid + "/refunds", {{"amount", "150.00"}, {"reason", "Cancelled"}});
    ASSERT_EQ(rest.status, 201) << rest.raw.body;
    EXPECT_EQ(rest.body["payment"]["status"], "refunded");
    EXPECT_EQ(rest.body["payment"]["invoice"]["status"], "refunded");
    EXPECT_EQ(rest.body["payment"]["invoice"]["amount_paid"], "0.00");
    EXPECT_EQ(api("GET", "/api/v1/payments/" + pid).body["refunds"].size(), 2u);
    auto actions = audit_actions();
    EXPECT_EQ(std::count(actions.begin(), actions.end(), "payment.refund"), 2);
}

TEST_F(Payments, CardDeclinesAndRequiresAction) {
    auto c = client("Cards");
    auto inv = invoice(c, "75.00");
    auto declined = api("POST", "/api/v1/invoices/" + inv + "/payments",
                        {{"amount", "75.00"}, {"method", "card"}, {"payment_method", "pm_card_chargeDeclined"}});
    ASSERT_EQ(declined.status, 201) << declined.raw.body;
    EXPECT_EQ(declined.body["status"], "failed");
    EXPECT_EQ(declined.body["failure_code"], "card_declined");
    EXPECT_EQ(declined.body["invoice"]["status"], "sent");
    auto poor = api("POST", "/api/v1/invoices/" + inv + "/payments",
                    {{"amount", "75.00"},
                     {"method", "card"},
                     {"payment_method", "pm_card_chargeDeclinedInsufficientFunds"}});
    EXPECT_EQ(poor.body["failure_code"], "insufficient_funds");
    auto action = api("POST", "/api/v1/invoices/" + inv + "/payments",
                      {{"amount", "75.00"}, {"method", "card"}, {"payment_method", "pm_card_authenticationRequired"}});
    ASSERT_EQ(action.status, 201) << action.raw.body;
    // Left for the client to complete: nothing paid yet, not failed either.
    EXPECT_EQ(action.body["status"], "requires_action");
    EXPECT_FALSE(action.body["processor_id"].is_null());
    EXPECT_EQ(action.body["invoice"]["status"], "sent");
    EXPECT_EQ(action.body["invoice"]["amount_paid"], "0.00");
    auto card_without_method = api("POST", "/api/v1/invoices/" + inv + "/payments", {{"amount", "1.00"}, {"method", "card"}});
    EXPECT_EQ(card_without_method.status, 422);
    auto card_number = api("POST", "/api/v1/invoices/" + inv + "/payments",
                           {{"amount", "1.00"}, {"method", "card"}, {"payment_method", "4242 4242 4242 4242"}});
    EXPECT_EQ(card_number.status, 422);
    // Pending before the processor, then settled: every card attempt has its audit pair.
    auto actions = audit_actions();
    EXPECT_EQ(std::count(actions.begin(), actions.end(), "payment.create"), 3);
    EXPECT_EQ(std::count(actions.begin(), actions.end(), "payment.fail"), 2);
    EXPECT_EQ(std::count(actions.begin(), actions.end(), "payment.requires_action"), 1);
}

// Decline on the due date, then +3, +7 and +14 days at the same New York wall time across
// the March DST change; then overdue, an alert and a CRITICAL audit event.
TEST_F(Payments, AutopayWholeScheduleAcrossDstThenOverdueAndAlert) {
    auto c = client("Decliner", "pm_card_chargeDeclined", "America/New_York");
    auto inv = invoice(c, "500.00");
    EXPECT_EQ(get_invoice(inv)["due_date"], "2027-03-10");

    clock->set(at("2027-03-10T03:00:00Z"));  // 2027-03-09 22:00 in New York: not due yet
    EXPECT_EQ(run(sandbox).attempted, 0);
    clock->set(at("2027-03-10T14:00:00Z"));  // 09:00 EST on the due date
    auto first = run(sandbox);
    ASSERT_EQ(first.attempted, 1) << first.to_json().dump();
    EXPECT_EQ(first.failed, 1);
    EXPECT_EQ(get_invoice(inv)["status"], "failed");
    auto failures = api("GET", "/api/v1/payment-failures?invoice_id=" + inv);
    ASSERT_EQ(failures.body["data"].size(), 1u);
    EXPECT_EQ(failures.body["data"][0]["code"], "card_declined");
    EXPECT_EQ(failures.body["data"][0]["attempt"], 1);
    EXPECT_EQ(failures.body["data"][0]["next_retry_at"], "2027-03-13T14:00:00Z");  // 09:00 EST
    EXPECT_EQ(run(sandbox).attempted, 0);  // nothing until the retry's time

    const std::vector<std::pair<const char*, json>> retries = {
        {"2027-03-13T14:00:00Z", "2027-03-17T13:00:00Z"},  // 09:00 EST; next 09:00 EDT
        {"2027-03-17T13:00:00Z", "2027-03-24T13:00:00Z"},
        {"2027-03-24T13:00:00Z", nullptr},
    };
    int attempt = 1;
    for (const auto& [when, next] : retries) {
        clock->set(at(when) - 60);
        EXPECT_EQ(run(sandbox).attempted, 0) << "a minute early for " << when;
        clock->set(at(when));
        auto r = run(sandbox);
        ASSERT_EQ(r.attempted, 1) << when << r.to_json().dump();
        ++attempt;
        failures = api("GET", "/api/v1/payment-failures?invoice_id=" + inv);
        ASSERT_EQ(failures.body["data"].size(), static_cast<std::size_t>(attempt));
        EXPECT_EQ(failures.body["data"][attempt - 1]["attempt"], attempt);
        EXPECT_EQ(failures.body["data"][attempt - 1]["next_retry_at"], next);
        EXPECT_EQ(failures.body["data"][attempt - 1]["failed_at"], when);
    }
    auto after = get_invoice(inv);
    EXPECT_EQ(after["status"], "overdue");
    EXPECT_EQ(after["balance_due"], "500.00");
    auto alerts = api("GET", "/api/v1/alerts");
    ASSERT_EQ(alerts.body["data"].size(), 1u);
    EXPECT_EQ(alerts.body["data"][0]["invoice_id"], inv);
    EXPECT_EQ(alerts.body["data"][0]["kind"], "autopay_exhausted");
    auto critical = audit_actions("CRITICAL");
    EXPECT_EQ(std::count(critical.begin(), critical.end(), "autopay.exhausted"), 1);
    // No fifth attempt, ever.
    clock->set(at("2027-05-01T13:00:00Z"));
    EXPECT_EQ(run(sandbox).attempted, 0);
    EXPECT_EQ(api("GET", "/api/v1/payments?invoice_id=" + inv).body["data"].size(), 4u);
    auto ack = api("POST", "/api/v1/alerts/" + alerts.body["data"][0]["id"].get<std::string>() + "/ack", json::object());
    EXPECT_EQ(ack.status, 200) << ack.raw.body;
    EXPECT_FALSE(ack.body["acknowledged_at"].is_null());
    EXPECT_EQ(api("POST", "/api/v1/alerts/" + alerts.body["data"][0]["id"].get<std::string>() + "/ack", json::object())
                  .status,
              409);
}

TEST_F(Payments, AutopaySucceedsAtTheSecondRetryAndStops) {
    auto c = client("Recovers", "pm_card_chargeDeclinedInsufficientFunds", "America/New_York");
    auto inv = invoice(c, "320.00");
    clock->set(at("2027-03-10T14:00:00Z"));
    EXPECT_EQ(run(sandbox).failed, 1);
    clock->set(at("2027-03-13T14:00:00Z"));
    EXPECT_EQ(run(sandbox).failed, 1);
    // The client puts a working card on file before the +7 retry.
    EXPECT_EQ(api("PATCH", "/api/v1/clients/" + c, {{"payment_method_ref", "pm_card_visa"}}).status, 200);
    clock->set(at("2027-03-17T13:00:00Z"));
    auto ok = run(sandbox);
    EXPECT_EQ(ok.succeeded, 1) << ok.to_json().dump();
    auto after = get_invoice(inv);
    EXPECT_EQ(after["status"], "paid");
    EXPECT_EQ(after["amount_paid"], "320.00");
    clock->set(at("2027-03-24T13:00:00Z"));
    EXPECT_EQ(run(sandbox).attempted, 0);
    EXPECT_EQ(api("GET", "/api/v1/payment-failures?client_id=" + c).body["data"].size(), 2u);
    EXPECT_EQ(api("GET", "/api/v1/alerts").body["data"].size(), 0u);
}

TEST_F(Payments, DisablingAutopayCancelsPendingRetries) {
    auto c = client("Quitter", "pm_card_chargeDeclined");
    auto inv = invoice(c, "90.00");
    clock->set(at("2027-03-10T12:00:00Z"));
    EXPECT_EQ(run(sandbox).failed, 1);
    EXPECT_EQ(api("PATCH", "/api/v1/clients/" + c, {{"autopay_enabled", false}}).status, 200);
    clock->set(at("2027-03-13T12:00:00Z"));
    EXPECT_EQ(run(sandbox).attempted, 0);
    auto actions = audit_actions();
    EXPECT_EQ(std::count(actions.begin(), actions.end(), "autopay.cancel"), 1);
    EXPECT_EQ(get_invoice(inv)["status"], "failed");
}

TEST_F(Payments, SchedulerTickRunsWithTheInjectedClock) {
    auto c = client("Ticked", "pm_card_visa");
    auto inv = invoice(c, "10.00");
    auto shared = std::make_shared<pay::SandboxProcessor>();
    pay::AutopayScheduler scheduler(runner->db(), shared, clock);  // never started: no thread, no sleep
    EXPECT_EQ(scheduler.tick().attempted, 0);
    clock->set(at("2027-03-10T12:00:00Z"));
    EXPECT_EQ(scheduler.tick().succeeded, 1);
    EXPECT_EQ(get_invoice(inv)["status"], "paid");
}

// --- Stripe over HTTP against a stand-in the test starts ------------------------------------

std::map<std::string, std::string> parse_form(const std::string& body) {
    std::map<std::string, std::string> out;
    auto unescape = [](const std::string& s) {
        std::string o;
        for (std::size_t i = 0; i < s.size(); ++i) {
            if (s[i] == '%' && i + 2 < s.size()) {
                o.push_back(static_cast<char>(std::stoi(s.substr(i + 1, 2), nullptr, 16)));
                i += 2;
            } else {
                o.push_back(s[i] == '+' ? ' ' : s[i]);
            }
        }
        return o;
    };
    std::size_t pos = 0;
    while (pos <= body.size()) {
        auto amp = body.find('&', pos);
        if (amp == std::string::npos) amp = body.size();
        auto pair = body.substr(pos, amp - pos);
        auto eq = pair.find('=');
        if (eq != std::string::npos) out[unescape(pair.substr(0, eq))] = unescape(pair.substr(eq + 1));
        pos = amp + 1;
    }
    return out;
}

// Behaves like Stripe where it matters here: checks the key, the form and the
// Idempotency-Key; saves the first answer per key and replays it; counts charges per key.
class StripeStandIn {
public:
    StripeStandIn() : server_([this](const http::Request& r) { return handle(r); }) {}
    ~StripeStandIn() { release(); }
    std::string base() const { return "http://127.0.0.1:" + std::to_string(server_.port()); }

    std::map<std::string, int> charges() {
        std::lock_guard lock(mutex_);
        return charges_;
    }
    std::vector<std::string> problems() {
        std::lock_guard lock(mutex_);
        return problems_;
    }
    std::map<std::string, std::string> last_form() {
        std::lock_guard lock(mutex_);
        return last_form_;
    }
    int requests() const { return requests_; }
    // pm_timeout answers only after release() (the client has given up by then).
    void release() {
        {
            std::lock_guard lock(mutex_);
            released_ = true;
        }
        wake_.notify_all();
    }
    int fail_first_with_500 = 0;  // that many 500s (not saved under the key) before anything else

private:
    http::Response answer(int status, const json& body) {
        http::Response r;
        r.status = status;
        r.body = body.dump();
        return r;
    }

    http::Response handle(const http::Request& req) {
        ++requests_;
        std::unique_lock lock(mutex_);
        if (req.header("authorization") != std::optional<std::string>("Bearer sk_test_standin")) {
            return answer(401, {{"error", {{"type", "invalid_request_error"}, {"message", "bad key"}}}});
        }
        auto key = req.header("idempotency-key");
        if (!key || key->empty()) {
            problems_.push_back("no Idempotency-Key");
            return answer(400, {{"error", {{"type", "invalid_request_error"}, {"message", "no key"}}}});
        }
        if (req.header("content-type") != std::optional<std::string>("application/x-www-form-urlencoded"))
            problems_.push_back("not form-encoded");
        auto form = parse_form(req.body);
        if (auto saved = saved_.find(*key); saved != saved_.end()) {
            if (saved->second.first != req.body) problems_.push_back("same key, different request: " + *key);
            return saved->second.second;
        }
        if (fail_first_with_500 > 0) {
            --fail_first_with_500;
            return answer(500, {{"error", {{"type", "api_error"}, {"message", "try again"}}}});
        }
        http::Response out;
        if (req.path == "/v1/payment_intents") {
            last_form_ = form;
            for (const char* field : {"amount", "currency", "payment_method", "confirm", "metadata[invoice_id]"}) {
                if (!form.count(field)) problems_.push_back(std::string("missing ") + field);
            }
            if (form["confirm"] != "true") problems_.push_back("confirm is not true");
            const std::string pm = form["payment_method"];
            const std::string pi = "pi_" + std::to_string(saved_.size() + 1);
            if (pm == "pm_card_chargeDeclined" || pm == "pm_card_chargeDeclinedInsufficientFunds") {
                json err{{"type", "card_error"},
                         {"code", "card_declined"},
                         {"message", "Your card was declined."},
                         {"payment_intent", {{"id", pi}, {"status", "requires_payment_method"}}}};
                if (pm == "pm_card_chargeDeclinedInsufficientFunds") err["decline_code"] = "insufficient_funds";
                out = answer(402, {{"error", err}});
            } else {
                ++charges_[*key];
                out = answer(200, {{"id", pi}, {"object", "payment_intent"}, {"status", "succeeded"},
                                   {"amount", std::stoll(form["amount"])}});
                if (pm == "pm_timeout") {
                    saved_[*key] = {req.body, out};  // Stripe finished; the answer is lost on the way
                    wake_.wait(lock, [this] { return released_; });
                    return out;
                }
            }
        } else if (req.path == "/v1/refunds") {
            out = answer(200, {{"id", "re_" + std::to_string(saved_.size() + 1)}, {"status", "succeeded"}});
        } else {
            out = answer(404, {{"error", {{"type", "invalid_request_error"}, {"message", "no route"}}}});
        }
        saved_[*key] = {req.body, out};
        return out;
    }

    std::mutex mutex_;
    std::condition_variable wake_;
    bool released_ = false;
    std::map<std::string, std::pair<std::string, http::Response>> saved_;
    std::map<std::string, int> charges_;
    std::vector<std::string> problems_;
    std::map<std::string, std::string> last_form_;
    std::atomic<int> requests_{0};
    http::TestServer server_;  // last: stops before the state it uses goes away
};

pay::StripeConfig stripe_config(const StripeStandIn& standin, std::chrono::milliseconds timeout = std::chrono::seconds(10)) {
    pay::StripeConfig c;
    c.api_key = "sk_test_standin";
    c.api_base = standin.base();
    c.timeout = timeout;
    return c;
}

TEST_F(Payments, StripeFormAuthDeclinesAndErrorMapping) {
    StripeStandIn standin;
    pay::StripeProcessor stripe(stripe_config(standin));
    pay::ChargeRequest req;
    req.idempotency_key = "cp_autopay_inv_x_1";
    req.invoice_id = "inv_x";
    req.payment_id = "pay_x";
    req.firm_id = "frm_x";
    req.customer = "cus_123";
    req.payment_method = "pm_card_visa";
    req.currency = "USD";
    req.amount = 12345;
    req.off_session = true;
    auto ok = stripe.charge(req);
    EXPECT_EQ(ok.outcome, pay::Outcome::succeeded);
    EXPECT_EQ(ok.processor_id, "pi_1");
    auto form = standin.last_form();
    EXPECT_EQ(form["amount"], "12345");
    EXPECT_EQ(form["currency"], "usd");
    EXPECT_EQ(form["off_session"], "true");
    EXPECT_EQ(form["customer"], "cus_123");
    EXPECT_EQ(form["metadata[invoice_id]"], "inv_x");
    // The same key again: Stripe's saved answer, no second charge.
    EXPECT_EQ(stripe.charge(req).processor_id, "pi_1");
    EXPECT_EQ(standin.charges()["cp_autopay_inv_x_1"], 1);

    req.idempotency_key = "k2";
    req.payment_method = "pm_card_chargeDeclined";
    auto declined = stripe.charge(req);
    EXPECT_EQ(declined.outcome, pay::Outcome::failed);
    EXPECT_EQ(declined.failure_code, "card_declined");
    req.idempotency_key = "k3";
    req.payment_method = "pm_card_chargeDeclinedInsufficientFunds";
    EXPECT_EQ(stripe.charge(req).failure_code, "insufficient_funds");

    standin.fail_first_with_500 = 1;
    req.idempotency_key = "k4";
    req.payment_method = "pm_card_visa";
    EXPECT_EQ(stripe.charge(req).outcome, pay::Outcome::unknown);  // 500: stays pending
    EXPECT_EQ(stripe.charge(req).outcome, pay::Outcome::succeeded);

    pay::StripeProcessor wrong_key([&] {
        auto c = stripe_config(standin);
        c.api_key = "sk_wrong";
        return c;
    }());
    req.idempotency_key = "k5";
    EXPECT_EQ(wrong_key.charge(req).outcome, pay::Outcome::unknown);  // our problem, not the client's
    EXPECT_TRUE(standin.problems().empty()) << standin.problems().front();

    EXPECT_EQ(pay::failure_code_from_stripe("expired_card", ""), "expired_card");
    EXPECT_EQ(pay::failure_code_from_stripe("card_declined", "authentication_required"), "authentication_required");
    EXPECT_EQ(pay::failure_code_from_stripe("incorrect_cvc", ""), "incorrect_cvc");
    EXPECT_EQ(pay::failure_code_from_stripe("processing_error", ""), "processing_error");
    EXPECT_EQ(pay::failure_code_from_stripe("resource_missing", ""), "invalid_payment_method");
    EXPECT_EQ(pay::failure_code_from_stripe("something_new", ""), "processor_rejected");
}

// A timeout leaves the payment pending; the next run repeats the call with the same key and
// settles it from Stripe's saved answer: one charge.
TEST_F(Payments, StripeTimeoutStaysPendingAndReconcilesWithTheSameKey) {
    StripeStandIn standin;
    pay::StripeProcessor stripe(stripe_config(standin, std::chrono::milliseconds(300)));
    auto c = client("Slow", "pm_timeout");
    auto inv = invoice(c, "42.00");
    clock->set(at("2027-03-10T12:00:00Z"));
    auto first = run(stripe);
    EXPECT_EQ(first.pending, 1) << first.to_json().dump();
    standin.release();
    auto payments = api("GET", "/api/v1/payments?invoice_id=" + inv);
    ASSERT_EQ(payments.body["data"].size(), 1u);
    EXPECT_EQ(payments.body["data"][0]["status"], "pending");
    EXPECT_EQ(get_invoice(inv)["amount_paid"], "0.00");
    // Inside the claim nobody repeats it; after it, the reconcile does.
    clock->advance(60);
    EXPECT_EQ(run(stripe).reconciled, 0);
    clock->advance(pay::kClaimSeconds);
    auto again = run(stripe);
    EXPECT_EQ(again.reconciled, 1) << again.to_json().dump();
    EXPECT_EQ(again.succeeded, 1);
    EXPECT_EQ(again.attempted, 0);
    EXPECT_EQ(get_invoice(inv)["status"], "paid");
    auto charges = standin.charges();
    ASSERT_EQ(charges.size(), 1u);
    EXPECT_EQ(charges.begin()->first, pay::autopay_key(inv, 1));
    EXPECT_EQ(charges.begin()->second, 1);
}

// The processor charged, then the runner died before its commit: the payment stays pending,
// the next runner reconciles with the same key, and the stand-in counts one charge.
class DiesAfterAnswer : public pay::Processor {
public:
    explicit DiesAfterAnswer(pay::Processor& inner) : inner_(inner) {}
    std::string name() const override { return inner_.name(); }
    pay::ChargeResult charge(const pay::ChargeRequest& r) override {
        inner_.charge(r);
        throw std::runtime_error("killed between the processor's answer and the commit");
    }
    pay::RefundResult refund(const pay::RefundRequest& r) override { return inner_.refund(r); }

private:
    pay::Processor& inner_;
};

TEST_F(Payments, RunnerKilledAfterTheChargeNeverChargesTwice) {
    StripeStandIn standin;
    pay::StripeProcessor stripe(stripe_config(standin));
    DiesAfterAnswer dying(stripe);
    auto c = client("Crash", "pm_card_visa");
    auto inv = invoice(c, "99.00");
    clock->set(at("2027-03-10T12:00:00Z"));
    run(dying);
    EXPECT_EQ(get_invoice(inv)["amount_paid"], "0.00");
    clock->advance(pay::kClaimSeconds + 1);
    auto next = run(stripe);
    EXPECT_EQ(next.reconciled, 1);
    EXPECT_EQ(next.attempted, 0);
    EXPECT_EQ(get_invoice(inv)["status"], "paid");
    EXPECT_EQ(standin.charges()[pay::autopay_key(inv, 1)], 1);
    EXPECT_EQ(standin.charges().size(), 1u);
}

// Two runners at once, each on its own connection: every attempt is charged exactly once.
TEST_F(Payments, TwoRunnersAtOnceChargeEachAttemptOnce) {
    StripeStandIn standin;
    pay::StripeProcessor stripe(stripe_config(standin));
    std::vector<std::string> invoices;
    for (int i = 0; i < 8; ++i) invoices.push_back(invoice(client("Pair" + std::to_string(i), "pm_card_visa"), "10.00"));
    clock->set(at("2027-03-10T12:00:00Z"));
    auto second_runner = another_app();
    std::atomic<int> attempted{0};
    auto go = [&](server::App& on) {
        pay::RunOptions o;
        o.now = clock->now();
        o.actor.actor_id = "test:runner";
        server::Zones z;
        attempted += static_cast<int>(pay::run_autopay(on.db(), z, stripe, o).attempted);
    };
    std::thread a([&] { go(*runner); });
    std::thread b([&] { go(*second_runner); });
    a.join();
    b.join();
    EXPECT_EQ(attempted.load(), 8);
    auto charges = standin.charges();
    EXPECT_EQ(charges.size(), 8u);
    for (const auto& [key, n] : charges) EXPECT_EQ(n, 1) << key;
    for (const auto& id : invoices) {
        EXPECT_EQ(get_invoice(id)["status"], "paid");
        EXPECT_EQ(api("GET", "/api/v1/payments?invoice_id=" + id).body["data"].size(), 1u);
    }
}

TEST_F(Payments, StripeCardPaymentAndRefundThroughTheApi) {
    StripeStandIn standin;
    config.processor = std::make_shared<pay::StripeProcessor>(stripe_config(standin));
    auto stripe_app = another_app();
    app.swap(stripe_app);  // the loopback server now answers with the Stripe-backed app
    auto c = client("Striped");
    auto inv = invoice(c, "60.00");
    auto paid = api("POST", "/api/v1/invoices/" + inv + "/payments",
                    {{"amount", "60.00"}, {"method", "card"}, {"payment_method", "pm_card_visa"}},
                    {{"Idempotency-Key", "pay-once"}});
    ASSERT_EQ(paid.status, 201) << paid.raw.body;
    EXPECT_EQ(paid.body["processor"], "stripe");
    EXPECT_EQ(paid.body["processor_id"], "pi_1");
    // What Stripe was asked for: the invoice's amount and currency, tagged with its ids.
    auto form = standin.last_form();
    EXPECT_EQ(form["amount"], "6000");
    EXPECT_EQ(form["currency"], "usd");
    EXPECT_EQ(form["payment_method"], "pm_card_visa");
    EXPECT_EQ(form["metadata[invoice_id]"], inv);
    EXPECT_EQ(form["metadata[payment_id]"], paid.body["id"].get<std::string>());
    EXPECT_EQ(form["metadata[firm_id]"], firm.id);
    auto replay = api("POST", "/api/v1/invoices/" + inv + "/payments",
                      {{"amount", "60.00"}, {"method", "card"}, {"payment_method", "pm_card_visa"}},
                      {{"Idempotency-Key", "pay-once"}});
    EXPECT_EQ(replay.status, 201);
    EXPECT_EQ(replay.body["id"], paid.body["id"]);
    EXPECT_EQ(standin.charges().size(), 1u);
    auto refund = api("POST", "/api/v1/payments/" + paid.body["id"].get<std::string>() + "/refunds",
                      {{"amount", "60.00"}, {"reason", "Duplicate order"}});
    ASSERT_EQ(refund.status, 201) << refund.raw.body;
    EXPECT_EQ(refund.body["processor_id"], "re_2");
    EXPECT_EQ(get_invoice(inv)["status"], "refunded");
    EXPECT_TRUE(standin.problems().empty());
}

}  // namespace
}  // namespace cp::test
