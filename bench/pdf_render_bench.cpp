// PDF invoice generation rate (Billing V): one-page and 40-line invoices rendered by the
// server's own renderer (libharu, DejaVu Sans embedded), single-threaded and on every core.
// Prints figures; never part of ctest. Target: >= 200 PDFs/s; a one-page invoice <= 250 KB.
#include <chrono>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <thread>
#include <vector>

#include "server/pdf/invoice_pdf.hpp"

namespace {

nlohmann::json invoice(int lines) {
    nlohmann::json j{{"number", "INV-2026-00042"}, {"status", "partial"},     {"document_type", "invoice"},
                     {"currency", "EUR"},          {"issue_date", "2026-11-30"}, {"due_date", "2026-12-30"},
                     {"subtotal", "12345.67"},     {"tax", "2345.68"},         {"total", "14691.35"},
                     {"amount_paid", "5000.00"},   {"balance_due", "9691.35"},  {"amount_credited", "0.00"},
                     {"notes", "Thank you for your business. Payment by bank transfer to the account on file."}};
    for (int i = 0; i < lines; ++i) {
        j["lines"].push_back({{"description", "Strategy workshop and follow-up analysis, phase " + std::to_string(i)},
                              {"quantity", "7.5"},
                              {"unit_price", "180.00"},
                              {"tax_rate", "19"},
                              {"amount", "1350.00"}});
    }
    return j;
}

void measure(const char* what, int lines, int threads, int per_thread) {
    const auto inv = invoice(lines);
    cp::server::pdf::Party firm{"Demo Consulting GmbH", "billing@demo.example"};
    cp::server::pdf::Party client{"Müller & Söhne AG", "ap@mueller.example"};
    std::size_t bytes = cp::server::pdf::render_invoice_pdf(inv, firm, client, cp::server::pdf::invoice_fonts()).size();
    const auto start = std::chrono::steady_clock::now();
    std::vector<std::thread> pool;
    for (int t = 0; t < threads; ++t) {
        pool.emplace_back([&] {
            for (int i = 0; i < per_thread; ++i) cp::server::pdf::render_invoice_pdf(inv, firm, client, cp::server::pdf::invoice_fonts());
        });
    }
    for (auto& t : pool) t.join();
    const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    std::printf("%-28s threads %d: %7.1f PDFs/s  (%d in %.2f s), %zu bytes each\n", what, threads,
                threads * per_thread / s, threads * per_thread, s, bytes);
}

}  // namespace

int main() {
    const int cores = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
    std::printf("font: %s\n", cp::server::pdf::invoice_fonts().regular.c_str());
    measure("one-page invoice (5 lines)", 5, 1, 400);
    measure("one-page invoice (5 lines)", 5, cores, 400);
    measure("three pages (120 lines)", 120, 1, 100);
    return 0;
}
