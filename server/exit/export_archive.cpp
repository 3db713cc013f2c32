#include "server/exit/export_archive.hpp"

#include <archive.h>
#include <archive_entry.h>
#include <openssl/evp.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <optional>
#include <nlohmann/json.hpp>
#include <stdexcept>

#include "server/api/serializers.hpp"
#include "server/exit/firm_tables.hpp"
#include "server/pdf/invoice_pdf.hpp"
#include "server/storage/migrations/migrations.hpp"
#include "server/util/clock.hpp"
#include "server/util/crypto.hpp"
#include "server/util/zones.hpp"
#include "shared/billing/invoice_rules.hpp"

namespace cp::server::exit {

namespace {

using nlohmann::json;
constexpr std::int64_t kBatch = 2000;
constexpr int kFormatVersion = 1;

class Sha256 {
public:
    Sha256() : ctx_(EVP_MD_CTX_new(), EVP_MD_CTX_free) { EVP_DigestInit_ex(ctx_.get(), EVP_sha256(), nullptr); }
    void update(const char* data, std::size_t n) { EVP_DigestUpdate(ctx_.get(), data, n); }
    std::string hex() {
        unsigned char md[EVP_MAX_MD_SIZE];
        unsigned int n = 0;
        EVP_DigestFinal_ex(ctx_.get(), md, &n);
        static constexpr char kHex[] = "0123456789abcdef";
        std::string out;
        for (unsigned int i = 0; i < n; ++i) {
            out += kHex[md[i] >> 4];
            out += kHex[md[i] & 15];
        }
        return out;
    }

private:
    std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx_;
};

// Which columns of `table` are integers (written as JSON numbers; the rest as text).
std::map<std::string, bool> integer_columns(storage::Database& db, const std::string& table) {
    storage::Transaction tx(db, storage::TxMode::read);
    std::map<std::string, bool> out;
    if (tx.backend() == "sqlite") {
        for (const auto& r : tx.query("SELECT name, type FROM pragma_table_info(?)", {table})) {
            std::string type = r.str("type");
            for (auto& c : type) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
            out[r.str("name")] = type.find("INT") != std::string::npos;
        }
    } else {
        for (const auto& r : tx.query("SELECT column_name, data_type FROM information_schema.columns WHERE "
                                      "table_name = ? AND table_schema = current_schema()",
                                      {table})) {
            out[r.str("column_name")] = r.str("data_type").find("int") != std::string::npos;
        }
    }
    return out;
}

struct Staged {
    std::string name, path, sha256;
    std::int64_t rows = 0, bytes = 0;
    std::string invoice_id, number;  // for an invoice's PDF
};

void add_file(archive* a, const std::string& name, const std::string& path, std::int64_t size, std::int64_t now) {
    std::unique_ptr<archive_entry, decltype(&archive_entry_free)> entry(archive_entry_new(), archive_entry_free);
    archive_entry_set_pathname(entry.get(), name.c_str());
    archive_entry_set_size(entry.get(), size);
    archive_entry_set_filetype(entry.get(), AE_IFREG);
    archive_entry_set_perm(entry.get(), 0600);
    archive_entry_set_mtime(entry.get(), now, 0);
    if (archive_write_header(a, entry.get()) != ARCHIVE_OK)
        throw std::runtime_error(std::string("export: ") + archive_error_string(a));
    std::ifstream in(path, std::ios::binary);
    std::vector<char> buf(64 * 1024);
    while (in) {
        in.read(buf.data(), static_cast<std::streamsize>(buf.size()));
        const auto n = in.gcount();
        if (n > 0 && archive_write_data(a, buf.data(), static_cast<std::size_t>(n)) < 0)
            throw std::runtime_error(std::string("export: ") + archive_error_string(a));
    }
}

Staged stage_text(const std::filesystem::path& dir, const std::string& name, const std::string& text) {
    Staged s{name, (dir / name).string(), "", 0, static_cast<std::int64_t>(text.size()), "", ""};
    std::ofstream(s.path, std::ios::binary) << text;
    Sha256 h;
    h.update(text.data(), text.size());
    s.sha256 = h.hex();
    return s;
}


// "INV-2026-00001" → "invoices/INV-2026-00001.pdf": letters, digits, '-' and '_' (numbers are unique
// per firm; the id keeps two numbers that differ only in other characters apart).
std::string pdf_name(const std::string& number, const std::string& id) {
    std::string out;
    for (char c : number) {
        if (std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_') out += c;
    }
    if (out != number || out.empty()) out += (out.empty() ? "" : "_") + id;
    return "invoices/" + out + ".pdf";
}

// Every issued invoice and credit note as the PDF the API serves (the same view and renderer,
// status as reported at the export's time), one at a time: only one document is in memory.
std::vector<Staged> stage_invoice_pdfs(storage::Database& db, const std::string& firm_id,
                                       const std::filesystem::path& dir, std::int64_t now) {
    std::filesystem::create_directories(dir / "invoices");
    Zones zones;
    std::vector<Staged> out;
    std::string after;
    for (;;) {
        storage::Transaction tx(db, storage::TxMode::read);
        auto firm = tx.query_one("SELECT name FROM firms WHERE id = ?", {firm_id});
        auto invoices = tx.query(
            "SELECT i.*, c.time_zone AS client_time_zone, c.name AS client_name, c.billing_email AS client_email "
            "FROM invoices i JOIN clients c ON c.id = i.client_id WHERE i.firm_id = ? AND i.status <> 'draft' AND "
            "i.id > ? ORDER BY i.id LIMIT ?",
            {firm_id, after, kBatch / 20});
        for (const auto& inv : invoices) {
            after = inv.str("id");
            json view = api::invoice_json(inv);
            std::optional<time::Date> due;
            if (!inv.is_null("due_date")) due = time::parse_iso_date(inv.str("due_date")).value();
            view["status"] = std::string(billing::reported_status(
                inv.str("status"), inv.str("document_type") == "credit_note", due, inv.i64("balance_due"), now,
                zones.zone(inv.str("client_time_zone"))));
            json lines = json::array();
            for (const auto& l : tx.query(
                     "SELECT * FROM invoice_lines WHERE invoice_id = ? AND firm_id = ? ORDER BY position",
                     {inv.str("id"), firm_id})) {
                lines.push_back(api::invoice_line_json(l, inv.str("currency")));
            }
            view["lines"] = std::move(lines);
            const std::string pdf = pdf::render_invoice_pdf(
                view, {firm ? firm->str("name") : "", ""}, {inv.str("client_name"), inv.str("client_email")},
                pdf::invoice_fonts());
            Staged s = stage_text(dir, pdf_name(inv.str("number"), inv.str("id")), pdf);
            s.invoice_id = inv.str("id");
            s.number = inv.str("number");
            out.push_back(std::move(s));
        }
        tx.commit();
        if (static_cast<std::int64_t>(invoices.size()) < kBatch / 20) break;
    }
    return out;
}
}  // namespace

std::string file_sha256(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw std::runtime_error("cannot read " + path);
    Sha256 h;
    std::vector<char> buf(64 * 1024);
    while (in) {
        in.read(buf.data(), static_cast<std::streamsize>(buf.size()));
        if (in.gcount() > 0) h.update(buf.data(), static_cast<std::size_t>(in.gcount()));
    }
    return h.hex();
}

ExportResult write_firm_export(storage::Database& db, const std::string& firm_id, const std::string& path,
                               std::int64_t now, const std::function<void(std::int64_t, std::int64_t)>& progress) {
    json firm;
    std::int64_t total = 0;
    {
        storage::Transaction tx(db, storage::TxMode::read);
        auto f = tx.query_one("SELECT id, name, slug, status, plan, time_zone, currency, settings, created_at FROM "
                              "firms WHERE id = ?",
                              {firm_id});
        if (!f) throw std::runtime_error("export: no such firm");
        firm = {{"id", f->str("id")},         {"name", f->str("name")},         {"slug", f->str("slug")},
                {"status", f->str("status")}, {"plan", f->str("plan")},         {"time_zone", f->str("time_zone")},
                {"currency", f->str("currency")}, {"settings", json::parse(f->str("settings"), nullptr, false)},
                {"created_at", iso_time(f->i64("created_at"))}};
        for (const auto& t : firm_tables()) {
            if (!t.exported) continue;
            total += tx.query_one(std::string("SELECT COUNT(*) AS n FROM ") + t.name + " WHERE firm_id = ?", {firm_id})
                         ->i64("n");
        }
    }
    const auto dir = std::filesystem::path(path + ".staging");
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    struct Cleanup {
        std::filesystem::path d;
        ~Cleanup() {
            std::error_code ec;
            std::filesystem::remove_all(d, ec);
        }
    } cleanup{dir};

    std::vector<Staged> files;
    files.push_back(stage_text(dir, "firm.json", firm.dump(2) + "\n"));
    std::int64_t done = 0;
    std::map<std::string, std::string> invoice_currency;  // for invoice lines' amounts
    for (const auto& t : firm_tables()) {
        if (!t.exported) continue;
        const auto ints = integer_columns(db, t.name);
        Staged s{std::string(t.name) + ".jsonl", (dir / (std::string(t.name) + ".jsonl")).string(), "", 0, 0, "", ""};
        std::ofstream out(s.path, std::ios::binary);
        Sha256 hash;
        std::string after;
        bool first = true;
        for (;;) {
            storage::Transaction tx(db, storage::TxMode::read);
            const std::string key = t.key;
            const std::string sql = std::string("SELECT * FROM ") + t.name + " WHERE firm_id = ?" +
                                    (first ? "" : " AND " + key + " > ?") + " ORDER BY " + key + " LIMIT ?";
            storage::Params params{firm_id};
            if (!first) {
                if (ints.count(key) && ints.at(key))
                    params.push_back(static_cast<std::int64_t>(std::stoll(after)));
                else
                    params.push_back(after);
            }
            params.push_back(kBatch);
            auto rows = tx.query(sql, params);
            for (const auto& r : rows) {
                json line = json::object();
                const auto& cols = r.columns();
                std::string currency;
                for (std::size_t i = 0; i < cols.size(); ++i) {
                    if (cols[i] == "currency" && r.value(i)) currency = *r.value(i);
                }
                if (std::string_view(t.name) == "invoices") invoice_currency[r.str("id")] = currency;
                if (std::string_view(t.name) == "invoice_lines") currency = invoice_currency[r.str("invoice_id")];
                for (std::size_t i = 0; i < cols.size(); ++i) {
                    const auto& c = cols[i];
                    if (is_secret_column(t.name, c)) continue;
                    const auto& v = r.value(i);
                    if (!v) {
                        line[c] = nullptr;
                        continue;
                    }
                    const bool is_int = ints.count(c) && ints.at(c);
                    if (is_int && money_currency_source(t.name, c) && !currency.empty()) {
                        line[c] = api::money_text(static_cast<std::int64_t>(std::stoll(*v)), currency);
                    } else if (is_int) {
                        line[c] = static_cast<std::int64_t>(std::stoll(*v));
                    } else {
                        line[c] = *v;
                    }
                }
                if (std::string_view(t.name) == "memberships") {
                    // Who the member is: the account is not the firm's row, but a membership without its
                    // person is of no use to another system (the password hash stays behind).
                    auto user = tx.query_one("SELECT email, name FROM users WHERE id = ?", {r.str("user_id")});
                    line["user_email"] = user ? json(user->str("email")) : json(nullptr);
                    line["user_name"] = user ? json(user->str("name")) : json(nullptr);
                }
                const std::string text = line.dump(-1, ' ', false, json::error_handler_t::replace) + "\n";
                out.write(text.data(), static_cast<std::streamsize>(text.size()));
                hash.update(text.data(), text.size());
                s.bytes += static_cast<std::int64_t>(text.size());
                ++s.rows;
                after = r.str(t.key);
            }
            tx.commit();
            done += static_cast<std::int64_t>(rows.size());
            if (progress && !rows.empty()) progress(done, total);
            first = false;
            if (static_cast<std::int64_t>(rows.size()) < kBatch) break;
        }
        out.close();
        s.sha256 = hash.hex();
        files.push_back(s);
    }

    const auto pdfs = stage_invoice_pdfs(db, firm_id, dir, now);

    json manifest{{"format", "consultantpro-firm-export"},
                  {"format_version", kFormatVersion},
                  {"schema_version", storage::migrations().back().version},
                  {"exported_at", iso_time(now)},
                  {"firm", {{"id", firm["id"]}, {"name", firm["name"]}, {"slug", firm["slug"]}}},
                  {"files", json::array()}};
    std::int64_t rows = 0;
    for (const auto& f : files) {
        manifest["files"].push_back({{"name", f.name}, {"rows", f.rows}, {"bytes", f.bytes}, {"sha256", f.sha256}});
        rows += f.rows;
    }
    for (const auto& f : pdfs) {
        manifest["files"].push_back({{"name", f.name},
                                     {"bytes", f.bytes},
                                     {"sha256", f.sha256},
                                     {"invoice_id", f.invoice_id},
                                     {"number", f.number}});
    }
    const std::string manifest_text = manifest.dump(2) + "\n";
    const Staged m = stage_text(dir, "manifest.json", manifest_text);
    const Staged m_sum = stage_text(dir, "manifest.sha256", m.sha256 + "  manifest.json\n");

    const std::string partial = path + ".partial";
    {
        std::unique_ptr<archive, decltype(&archive_write_free)> a(archive_write_new(), archive_write_free);
        archive_write_set_format_pax_restricted(a.get());
        archive_write_add_filter_gzip(a.get());
        if (archive_write_open_filename(a.get(), partial.c_str()) != ARCHIVE_OK)
            throw std::runtime_error(std::string("export: ") + archive_error_string(a.get()));
        add_file(a.get(), m.name, m.path, m.bytes, now);
        add_file(a.get(), m_sum.name, m_sum.path, m_sum.bytes, now);
        for (const auto& f : files) add_file(a.get(), f.name, f.path, f.bytes, now);
        for (const auto& f : pdfs) add_file(a.get(), f.name, f.path, f.bytes, now);
        if (archive_write_close(a.get()) != ARCHIVE_OK)
            throw std::runtime_error(std::string("export: ") + archive_error_string(a.get()));
    }
    // Renamed into place only when complete: a crash leaves no half archive under the name.
    std::filesystem::rename(partial, path);
    ExportResult r;
    r.rows = rows;
    r.bytes = static_cast<std::int64_t>(std::filesystem::file_size(path));
    r.sha256 = file_sha256(path);
    r.manifest_sha256 = m.sha256;
    return r;
}

}  // namespace cp::server::exit
