#include "server/api/invoice_documents.hpp"

#include <cstdlib>
#include <iostream>

#include "server/api/handlers.hpp"
#include "server/api/invoice_records.hpp"
#include "server/pdf/invoice_pdf.hpp"

namespace cp::api {

namespace {

// A file name from the invoice number: letters, digits, '-' and '_' only.
std::string file_name(const std::string& number) {
    std::string out;
    for (char c : number) {
        if (std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_') out += c;
    }
    return (out.empty() ? std::string("invoice") : out) + ".pdf";
}

}  // namespace

Response invoice_pdf_response(Ctx& ctx, const storage::Row& invoice) {
    if (invoice.str("status") == "draft")
        return error_response(409, "NOT_ISSUED", "A draft has no PDF: issue it first.", "status");
    const json view = invoice_view(ctx, invoice, true);
    auto firm = ctx.tx().query_one("SELECT name FROM firms WHERE id = ?", {invoice.str("firm_id")});
    auto client = ctx.tx().query_one("SELECT name, billing_email FROM clients WHERE id = ?", {invoice.str("client_id")});
    server::pdf::Party firm_party{firm ? firm->str("name") : "", ""};
    server::pdf::Party client_party{client ? client->str("name") : "", client ? client->str("billing_email") : ""};
    Response r;
    r.status = 200;
    r.content_type = "application/pdf";
    r.body = server::pdf::render_invoice_pdf(view, firm_party, client_party, server::pdf::invoice_fonts());
    add_header(r, "Content-Disposition", "attachment; filename=\"" + file_name(view.value("number", "")) + "\"");
    return r;
}

Response get_invoice_pdf(Ctx& ctx) {
    auto inv = find_invoice(ctx, ctx.param("id"));
    if (!inv) return not_found();
    return invoice_pdf_response(ctx, *inv);
}

}  // namespace cp::api
