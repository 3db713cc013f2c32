#include "server/pdf/invoice_pdf.hpp"

#include <hpdf.h>

#include <cstdlib>
#include <filesystem>
#include <stdexcept>
#include <vector>

#include "server/pdf/cp1252.hpp"

namespace cp::server::pdf {

namespace {

using nlohmann::json;

constexpr float kLeft = 50, kRight = 545, kTop = 800, kBottom = 70;
constexpr float kLine = 14;

// libharu reports errors through a C callback: remember the first, throw after the call.
struct ErrorSink {
    HPDF_STATUS code = 0, detail = 0;
};
void on_error(HPDF_STATUS code, HPDF_STATUS detail, void* user) {
    auto* sink = static_cast<ErrorSink*>(user);
    if (sink->code == 0) {
        sink->code = code;
        sink->detail = detail;
    }
}

std::string text(const json& j, const char* key) {
    auto it = j.find(key);
    return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}

class Writer {
public:
    Writer(HPDF_Doc doc, HPDF_Font regular, HPDF_Font bold) : doc_(doc), regular_(regular), bold_(bold) { new_page(); }

    void new_page() {
        page_ = HPDF_AddPage(doc_);
        HPDF_Page_SetSize(page_, HPDF_PAGE_SIZE_A4, HPDF_PAGE_PORTRAIT);
        ++pages_;
        y_ = kTop;
        footer();
    }

    // `s` is UTF-8; drawn in Windows-1252 (anything else as '?').
    void at(float x, float y, const std::string& s, float size, bool bold = false, bool right = false) {
        const std::string t = to_cp1252(s);
        HPDF_Page_SetFontAndSize(page_, bold ? bold_ : regular_, size);
        const float w = right ? HPDF_Page_TextWidth(page_, t.c_str()) : 0;
        HPDF_Page_BeginText(page_);
        HPDF_Page_TextOut(page_, right ? x - w : x, y, t.c_str());
        HPDF_Page_EndText(page_);
    }

    // Words of `s` in lines no wider than `width` (a word wider than that is cut).
    std::vector<std::string> wrap(const std::string& s, float width, float size, bool bold = false) {
        HPDF_Page_SetFontAndSize(page_, bold ? bold_ : regular_, size);
        std::vector<std::string> lines;
        std::string line, word;
        auto fits = [&](const std::string& t) { return HPDF_Page_TextWidth(page_, to_cp1252(t).c_str()) <= width; };
        auto flush_word = [&] {
            if (word.empty()) return;
            std::string candidate = line.empty() ? word : line + " " + word;
            if (fits(candidate)) {
                line = candidate;
            } else {
                if (!line.empty()) lines.push_back(line);
                while (!fits(word) && word.size() > 1) {
                    std::size_t cut = word.size() - 1;
                    while (cut > 1 && !fits(word.substr(0, cut))) --cut;
                    lines.push_back(word.substr(0, cut));
                    word = word.substr(cut);
                }
                line = word;
            }
            word.clear();
        };
        for (char c : s) {
            if (c == ' ' || c == '\n' || c == '\t') {
                flush_word();
                if (c == '\n' && !line.empty()) {
                    lines.push_back(line);
                    line.clear();
                }
            } else {
                word += c;
            }
        }
        flush_word();
        if (!line.empty()) lines.push_back(line);
        if (lines.empty()) lines.emplace_back();
        return lines;
    }

    void rule(float y) {
        HPDF_Page_SetLineWidth(page_, 0.5f);
        HPDF_Page_SetGrayStroke(page_, 0.6f);
        HPDF_Page_MoveTo(page_, kLeft, y);
        HPDF_Page_LineTo(page_, kRight, y);
        HPDF_Page_Stroke(page_);
    }

    // A boxed red word across the header's middle (horizontal, so text extraction and
    // screen readers read it as a word).
    void stamp(const std::string& word) {
        if (word.empty()) return;
        const std::string t = to_cp1252(word);
        HPDF_Page_SetFontAndSize(page_, bold_, 28);
        const float w = HPDF_Page_TextWidth(page_, t.c_str());
        const float x = 297.5f - w / 2, y = 735;
        HPDF_Page_GSave(page_);
        HPDF_Page_SetRGBFill(page_, 0.8f, 0.15f, 0.15f);
        HPDF_Page_SetRGBStroke(page_, 0.8f, 0.15f, 0.15f);
        HPDF_Page_SetLineWidth(page_, 2);
        HPDF_Page_Rectangle(page_, x - 10, y - 8, w + 20, 38);
        HPDF_Page_Stroke(page_);
        HPDF_Page_BeginText(page_);
        HPDF_Page_TextOut(page_, x, y, t.c_str());
        HPDF_Page_EndText(page_);
        HPDF_Page_GRestore(page_);
    }

    float& y() { return y_; }
    HPDF_Page page() { return page_; }

private:
    void footer() { at(kLeft, 40, "Page " + std::to_string(pages_), 8); }

    HPDF_Doc doc_;
    HPDF_Font regular_, bold_;
    HPDF_Page page_ = nullptr;
    int pages_ = 0;
    float y_ = kTop;
};

// Columns of the lines table: right edges of the figures.
constexpr float kQty = 345, kPrice = 425, kTax = 470, kAmount = kRight;
constexpr float kDescWidth = 225;

void table_header(Writer& w) {
    float& y = w.y();
    w.at(kLeft, y, "Description", 9, true);
    w.at(kQty, y, "Qty", 9, true, true);
    w.at(kPrice, y, "Unit price", 9, true, true);
    w.at(kTax, y, "Tax %", 9, true, true);
    w.at(kAmount, y, "Amount", 9, true, true);
    w.rule(y - 4);
    y -= kLine + 4;
}

}  // namespace

const PdfFonts& invoice_fonts() {
    static const PdfFonts fonts = [] {
        PdfFonts f;
        std::error_code ec;
        const auto exe = std::filesystem::read_symlink("/proc/self/exe", ec);
        if (!ec) {
            const auto dir = exe.parent_path() / "fonts";
            if (std::filesystem::exists(dir / "InvoiceSans.ttf") && std::filesystem::exists(dir / "InvoiceSans-Bold.ttf")) {
                f.regular = (dir / "InvoiceSans.ttf").string();
                f.bold = (dir / "InvoiceSans-Bold.ttf").string();
            }
        }
        if (const char* r = std::getenv("CP_PDF_FONT"); r && *r) f.regular = r;
        if (const char* b = std::getenv("CP_PDF_FONT_BOLD"); b && *b) f.bold = b;
        return f;
    }();
    return fonts;
}

std::string stamp_for(const json& invoice) {
    if (text(invoice, "document_type") == "credit_note") return "CREDIT NOTE";
    const std::string status = text(invoice, "status");
    if (status == "void") return "VOID";
    if (status == "paid") return "PAID";
    return "";
}

std::string render_invoice_pdf(const json& invoice, const Party& firm, const Party& client, const PdfFonts& fonts) {
    ErrorSink sink;
    HPDF_Doc doc = HPDF_New(on_error, &sink);
    if (!doc) throw std::runtime_error("pdf: cannot create a document");
    struct Free {
        HPDF_Doc d;
        ~Free() { HPDF_Free(d); }
    } guard{doc};
    HPDF_SetCompressionMode(doc, HPDF_COMP_ALL);
    const char* regular_name = HPDF_LoadTTFontFromFile(doc, fonts.regular.c_str(), HPDF_TRUE);
    const char* bold_name = HPDF_LoadTTFontFromFile(doc, fonts.bold.c_str(), HPDF_TRUE);
    if (!regular_name || !bold_name) throw std::runtime_error("pdf: cannot load the font " + fonts.regular);
    HPDF_Font regular = HPDF_GetFont(doc, regular_name, "CP1252");
    HPDF_Font bold = HPDF_GetFont(doc, bold_name, "CP1252");
    const bool credit_note = text(invoice, "document_type") == "credit_note";
    const std::string title = credit_note ? "CREDIT NOTE" : "INVOICE";
    const std::string number = text(invoice, "number");
    const std::string cur = text(invoice, "currency");
    HPDF_SetInfoAttr(doc, HPDF_INFO_TITLE, to_cp1252(title + " " + number).c_str());
    HPDF_SetInfoAttr(doc, HPDF_INFO_CREATOR, "ConsultantPro");

    Writer w(doc, regular, bold);
    float& y = w.y();
    w.at(kLeft, y, firm.name, 16, true);
    w.at(kRight, y, title, 16, true, true);
    y -= 16;
    if (!firm.detail.empty()) w.at(kLeft, y, firm.detail, 9);
    w.at(kRight, y, "No. " + number, 10, false, true);
    y -= kLine;
    w.at(kRight, y, "Issued " + text(invoice, "issue_date"), 9, false, true);
    y -= 12;
    if (!text(invoice, "due_date").empty()) {
        w.at(kRight, y, "Due " + text(invoice, "due_date"), 9, false, true);
        y -= 12;
    }
    w.at(kRight, y, "Status " + text(invoice, "status"), 9, false, true);
    w.stamp(stamp_for(invoice));
    y -= 28;
    w.at(kLeft, y, credit_note ? "Credited to" : "Bill to", 9);
    y -= kLine;
    w.at(kLeft, y, client.name, 11, true);
    y -= kLine;
    if (!client.detail.empty()) {
        w.at(kLeft, y, client.detail, 9);
        y -= kLine;
    }
    y -= 16;
    table_header(w);
    for (const auto& line : invoice.value("lines", json::array())) {
        auto desc = w.wrap(text(line, "description"), kDescWidth, 9);
        if (y - kLine * static_cast<float>(desc.size()) < kBottom + 20) {
            w.new_page();
            table_header(w);
        }
        w.at(kQty, y, text(line, "quantity"), 9, false, true);
        w.at(kPrice, y, text(line, "unit_price"), 9, false, true);
        w.at(kTax, y, text(line, "tax_rate"), 9, false, true);
        w.at(kAmount, y, text(line, "amount"), 9, false, true);
        for (const auto& d : desc) {
            w.at(kLeft, y, d, 9);
            y -= 12;
        }
        y -= 4;
    }
    if (y < kBottom + 120) w.new_page();
    w.rule(y + 6);
    y -= 8;
    struct Row {
        const char* label;
        const char* key;
        bool strong;
    };
    const Row rows[] = {{"Subtotal", "subtotal", false},       {"Tax", "tax", false},
                        {"Total", "total", true},              {"Amount credited", "amount_credited", false},
                        {"Amount paid", "amount_paid", false}, {"Balance due", "balance_due", true}};
    for (const auto& r : rows) {
        if (std::string(r.key) == "amount_credited" && text(invoice, r.key).find_first_not_of("0.,") == std::string::npos)
            continue;  // nothing credited: no row
        w.at(360, y, r.label, 10, r.strong);
        w.at(kRight, y, text(invoice, r.key) + " " + cur, 10, r.strong, true);
        y -= kLine + 2;
    }
    const std::string notes = text(invoice, "notes");
    if (!notes.empty()) {
        y -= 10;
        for (const auto& l : w.wrap(notes, kRight - kLeft, 9)) {
            if (y < kBottom) w.new_page();
            w.at(kLeft, y, l, 9);
            y -= 12;
        }
    }
    if (sink.code != 0) {
        throw std::runtime_error("pdf: libharu error " + std::to_string(sink.code) + "/" + std::to_string(sink.detail));
    }
    if (HPDF_SaveToStream(doc) != HPDF_OK) throw std::runtime_error("pdf: cannot write the document");
    std::string out(HPDF_GetStreamSize(doc), '\0');
    HPDF_UINT32 size = static_cast<HPDF_UINT32>(out.size());
    // A complete read answers HPDF_STREAM_EOF: `size` says how much was read either way.
    HPDF_ReadFromStream(doc, reinterpret_cast<HPDF_BYTE*>(out.data()), &size);
    out.resize(size);
    if (out.rfind("%PDF-", 0) != 0) throw std::runtime_error("pdf: the document came out empty");
    return out;
}

}  // namespace cp::server::pdf
