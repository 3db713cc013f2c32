// Drafts, issuing, immutability, void and credit notes through the API, on both backends.
#include <algorithm>

#include "tests/server/billing_support.hpp"

namespace cp::test {
namespace {

class InvoiceDrafts : public BillingTest {};

bool has(const std::vector<std::string>& v, const std::string& s) {
    return std::find(v.begin(), v.end(), s) != v.end();
}

TEST_F(InvoiceDrafts, CreateComputesTotalsWithTheCoreAndDefaultsToTheCurrentEngagement) {
    auto r = call(
        "POST", "/api/v1/invoices", billing,
        {{"client_id", client}, {"notes", "September"}, {"lines", {line("1.5", "120.00", "8.875")}}});
    ASSERT_EQ(r.status, 201) << r.raw.body;
    EXPECT_EQ(r.body["status"], "draft");
    EXPECT_EQ(r.body["number"], nullptr);
    EXPECT_EQ(r.body["engagement_id"], engagement);
    EXPECT_EQ(r.body["currency"], "USD");
    EXPECT_EQ(r.body["subtotal"], "180.00");
    EXPECT_EQ(r.body["tax"], "15.98");
    EXPECT_EQ(r.body["total"], "195.98");
    EXPECT_EQ(r.body["balance_due"], "195.98");
    EXPECT_EQ(r.body["notes"], "September");
    ASSERT_EQ(r.body["lines"].size(), 1u);
    EXPECT_EQ(r.body["lines"][0]["amount"], "180.00");
    EXPECT_EQ(call("GET", "/api/v1/invoices/" + r.body["id"].get<std::string>(), billing).body, r.body);
    EXPECT_TRUE(has(audit_actions(), "invoice.create"));
}

TEST_F(InvoiceDrafts, CoreErrorsAreFieldErrors) {
    auto r = call("POST", "/api/v1/invoices", billing,
                  {{"client_id", client}, {"lines", {line("1", "-5.00"), line("1.123456", "1")}}});
    ASSERT_EQ(r.status, 422) << r.raw.body;
    EXPECT_EQ(r.body["error"]["code"], "TOO_MANY_DECIMALS");
    EXPECT_EQ(r.body["error"]["field"], "lines[1].quantity");
    auto negative =
        call("POST", "/api/v1/invoices", billing, {{"client_id", client}, {"lines", {line("1", "-5.00")}}});
    EXPECT_EQ(negative.status, 422);
    EXPECT_EQ(negative.body["error"]["code"], "NEGATIVE_TOTAL");
    auto foreign = call("POST", "/api/v1/invoices", billing,
                        {{"client_id", "cli_000000000000000000000000"}, {"lines", json::array()}});
    EXPECT_EQ(foreign.status, 404);
    auto credit = call("POST", "/api/v1/invoices", billing,
                       {{"client_id", client}, {"document_type", "credit_note"}, {"lines", json::array()}});
    EXPECT_EQ(credit.status, 422);
    EXPECT_EQ(credit.body["error"]["field"], "document_type");
}

TEST_F(InvoiceDrafts, AnotherEngagementNeedsAReasonAndAnOwnerOrAdmin) {
    const std::string newer = make_hourly_engagement(client, "2026-06-01");  // now the current one
    auto plain = call("POST", "/api/v1/invoices", billing, {{"client_id", client}, {"lines", json::array()}});
    ASSERT_EQ(plain.status, 201);
    EXPECT_EQ(plain.body["engagement_id"], newer);

    json body{{"client_id", client}, {"engagement_id", engagement}, {"lines", json::array()}};
    auto no_reason = call("POST", "/api/v1/invoices", firm.owner_token, body);
    EXPECT_EQ(no_reason.status, 422);
    EXPECT_EQ(no_reason.body["error"]["field"], "engagement_override_reason");
    body["engagement_override_reason"] = "Late hours of the old contract";
    auto as_billing = call("POST", "/api/v1/invoices", billing, body);
    EXPECT_EQ(as_billing.status, 403) << as_billing.raw.body;
    auto as_owner = call("POST", "/api/v1/invoices", firm.owner_token, body);
    ASSERT_EQ(as_owner.status, 201) << as_owner.raw.body;
    EXPECT_EQ(as_owner.body["engagement_id"], engagement);
    EXPECT_EQ(as_owner.body["engagement_override_reason"], "Late hours of the old contract");
    auto events = call("GET", "/api/v1/audit?action=invoice.engagement_override", firm.owner_token);
    ASSERT_EQ(events.body["data"].size(), 1u);
    EXPECT_EQ(events.body["data"][0]["reason"], "Late hours of the old contract");
    EXPECT_EQ(events.body["data"][0]["metadata"]["before"]["engagement_id"], newer);

    body["engagement_id"] = nullptr;  // none at all is an override too
    auto none = call("POST", "/api/v1/invoices", firm.owner_token, body);
    ASSERT_EQ(none.status, 201) << none.raw.body;
    EXPECT_EQ(none.body["engagement_id"], nullptr);

    const std::string other_client = make_client(firm, "Initech");
    body["engagement_id"] = make_hourly_engagement(other_client, "2026-01-01");
    auto mismatch = call("POST", "/api/v1/invoices", firm.owner_token, body);
    EXPECT_EQ(mismatch.status, 422);
    EXPECT_EQ(mismatch.body["error"]["code"], "ENGAGEMENT_CLIENT_MISMATCH");
}

TEST_F(InvoiceDrafts, PatchRecomputesAndDeleteRemoves) {
    const std::string id = draft({line("1", "100.00")});
    auto patched =
        call("PATCH", "/api/v1/invoices/" + id, billing,
             {{"lines", {line("2", "100.00", "10")}}, {"tax_mode", "per_document"}, {"notes", "v2"}});
    ASSERT_EQ(patched.status, 200) << patched.raw.body;
    EXPECT_EQ(patched.body["total"], "220.00");
    EXPECT_EQ(patched.body["tax_mode"], "per_document");
    EXPECT_EQ(patched.body["notes"], "v2");
    auto bad = call("PATCH", "/api/v1/invoices/" + id, billing, {{"currency", nullptr}});
    EXPECT_EQ(bad.status, 422);
    auto del = call("DELETE", "/api/v1/invoices/" + id, billing);
    EXPECT_EQ(del.status, 204);
    EXPECT_EQ(call("GET", "/api/v1/invoices/" + id, billing).status, 404);
    EXPECT_TRUE(has(audit_actions(), "invoice.delete"));
}

TEST_F(InvoiceDrafts, IssuingNumbersDatesAndFreezes) {
    const std::string a = draft({line("1", "100.00")});
    const std::string b = draft({line("1", "50.00")});
    auto first = issue(a);
    ASSERT_EQ(first.status, 200) << first.raw.body;
    EXPECT_EQ(first.body["number"], "INV-2026-00001");
    EXPECT_EQ(first.body["status"], "sent");
    EXPECT_EQ(first.body["issue_date"], "2026-09-21");  // today in New York
    EXPECT_EQ(first.body["due_date"], "2026-10-21");    // + the engagement's 30 days
    ASSERT_EQ(call("PATCH", "/api/v1/firm/settings", firm.owner_token,
                   {{"settings", {{"invoice_number_prefix", "AC-"}}}})
                  .status,
              200);
    auto second = issue(b);
    EXPECT_EQ(second.body["number"], "AC-2026-00002");
    auto again = issue(a);
    EXPECT_EQ(again.status, 409);
    EXPECT_EQ(again.body["error"]["code"], "INVALID_TRANSITION");
    EXPECT_NE(again.body["error"]["message"].get<std::string>().find("'sent' to 'sent'"), std::string::npos);
    auto empty = issue(draft(json::array()));
    EXPECT_EQ(empty.status, 422);
    EXPECT_EQ(empty.body["error"]["field"], "lines");
    auto staff_try = issue(draft({line("1", "1.00")}), staff);
    EXPECT_EQ(staff_try.status, 403);
}

TEST_F(InvoiceDrafts, AnIssuedInvoiceIsImmutableInEveryField) {
    const std::string id = draft({line("1", "100.00")});
    ASSERT_EQ(issue(id).status, 200);
    const std::string before = call("GET", "/api/v1/invoices/" + id, billing).raw.body;
    const json edits[] = {
        {{"client_id", make_client(firm, "Other")}},
        {{"engagement_id", nullptr}, {"engagement_override_reason", "x"}},
        {{"currency", "EUR"}},
        {{"tax_mode", "per_document"}},
        {{"rounding", "half_even"}},
        {{"notes", "changed"}},
        {{"lines", {line("1", "1.00")}}},
        {{"lines", json::array()}},
        {{"document_type", "invoice"}},
        {{"issue_date", "2026-01-01"}},
        {{"due_date", "2027-01-01"}},
        {{"status", "draft"}},
        {{"number", "INV-2026-99999"}},
        json::object(),
    };
    for (const auto& edit : edits) {
        auto r = call("PATCH", "/api/v1/invoices/" + id, firm.owner_token, edit);
        EXPECT_EQ(r.status, 409) << edit.dump();
        EXPECT_EQ(r.body["error"]["code"], "INVOICE_IMMUTABLE") << edit.dump();
    }
    auto del = call("DELETE", "/api/v1/invoices/" + id, firm.owner_token);
    EXPECT_EQ(del.status, 409);
    EXPECT_EQ(del.body["error"]["code"], "INVOICE_IMMUTABLE");
    EXPECT_EQ(call("GET", "/api/v1/invoices/" + id, billing).raw.body, before);
}

TEST_F(InvoiceDrafts, VoidNeedsAnIssuedUnpaidInvoiceAndAReason) {
    const std::string d = draft({line("1", "100.00")});
    auto from_draft = call("POST", "/api/v1/invoices/" + d + "/void", billing, {{"reason", "typo"}});
    EXPECT_EQ(from_draft.status, 409);
    EXPECT_EQ(from_draft.body["error"]["message"], "invoice cannot go from 'draft' to 'void'");
    ASSERT_EQ(issue(d).status, 200);
    EXPECT_EQ(call("POST", "/api/v1/invoices/" + d + "/void", billing, json::object()).status, 422);
    auto voided =
        call("POST", "/api/v1/invoices/" + d + "/void", billing, {{"reason", "sent to the wrong client"}});
    ASSERT_EQ(voided.status, 200) << voided.raw.body;
    EXPECT_EQ(voided.body["status"], "void");
    EXPECT_EQ(voided.body["void_reason"], "sent to the wrong client");
    EXPECT_EQ(voided.body["balance_due"], "0.00");
    EXPECT_EQ(voided.body["number"], "INV-2026-00001");  // the number stays used: no gap
    auto twice = call("POST", "/api/v1/invoices/" + d + "/void", billing, {{"reason", "again"}});
    EXPECT_EQ(twice.body["error"]["message"], "invoice cannot go from 'void' to 'void'");
    const std::string partial = make_invoice(firm, client, "partial");
    auto paid = call("POST", "/api/v1/invoices/" + partial + "/void", billing, {{"reason", "x"}});
    EXPECT_EQ(paid.status, 409);
    EXPECT_EQ(paid.body["error"]["code"], "INVALID_TRANSITION");
    EXPECT_EQ(paid.body["error"]["message"], "invoice cannot go from 'partial' to 'void'");
    auto events = call("GET", "/api/v1/audit?action=invoice.void", firm.owner_token);
    ASSERT_EQ(events.body["data"].size(), 1u);
    EXPECT_EQ(events.body["data"][0]["reason"], "sent to the wrong client");
}

TEST_F(InvoiceDrafts, CreditNotesNeverExceedWhatRemainsCreditable) {
    const std::string id = draft({line("1", "100.00")});
    ASSERT_EQ(issue(id).status, 200);
    auto credit = [&](const std::string& amount) {
        return call("POST", "/api/v1/invoices/" + id + "/credit-notes", billing,
                    {{"reason", "goodwill"}, {"lines", {line("1", amount)}}});
    };
    auto first = credit("60.00");
    ASSERT_EQ(first.status, 201) << first.raw.body;
    EXPECT_EQ(first.body["document_type"], "credit_note");
    EXPECT_EQ(first.body["number"], "CN-2026-00001");
    EXPECT_EQ(first.body["credited_invoice_id"], id);
    EXPECT_EQ(first.body["total"], "60.00");
    auto inv = call("GET", "/api/v1/invoices/" + id, billing).body;
    EXPECT_EQ(inv["amount_credited"], "60.00");
    EXPECT_EQ(inv["balance_due"], "40.00");
    auto over = credit("40.01");
    EXPECT_EQ(over.status, 422);
    EXPECT_EQ(over.body["error"]["code"], "CREDIT_EXCEEDS_INVOICE");
    EXPECT_EQ(credit("0.00").body["error"]["code"], "OUT_OF_RANGE");
    auto rest = credit("40.00");
    ASSERT_EQ(rest.status, 201);
    EXPECT_EQ(rest.body["number"], "CN-2026-00002");
    EXPECT_EQ(call("GET", "/api/v1/invoices/" + id, billing).body["balance_due"], "0.00");
    EXPECT_EQ(credit("0.01").body["error"]["code"], "CREDIT_EXCEEDS_INVOICE");
    // Credited invoices are not voided; drafts and credit notes are not credited.
    EXPECT_EQ(call("POST", "/api/v1/invoices/" + id + "/void", billing, {{"reason", "x"}}).status, 409);
    auto of_draft = call("POST", "/api/v1/invoices/" + draft({line("1", "5.00")}) + "/credit-notes", billing,
                         {{"reason", "x"}, {"lines", {line("1", "1.00")}}});
    EXPECT_EQ(of_draft.status, 409);
    EXPECT_EQ(of_draft.body["error"]["code"], "NOT_CREDITABLE");
    auto of_note = call("POST", "/api/v1/invoices/" + first.body["id"].get<std::string>() + "/credit-notes",
                        billing, {{"reason", "x"}, {"lines", {line("1", "1.00")}}});
    EXPECT_EQ(of_note.status, 409);
    // The invoice numbering was not touched by credit notes.
    EXPECT_EQ(issue(draft({line("1", "1.00")})).body["number"], "INV-2026-00002");
    auto actions = audit_actions();
    EXPECT_TRUE(has(actions, "credit_note.issue"));
    EXPECT_TRUE(has(actions, "invoice.credit"));
    EXPECT_TRUE(call("GET", "/api/v1/audit/verify", firm.owner_token).body["ok"]);
}

TEST_F(InvoiceDrafts, IdempotencyKeyReplaysAnIssue) {
    const std::string id = draft({line("1", "10.00")});
    std::map<std::string, std::string> key{{"idempotency-key", "issue-once"}};
    auto first = call("POST", "/api/v1/invoices/" + id + "/issue", billing, json::object(), key);
    auto replay = call("POST", "/api/v1/invoices/" + id + "/issue", billing, json::object(), key);
    ASSERT_EQ(first.status, 200);
    EXPECT_EQ(replay.status, 200);
    EXPECT_EQ(replay.header("Idempotent-Replayed"), "true");
    EXPECT_EQ(replay.body["number"], first.body["number"]);
    auto created =
        call("POST", "/api/v1/invoices", billing, {{"client_id", client}, {"lines", json::array()}},
             {{"idempotency-key", "draft-once"}});
    auto again = call("POST", "/api/v1/invoices", billing, {{"client_id", client}, {"lines", json::array()}},
                      {{"idempotency-key", "draft-once"}});
    EXPECT_EQ(again.body["id"], created.body["id"]);
}

}  // namespace
}  // namespace cp::test
