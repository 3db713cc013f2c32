// Firm settings: defaults, the allowlist's each rule, and what the settings and rollback
// audit events record (tests for mutants that survived scripts/mutate in server/api/firms.cpp).
#include "tests/server/support.hpp"

namespace cp::test {
namespace {

class SettingsSurvivors : public ServerTest {};

TEST_F(SettingsSurvivors, DefaultsAreTheDocumentedOnes) {
    auto firm = make_firm("acme");
    auto s = call("GET", "/api/v1/firm", firm.owner_token);
    ASSERT_EQ(s.status, 200) << s.raw.body;
    ASSERT_TRUE(s.body.contains("settings")) << s.raw.body;
    const json& settings = s.body["settings"];
    EXPECT_EQ(settings["tax_mode"], "per_line");
    EXPECT_EQ(settings["rounding"], "half_up");
    EXPECT_EQ(settings["payment_terms_days"], 30);
    EXPECT_EQ(settings["proration"], false);
    EXPECT_EQ(settings["invoice_number_prefix"], "INV-");
    EXPECT_EQ(settings["billing_run_time"], "06:00");
}

TEST_F(SettingsSurvivors, EachSettingRuleNamesItsFieldAndCode) {
    auto firm = make_firm("acme");
    struct Case {
        json settings;
        const char* code;
        const char* field;
    };
    const std::vector<Case> bad = {
        {{{"tax_mode", "per_page"}}, "INVALID_VALUE", "settings.tax_mode"},
        {{{"tax_mode", 1}}, "INVALID_VALUE", "settings.tax_mode"},
        {{{"rounding", "down"}}, "INVALID_VALUE", "settings.rounding"},
        {{{"payment_terms_days", 366}}, "OUT_OF_RANGE", "settings.payment_terms_days"},
        {{{"billing_run_time", "24:00"}}, "INVALID_VALUE", "settings.billing_run_time"},
        {{{"billing_run_time", "7:30"}}, "INVALID_VALUE", "settings.billing_run_time"},
        {{{"proration", "yes"}}, "INVALID_TYPE", "settings.proration"},
    };
    for (const auto& c : bad) {
        auto r = call("PATCH", "/api/v1/firm/settings", firm.owner_token, {{"settings", c.settings}});
        EXPECT_EQ(r.status, 422) << c.settings.dump();
        ASSERT_TRUE(r.body.contains("error")) << r.raw.body;
        EXPECT_EQ(r.body["error"]["code"], c.code) << c.settings.dump();
        EXPECT_EQ(r.body["error"]["field"], c.field) << c.settings.dump();
    }
    for (const json& good : {json{{"tax_mode", "per_document"}}, json{{"tax_mode", "per_line"}},
                             json{{"billing_run_time", "23:59"}}, json{{"rounding", "half_even"}}}) {
        EXPECT_EQ(call("PATCH", "/api/v1/firm/settings", firm.owner_token, {{"settings", good}}).status, 200)
            << good.dump();
    }
}

TEST_F(SettingsSurvivors, ChangeAndRollbackAuditNameTheirSnapshotsAndReason) {
    auto firm = make_firm("acme");
    auto changed = call("PATCH", "/api/v1/firm/settings", firm.owner_token,
                        {{"settings", {{"payment_terms_days", 45}}}, {"reason", "longer terms"}});
    ASSERT_EQ(changed.status, 200) << changed.raw.body;
    const std::string snapshot = changed.body["snapshot_id"];
    auto update = call("GET", "/api/v1/audit?action=firm.settings.update", firm.owner_token);
    ASSERT_EQ(update.body["data"].size(), 1u);
    EXPECT_EQ(update.body["data"][0]["metadata"]["snapshot_id"], snapshot);
    auto back = call("POST", "/api/v1/firm/settings/snapshots/" + snapshot + "/rollback", firm.owner_token,
                     {{"reason", "customer asked"}});
    ASSERT_EQ(back.status, 200) << back.raw.body;
    auto rollback = call("GET", "/api/v1/audit?action=firm.settings.rollback", firm.owner_token);
    ASSERT_EQ(rollback.body["data"].size(), 1u);
    const auto& ev = rollback.body["data"][0];
    EXPECT_EQ(ev["metadata"]["restored_snapshot_id"], snapshot);
    EXPECT_EQ(ev["metadata"]["snapshot_id"], back.body["snapshot_id"]);
    EXPECT_EQ(ev["reason"], "customer asked");
    EXPECT_EQ(ev["severity"], "WARNING");
}

}  // namespace
}  // namespace cp::test
