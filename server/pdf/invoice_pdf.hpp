#pragma once
// An issued invoice or credit note as a PDF (libharu, Debian's libhpdf-dev), from exactly
// the API's answer for it: every figure in the file is a string the core formatted for the
// JSON, so the PDF, the API and the portal cannot disagree. The font is a TrueType file
// from a Debian package (DejaVu Sans), embedded; libharu writes only the glyphs used.
#include <nlohmann/json.hpp>
#include <string>

namespace cp::server::pdf {

struct Party {
    std::string name;
    std::string detail;  // one line under the name (an email, a time zone), may be empty
};

struct PdfFonts {
    std::string regular = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf";
    std::string bold = "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf";
};

// CP_PDF_FONT / CP_PDF_FONT_BOLD when set; else the build's subset fonts beside the
// executable (fonts/InvoiceSans*.ttf, see cmake/native.cmake); else the whole DejaVu files.
const PdfFonts& invoice_fonts();

// `invoice` is the API view with lines (number, status, dates, currency, lines[], subtotal,
// tax, total, amount_paid, balance_due, document_type, notes). Throws on a library failure.
std::string render_invoice_pdf(const nlohmann::json& invoice, const Party& firm, const Party& client,
                               const PdfFonts& fonts = {});

// The stamp across the page: "PAID", "VOID", "CREDIT NOTE" or "" for none.
std::string stamp_for(const nlohmann::json& invoice);

}  // namespace cp::server::pdf
