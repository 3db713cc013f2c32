// PDF invoices (Billing V): every figure in the PDF is the JSON's, for 200 generated
// invoices in three currencies and both tax modes (text extracted with poppler's pdftotext);
// the first page renders to something (pdftoppm); names in other scripts do not break it.
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <random>

#include "tests/server/billing_support.hpp"

namespace cp::test {
namespace {

std::string run(const std::string& command) {
    std::string out;
    FILE* p = popen(command.c_str(), "r");
    if (!p) return out;
    char buf[4096];
    while (std::size_t n = fread(buf, 1, sizeof buf, p)) out.append(buf, n);
    pclose(p);
    return out;
}

class InvoicePdf : public BillingTest {
protected:
    std::filesystem::path dir() {
        auto d = std::filesystem::temp_directory_path() / ("cp-pdf-" + std::to_string(::getpid()));
        std::filesystem::create_directories(d);
        return d;
    }
    std::string write(const std::string& name, const std::string& bytes) {
        auto path = (dir() / name).string();
        std::ofstream(path, std::ios::binary) << bytes;
        return path;
    }
    // pdftotext's text with runs of whitespace collapsed to one space.
    std::string text_of(const std::string& pdf_path) {
        std::string raw = run("pdftotext -layout '" + pdf_path + "' - 2>&1"), out;
        for (char c : raw) {
            const bool space = c == ' ' || c == '\n' || c == '\t' || c == '\f' || c == '\r';
            if (space && (out.empty() || out.back() == ' ')) continue;
            out += space ? ' ' : c;
        }
        return out;
    }
    void TearDown() override {
        std::filesystem::remove_all(dir());
        BillingTest::TearDown();
    }
};

TEST_F(InvoicePdf, EveryFigureEqualsTheJsonFor200Invoices) {
    std::mt19937 rng(200);
    auto pick = [&](int n) { return std::uniform_int_distribution<int>(0, n - 1)(rng); };
    const char* currencies[] = {"USD", "JPY", "KWD"};
    const char* quantities[] = {"1", "2.5", "0.25", "12", "3.75"};
    const char* prices[][3] = {{"100.00", "19.99", "1234.56"}, {"1000", "25000", "799"}, {"12.345", "0.750", "250.125"}};
    const char* rates[] = {"0", "5", "8.875", "20", "19"};
    std::size_t largest = 0;
    // One client per currency, without an engagement (engagements bill in their own currency).
    const std::string clients[] = {make_client(firm, "Dollar Co"), make_client(firm, "Yen KK"),
                                   make_client(firm, "Dinar WLL")};
    for (int i = 0; i < 200; ++i) {
        const int c = i % 3;
        json lines = json::array();
        for (int l = 0, n = 1 + pick(4); l < n; ++l) {
            lines.push_back(line(quantities[pick(5)], prices[c][pick(3)], rates[pick(5)]));
            lines.back()["description"] = "Advisory work, part " + std::to_string(l + 1);
        }
        auto d = call("POST", "/api/v1/invoices", firm.owner_token,
                      {{"client_id", clients[c]},
                       {"currency", currencies[c]},
                       {"tax_mode", i % 2 ? "per_line" : "per_document"},
                       {"lines", lines}});
        ASSERT_EQ(d.status, 201) << d.raw.body;
        const std::string id = d.body["id"];
        ASSERT_EQ(issue(id).status, 200);
        if (i % 4 == 1) {  // some partly paid, so amount paid and balance differ from zero and total
            auto inv = call("GET", "/api/v1/invoices/" + id, firm.owner_token).body;
            const std::string half = c == 1 ? "1" : c == 2 ? "0.005" : "0.01";
            ASSERT_EQ(call("POST", "/api/v1/invoices/" + id + "/payments", firm.owner_token,
                           {{"amount", half}, {"method", "cash"}})
                          .status,
                      201);
        }
        auto inv = call("GET", "/api/v1/invoices/" + id, firm.owner_token);
        auto pdf = call("GET", "/api/v1/invoices/" + id + "/pdf", firm.owner_token);
        ASSERT_EQ(pdf.status, 200);
        EXPECT_EQ(pdf.raw.content_type, "application/pdf");
        ASSERT_EQ(pdf.raw.body.rfind("%PDF-", 0), 0u);
        largest = std::max(largest, pdf.raw.body.size());
        const std::string text = text_of(write("inv.pdf", pdf.raw.body));
        const json& j = inv.body;
        const std::string cur = j["currency"];
        for (const char* key : {"subtotal", "tax", "total", "amount_paid", "balance_due"}) {
            EXPECT_NE(text.find(j[key].get<std::string>() + " " + cur), std::string::npos)
                << key << " " << j[key] << " of invoice " << i << " not in: " << text;
        }
        EXPECT_NE(text.find(j["number"].get<std::string>()), std::string::npos) << text;
        EXPECT_NE(text.find("Due " + j["due_date"].get<std::string>()), std::string::npos) << text;
        for (const auto& l : j["lines"]) {
            EXPECT_NE(text.find(l["amount"].get<std::string>()), std::string::npos) << l.dump() << " in " << text;
            EXPECT_NE(text.find(l["unit_price"].get<std::string>()), std::string::npos) << l.dump();
            EXPECT_NE(text.find(l["description"].get<std::string>()), std::string::npos) << l.dump();
        }
    }
    std::cout << "[ pdf      ] largest of 200 one-page invoices: " << largest << " bytes\n";
    EXPECT_LE(largest, 250u * 1024);
}

TEST_F(InvoicePdf, RendersAStampedPageAndSurvivesOtherScripts) {
    auto other = make_client(firm, "東京コンサルティング Ωμέγα 🚀 Ünïcødé €");
    auto d = draft({line("1", "500.00")}, other);
    ASSERT_EQ(issue(d).status, 200);
    ASSERT_EQ(call("POST", "/api/v1/invoices/" + d + "/payments", firm.owner_token,
                   {{"amount", "500.00"}, {"method", "bank_transfer"}})
                  .status,
              201);
    auto pdf = call("GET", "/api/v1/invoices/" + d + "/pdf", firm.owner_token);
    ASSERT_EQ(pdf.status, 200);
    const std::string path = write("paid.pdf", pdf.raw.body);
    const std::string text = text_of(path);
    EXPECT_NE(text.find("PAID"), std::string::npos) << text;
    EXPECT_NE(text.find("Ünïcødé €"), std::string::npos) << text;  // Latin-1 and € kept
    EXPECT_NE(text.find("?"), std::string::npos) << text;           // the rest stands in as '?'
    EXPECT_NE(text.find("500.00 USD"), std::string::npos) << text;
    // The first page, rendered at 20 dpi, has ink on it (not a blank page).
    const std::string ppm = (dir() / "page").string();
    run("pdftoppm -r 20 -f 1 -l 1 -gray '" + path + "' '" + ppm + "' 2>&1");
    std::string image;
    for (const auto& e : std::filesystem::directory_iterator(dir())) {
        if (e.path().extension() == ".pgm") {
            std::ifstream in(e.path(), std::ios::binary);
            image.assign(std::istreambuf_iterator<char>(in), {});
        }
    }
    ASSERT_GT(image.size(), 100u) << "pdftoppm rendered nothing";
    std::size_t dark = 0;
    for (std::size_t i = image.size() / 2; i < image.size(); ++i) dark += static_cast<unsigned char>(image[i]) < 128;
    for (std::size_t i = 20; i < image.size() / 2; ++i) dark += static_cast<unsigned char>(image[i]) < 128;
    EXPECT_GT(dark, 50u) << "the page is blank";

    // A draft has no PDF; staff (no invoices.read) cannot fetch one.
    auto draft_id = draft({line("1", "10.00")});
    auto refused = call("GET", "/api/v1/invoices/" + draft_id + "/pdf", firm.owner_token);
    EXPECT_EQ(refused.status, 409);
    EXPECT_EQ(refused.body["error"]["code"], "NOT_ISSUED");
    auto staff_pdf = call("GET", "/api/v1/invoices/" + d + "/pdf", staff);
    EXPECT_EQ(staff_pdf.status, 403);
}

}  // namespace
}  // namespace cp::test
