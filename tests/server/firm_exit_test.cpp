// Firm exit: a complete export that verifies offline (and a tampered copy that does not),
// every firm table in the export and the purge, offboarding read-only, cancel, and a purge
// that leaves no firm row and only a tombstone.
#include <filesystem>
#include <fstream>
#include <map>
#include <set>

#include "server/exit/export_verify.hpp"
#include "server/exit/firm_exit.hpp"
#include "server/exit/firm_tables.hpp"
#include "server/util/crypto.hpp"
#include "tests/server/billing_support.hpp"

namespace cp::test {
namespace {

namespace ex = server::exit;

class FirmExit : public BillingTest {
protected:
    void SetUp() override {
        dir = (std::filesystem::temp_directory_path() / ("cp-exit-" + server::new_id("t"))).string();
        config.export_dir = dir;
        BillingTest::SetUp();
        auto d = draft({line("2", "150.00")});
        EXPECT_EQ(issue(d).status, 200);
        invoice = d;
        make_portal_user(firm, client, "ap@globex.test");
    }
    void TearDown() override {
        std::filesystem::remove_all(dir);
        BillingTest::TearDown();
    }
    std::string exported() {
        auto r = call("POST", "/api/v1/firm/exports", firm.owner_token, json::object());
        EXPECT_EQ(r.status, 202) << r.raw.body;
        EXPECT_EQ(ex::run_pending_exports(db(), dir, clock->now()), 1);
        auto done = call("GET", "/api/v1/firm/exports/" + r.body["id"].get<std::string>(), firm.owner_token);
        EXPECT_EQ(done.body["status"], "done") << done.raw.body;
        return r.body["id"];
    }
    std::int64_t count(const std::string& sql, const storage::Params& p = {}) {
        storage::Transaction tx(db());
        return tx.query_one(sql, p)->i64("n");
    }
    std::vector<std::string> firm_scoped_tables() {
        storage::Transaction tx(db());
        std::vector<std::string> out;
        const std::string sql =
            tx.backend() == "sqlite"
                ? "SELECT m.name AS t FROM sqlite_master m WHERE m.type = 'table' AND EXISTS (SELECT 1 FROM "
                  "pragma_table_info(m.name) p WHERE p.name = 'firm_id')"
                : "SELECT table_name AS t FROM information_schema.columns WHERE column_name = 'firm_id' AND "
                  "table_schema = current_schema()";
        for (const auto& r : tx.query(sql)) out.push_back(r.str("t"));
        return out;
    }
    std::string dir, invoice;
};

TEST_F(FirmExit, EveryFirmTableIsExportedAndPurged) {
    std::set<std::string> listed;
    for (const auto& t : ex::firm_tables()) listed.insert(t.name);
    // Outside the list on purpose: the purge's own schedule and what it leaves behind.
    const std::set<std::string> bookkeeping = {"firm_offboarding", "firm_tombstones"};
    for (const auto& t : firm_scoped_tables()) {
        EXPECT_TRUE(listed.count(t) || bookkeeping.count(t)) << t << " has a firm_id but is in no export or purge";
    }
}

TEST_F(FirmExit, AnExportVerifiesOfflineAndATamperedCopyDoesNot) {
    const std::string id = exported();
    const std::string path = ex::export_path(dir, id);
    auto check = ex::verify_export_file(path);
    EXPECT_TRUE(check.ok()) << check.problems.size() << " " << (check.problems.empty() ? "" : check.problems[0]);
    EXPECT_GT(check.summary["audit_events_checked"].get<std::int64_t>(), 3);
    EXPECT_GT(check.summary["rows"].get<std::int64_t>(), 10);
    // The download is the same file, and Range works.
    auto full = call("GET", "/api/v1/firm/exports/" + id + "/download", firm.owner_token);
    ASSERT_EQ(full.status, 200);
    EXPECT_EQ(full.raw.body.size(), std::filesystem::file_size(path));
    auto part = call("GET", "/api/v1/firm/exports/" + id + "/download", firm.owner_token, nullptr,
                     {{"range", "bytes=10-19"}});
    EXPECT_EQ(part.status, 206);
    EXPECT_EQ(part.raw.body, full.raw.body.substr(10, 10));
    EXPECT_EQ(call("GET", "/api/v1/firm/exports/" + id + "/download", billing).status, 403);
    // No secrets in the archive.
    EXPECT_EQ(full.raw.body.find("argon2"), std::string::npos);

    // Tampering: an edited export (re-packed with one amount changed) fails verification.
    const std::string work = dir + "/unpacked";
    std::filesystem::create_directories(work);
    ASSERT_EQ(std::system(("tar -xzf '" + path + "' -C '" + work + "'").c_str()), 0);
    {
        std::ifstream in(work + "/invoices.jsonl");
        std::string text((std::istreambuf_iterator<char>(in)), {});
        auto at = text.find("\"300.00\"");
        ASSERT_NE(at, std::string::npos);
        text.replace(at, 8, "\"3.00\"  ");
        std::ofstream(work + "/invoices.jsonl", std::ios::trunc) << text;
    }
    const std::string tampered = dir + "/tampered.tar.gz";
    ASSERT_EQ(std::system(("tar -czf '" + tampered + "' -C '" + work + "' .").c_str()), 0);
    auto bad = ex::verify_export_file(tampered);
    EXPECT_FALSE(bad.ok());
    bool names_file = false;
    for (const auto& p : bad.problems) names_file = names_file || p.find("invoices.jsonl") != std::string::npos;
    EXPECT_TRUE(names_file);
}

TEST_F(FirmExit, OffboardingIsReadOnlyCancellableThenPurgedToATombstone) {
    auto wrong = call("POST", "/api/v1/firm/offboarding", firm.owner_token, {{"reason", "closing"}, {"confirm_slug", "nope"}});
    EXPECT_EQ(wrong.status, 422);
    EXPECT_EQ(call("POST", "/api/v1/firm/offboarding", billing, {{"reason", "x"}, {"confirm_slug", firm.slug}}).status, 403);
    auto started = call("POST", "/api/v1/firm/offboarding", firm.owner_token,
                        {{"reason", "closing the practice"}, {"confirm_slug", firm.slug}});
    ASSERT_EQ(started.status, 202) << started.raw.body;
    // Read-only: reads work, writes are 409 FIRM_READ_ONLY.
    EXPECT_EQ(call("GET", "/api/v1/invoices/" + invoice, firm.owner_token).status, 200);
    auto write = call("POST", "/api/v1/clients", firm.owner_token, {{"name", "New"}, {"billing_email", "a@b.test"}});
    EXPECT_EQ(write.status, 409);
    EXPECT_EQ(write.body["error"]["code"], "FIRM_READ_ONLY");
    EXPECT_EQ(login(firm.owner_email).empty(), false);  // the owner still signs in
    // Cancel restores the firm.
    EXPECT_EQ(call("POST", "/api/v1/firm/offboarding/cancel", firm.owner_token, json::object()).status, 200);
    EXPECT_FALSE(make_client(firm, "After the cancel").empty());

    auto again = call("POST", "/api/v1/firm/offboarding", firm.owner_token,
                      {{"reason", "closing for good"}, {"confirm_slug", firm.slug}});
    ASSERT_EQ(again.status, 202);
    EXPECT_GE(ex::run_pending_exports(db(), dir, clock->now()), 1);
    auto op = make_operator("op@platform.test");
    auto schedule = call("GET", "/api/v1/operator/offboarding", op);
    ASSERT_EQ(schedule.body["data"].size(), 1u);
    EXPECT_FALSE(schedule.body["data"][0].contains("reason"));
    // Nothing happens during retention and grace; then the purge.
    EXPECT_EQ(ex::run_due_purges(db(), dir, clock->now() + ex::kRetentionSeconds + ex::kPurgeGraceSeconds - 1), 0);
    EXPECT_EQ(ex::run_due_purges(db(), dir, clock->now() + ex::kRetentionSeconds + ex::kPurgeGraceSeconds), 1);
    for (const auto& t : firm_scoped_tables()) {
        if (t == "firm_tombstones") continue;
        EXPECT_EQ(count("SELECT COUNT(*) AS n FROM " + t + " WHERE firm_id = ?", {firm.id}), 0) << t;
    }
    EXPECT_EQ(count("SELECT COUNT(*) AS n FROM firms WHERE id = ?", {firm.id}), 0);
    EXPECT_EQ(count("SELECT COUNT(*) AS n FROM firm_tombstones WHERE firm_id = ? AND export_sha256 IS NOT NULL", {firm.id}), 1);
    EXPECT_EQ(count("SELECT COUNT(*) AS n FROM audit_events WHERE firm_id = 'platform' AND action = 'firm.purge'"), 1);
    EXPECT_EQ(count("SELECT COUNT(*) AS n FROM users WHERE email = ?", {firm.owner_email}), 0);
    // Operators still see that the firm left: its tombstone, not its schedule (gone with its rows).
    auto tombstones = call("GET", "/api/v1/operator/tombstones", make_operator("op2@platform.test"));
    ASSERT_EQ(tombstones.status, 200) << tombstones.raw.body;
    ASSERT_EQ(tombstones.body["data"].size(), 1u);
    EXPECT_EQ(tombstones.body["data"][0]["firm_id"], firm.id);
    EXPECT_FALSE(tombstones.body["data"][0]["export_sha256"].is_null());
    EXPECT_EQ(call("GET", "/api/v1/operator/tombstones", billing).status, 401);  // the firm is gone
    // A second purge run (as after a crash) finds nothing left to do.
    EXPECT_EQ(ex::run_due_purges(db(), dir, clock->now() + 60 * 86400), 0);
}

std::vector<json> jsonl(const std::string& path);

TEST_F(FirmExit, AnExportHoldsEachIssuedInvoiceAsThePdfTheApiServes) {
    const std::string still_draft = draft({line("1", "80.00")});  // a draft has no PDF
    const std::string id = exported();
    const std::string path = ex::export_path(dir, id);
    auto check = ex::verify_export_file(path);
    ASSERT_TRUE(check.ok()) << (check.problems.empty() ? "" : check.problems[0]);
    EXPECT_EQ(check.summary["invoice_pdfs"], 1);
    // The rows it reports are the tables' rows, as the export's own record says (not firm.json's lines).
    auto record = call("GET", "/api/v1/firm/exports/" + id, firm.owner_token);
    EXPECT_EQ(check.summary["rows"], record.body["rows_total"]) << record.raw.body;

    const std::string work = dir + "/pdfs";
    std::filesystem::create_directories(work);
    ASSERT_EQ(std::system(("tar -xzf '" + path + "' -C '" + work + "'").c_str()), 0);
    auto inv = call("GET", "/api/v1/invoices/" + invoice, firm.owner_token);
    const std::string number = inv.body["number"];
    const std::string file = work + "/invoices/" + number + ".pdf";
    std::ifstream in(file, std::ios::binary);
    ASSERT_TRUE(in.good()) << file;
    const std::string exported_pdf((std::istreambuf_iterator<char>(in)), {});
    auto served = call("GET", "/api/v1/invoices/" + invoice + "/pdf", firm.owner_token);
    ASSERT_EQ(served.status, 200);
    EXPECT_EQ(exported_pdf, served.raw.body);  // the same document, byte for byte
    std::size_t pdf_files = 0;
    for (const auto& e : std::filesystem::directory_iterator(work + "/invoices")) pdf_files += e.is_regular_file();
    EXPECT_EQ(pdf_files, 1u) << "the draft " << still_draft << " must not be exported as a PDF";
    bool owner_named = false;
    for (const auto& m : jsonl(work + "/memberships.jsonl")) {
        owner_named = owner_named || m["user_email"] == firm.owner_email;
        EXPECT_FALSE(m.contains("password_hash"));
    }
    EXPECT_TRUE(owner_named) << "a membership names its person";
    {
        std::ifstream m(work + "/manifest.json");
        const json manifest = json::parse(std::string((std::istreambuf_iterator<char>(m)), {}));
        bool listed = false;
        for (const auto& f : manifest["files"]) {
            if (f["name"] == "invoices/" + number + ".pdf") listed = f["invoice_id"] == invoice && f["number"] == number;
        }
        EXPECT_TRUE(listed) << manifest.dump();
    }

    // A changed PDF is caught like a changed table.
    {
        std::fstream f(file, std::ios::in | std::ios::out | std::ios::binary);
        f.seekp(static_cast<std::streamoff>(exported_pdf.size() / 2));
        f.put(exported_pdf[exported_pdf.size() / 2] == 'x' ? 'y' : 'x');
    }
    const std::string tampered = dir + "/tampered-pdf.tar.gz";
    ASSERT_EQ(std::system(("tar -czf '" + tampered + "' -C '" + work + "' .").c_str()), 0);
    auto bad = ex::verify_export_file(tampered);
    EXPECT_FALSE(bad.ok());
    bool names_file = false;
    for (const auto& p : bad.problems) names_file = names_file || p.find(number + ".pdf") != std::string::npos;
    EXPECT_TRUE(names_file);
}

TEST_F(FirmExit, TheExportOffboardingMakesStaysDownloadableUntilThePurge) {
    auto started = call("POST", "/api/v1/firm/offboarding", firm.owner_token,
                        {{"reason", "closing the practice"}, {"confirm_slug", firm.slug}});
    ASSERT_EQ(started.status, 202) << started.raw.body;
    EXPECT_GE(ex::run_pending_exports(db(), dir, clock->now()), 1);
    const std::string export_id = started.body["export_id"];
    EXPECT_EQ(started.body["phase"], "retention");
    clock->advance(ex::kRetentionSeconds);  // past the usual 7 days, still before the purge
    EXPECT_EQ(call("GET", "/api/v1/firm/offboarding", login(firm.owner_email)).body["phase"], "grace");
    auto r = call("GET", "/api/v1/firm/exports/" + export_id + "/download", login(firm.owner_email));
    EXPECT_EQ(r.status, 200) << r.raw.body;
}

// Reads one JSON-lines file of an unpacked export.
std::vector<json> jsonl(const std::string& path) {
    std::vector<json> out;
    std::ifstream in(path);
    for (std::string line; std::getline(in, line);)
        if (!line.empty()) out.push_back(json::parse(line));
    return out;
}

// The export can be read back by another system: the firm's clients, engagements and
// invoices (with their lines) recreated from the archive alone through the public API
// in a fresh firm come out with the same names, terms and totals.
TEST_F(FirmExit, AnExportRoundTripsIntoAFreshFirmThroughTheApi) {
    auto package_client = make_client(firm, "Initech");
    make_engagement(firm, package_client);
    auto second = draft({line("3", "99.99", "8.875"), line("1", "-10.00")});
    EXPECT_EQ(issue(second).status, 200);
    draft({line("1", "42.00")});  // a draft travels as a draft
    const std::string id = exported();
    const std::string work = dir + "/roundtrip";
    std::filesystem::create_directories(work);
    ASSERT_EQ(std::system(("tar -xzf '" + ex::export_path(dir, id) + "' -C '" + work + "'").c_str()), 0);

    auto target = make_firm("imported");
    std::map<std::string, std::string> client_ids, engagement_ids;
    for (const auto& c : jsonl(work + "/clients.jsonl")) {
        auto r = call("POST", "/api/v1/clients", target.owner_token,
                      {{"company_name", c["name"]}, {"billing_email", c["billing_email"]}, {"time_zone", c["time_zone"]}});
        ASSERT_EQ(r.status, 201) << r.raw.body;
        client_ids[c["id"]] = r.body["id"];
    }
    for (const auto& e : jsonl(work + "/engagements.jsonl")) {
        json body{{"client_id", client_ids.at(e["client_id"])}, {"name", e["name"]}, {"pricing_mode", e["pricing_mode"]},
                  {"start_date", e["start_date"]}};
        if (e["end_date"].is_string()) body["end_date"] = e["end_date"];
        if (e["package_fee"].is_string()) body["package_fee"] = e["package_fee"];
        if (e["schedule"].is_string()) body["schedule"] = e["schedule"];
        if (e["hourly_rate"].is_number()) {  // scale 10^4, like every unit price
            const std::int64_t rate = e["hourly_rate"];
            body["hourly_rate"] = std::to_string(rate / 10000) + "." + std::to_string(10000 + rate % 10000).substr(1);
        }
        auto r = call("POST", "/api/v1/engagements", target.owner_token, body);
        ASSERT_EQ(r.status, 201) << r.raw.body << body.dump();
        engagement_ids[e["id"]] = r.body["id"];
    }
    std::map<std::string, std::vector<json>> lines_of;
    for (const auto& l : jsonl(work + "/invoice_lines.jsonl")) lines_of[l["invoice_id"]].push_back(l);
    int invoices = 0;
    for (const auto& inv : jsonl(work + "/invoices.jsonl")) {
        auto lines = lines_of[inv["id"]];
        std::sort(lines.begin(), lines.end(), [](const json& a, const json& b) { return a["position"] < b["position"]; });
        json draft_lines = json::array();
        for (const auto& l : lines) {
            draft_lines.push_back({{"kind", l["kind"]},
                                   {"description", l["description"]},
                                   {"quantity", l["quantity"]},
                                   {"unit_price", l["unit_price"]},
                                   {"tax_rate", l["tax_rate"]}});
        }
        auto d = call("POST", "/api/v1/invoices", target.owner_token,
                      {{"client_id", client_ids.at(inv["client_id"])},
                       {"currency", inv["currency"]},
                       {"tax_mode", inv["tax_mode"]},
                       {"lines", draft_lines}});
        ASSERT_EQ(d.status, 201) << d.raw.body;
        if (inv["status"] != "draft") {
            auto issued = call("POST", "/api/v1/invoices/" + d.body["id"].get<std::string>() + "/issue",
                               target.owner_token, json::object());
            ASSERT_EQ(issued.status, 200) << issued.raw.body;
        }
        auto back = call("GET", "/api/v1/invoices/" + d.body["id"].get<std::string>(), target.owner_token).body;
        for (const char* k : {"subtotal", "tax", "total", "currency"}) EXPECT_EQ(back[k], inv[k]) << k;
        EXPECT_EQ(back["status"] == "draft", inv["status"] == "draft");
        EXPECT_EQ(back["lines"].size(), lines.size());
        ++invoices;
    }
    EXPECT_EQ(invoices, 3);
    // The same clients and engagements as the original firm's API shows.
    auto original = call("GET", "/api/v1/clients?limit=200", firm.owner_token).body["data"];
    auto copy = call("GET", "/api/v1/clients?limit=200", target.owner_token).body["data"];
    ASSERT_EQ(copy.size(), original.size());
    for (std::size_t i = 0; i < copy.size(); ++i) EXPECT_EQ(copy[i]["company_name"], original[i]["company_name"]);
    EXPECT_EQ(call("GET", "/api/v1/engagements?limit=200", target.owner_token).body["data"].size(),
              call("GET", "/api/v1/engagements?limit=200", firm.owner_token).body["data"].size());
}

}  // namespace
}  // namespace cp::test
