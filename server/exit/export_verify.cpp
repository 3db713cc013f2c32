#include "server/exit/export_verify.hpp"

#include <archive.h>
#include <archive_entry.h>
#include <openssl/evp.h>

#include <algorithm>
#include <map>
#include <memory>

#include "server/audit/audit_log.hpp"
#include "shared/protocol/json_input.hpp"

namespace cp::server::exit {

namespace {

using nlohmann::json;

struct Seen {
    std::int64_t rows = 0, bytes = 0;
    std::string sha256;
    std::string text;  // kept only for the small manifest files
    std::string head;  // a file's first bytes (a PDF's signature)
};

std::string hex(const unsigned char* md, unsigned int n) {
    static constexpr char kHex[] = "0123456789abcdef";
    std::string out;
    for (unsigned int i = 0; i < n; ++i) {
        out += kHex[md[i] >> 4];
        out += kHex[md[i] & 15];
    }
    return out;
}

// Checks the audit chain line by line as the file streams past.
struct ChainCheck {
    std::string prev = audit::genesis_hash();
    std::int64_t expected_seq = 1, checked = 0;
    std::vector<std::string>* problems;
    void line(const std::string& text) {
        auto row = protocol::parse_json_input(text);
        if (!row || !row->is_object()) {
            problems->push_back("audit_events.jsonl: a line is not a JSON object");
            return;
        }
        ++checked;
        const std::int64_t seq = row->value("seq", std::int64_t{0});
        if (seq != expected_seq) problems->push_back("audit event " + std::to_string(seq) + ": sequence gap");
        if (row->value("prev_hash", "") != prev)
            problems->push_back("audit event " + std::to_string(seq) + ": previous-hash link broken");
        if (audit::exported_event_hash(*row) != row->value("hash", ""))
            problems->push_back("audit event " + std::to_string(seq) + ": header does not match its hash");
        prev = row->value("hash", "");
        expected_seq = seq + 1;
    }
};

}  // namespace

ExportCheck verify_export_file(const std::string& path) {
    ExportCheck check;
    std::unique_ptr<archive, decltype(&archive_read_free)> a(archive_read_new(), archive_read_free);
    archive_read_support_filter_all(a.get());
    archive_read_support_format_all(a.get());
    if (archive_read_open_filename(a.get(), path.c_str(), 64 * 1024) != ARCHIVE_OK) {
        check.problems.push_back(std::string("cannot open the archive: ") + archive_error_string(a.get()));
        return check;
    }
    std::map<std::string, Seen> seen;
    ChainCheck chain;
    chain.problems = &check.problems;
    archive_entry* entry = nullptr;
    int rc = ARCHIVE_OK;
    while ((rc = archive_read_next_header(a.get(), &entry)) == ARCHIVE_OK) {
        std::string name = archive_entry_pathname(entry);
        if (name.rfind("./", 0) == 0) name.erase(0, 2);  // re-packed by hand with tar -C dir .
        if (name.empty() || name.back() == '/') continue;  // directories
        Seen s;
        std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> md(EVP_MD_CTX_new(), EVP_MD_CTX_free);
        EVP_DigestInit_ex(md.get(), EVP_sha256(), nullptr);
        const bool keep = name == "manifest.json" || name == "manifest.sha256";
        const bool audit_file = name == "audit_events.jsonl";
        std::string partial_line;
        char buf[64 * 1024];
        la_ssize_t n = 0;
        while ((n = archive_read_data(a.get(), buf, sizeof buf)) > 0) {
            EVP_DigestUpdate(md.get(), buf, static_cast<std::size_t>(n));
            s.bytes += n;
            for (la_ssize_t i = 0; i < n; ++i) {
                if (buf[i] != '\n') {
                    if (audit_file) partial_line += buf[i];
                    continue;
                }
                ++s.rows;
                if (audit_file) {
                    chain.line(partial_line);
                    partial_line.clear();
                }
            }
            if (keep) s.text.append(buf, static_cast<std::size_t>(n));
            if (s.head.size() < 8) s.head.append(buf, std::min<std::size_t>(8 - s.head.size(), static_cast<std::size_t>(n)));
        }
        if (n < 0) check.problems.push_back(name + ": cannot be read (" + archive_error_string(a.get()) + ")");
        unsigned char out[EVP_MAX_MD_SIZE];
        unsigned int len = 0;
        EVP_DigestFinal_ex(md.get(), out, &len);
        s.sha256 = hex(out, len);
        if (seen.count(name)) check.problems.push_back(name + ": appears twice");
        seen[name] = std::move(s);
    }
    if (rc != ARCHIVE_EOF) check.problems.push_back(std::string("archive damaged: ") + archive_error_string(a.get()));
    if (!seen.count("manifest.json") || !seen.count("manifest.sha256")) {
        check.problems.push_back("manifest.json or manifest.sha256 missing");
        return check;
    }
    const std::string& sum = seen["manifest.sha256"].text;
    if (sum.substr(0, 64) != seen["manifest.json"].sha256)
        check.problems.push_back("manifest.json does not match manifest.sha256");
    auto manifest = protocol::parse_json_input(seen["manifest.json"].text);
    if (!manifest || !manifest->is_object() || !manifest->contains("files") || !(*manifest)["files"].is_array()) {
        check.problems.push_back("manifest.json is not a manifest");
        return check;
    }
    std::int64_t rows = 0, documents = 0;  // table rows (not firm.json's lines), invoice PDFs
    std::map<std::string, bool> listed;
    for (const auto& f : (*manifest)["files"]) {
        const std::string name = f.value("name", "");
        listed[name] = true;
        auto it = seen.find(name);
        if (it == seen.end()) {
            check.problems.push_back(name + ": listed in the manifest but missing");
            continue;
        }
        if (it->second.sha256 != f.value("sha256", "")) check.problems.push_back(name + ": SHA-256 differs");
        if (it->second.bytes != f.value("bytes", std::int64_t{-1})) check.problems.push_back(name + ": size differs");
        const bool table = name.size() > 6 && name.compare(name.size() - 6, 6, ".jsonl") == 0;
        if (table) {
            if (it->second.rows != f.value("rows", std::int64_t{-1}))
                check.problems.push_back(name + ": row count differs");
            rows += it->second.rows;
        } else if (name.rfind("invoices/", 0) == 0) {
            if (it->second.head.rfind("%PDF-", 0) != 0) check.problems.push_back(name + ": not a PDF");
            ++documents;
        }
    }
    for (const auto& [name, s] : seen) {
        if (name != "manifest.json" && name != "manifest.sha256" && !listed.count(name))
            check.problems.push_back(name + ": not in the manifest");
    }
    if (!seen.count("audit_events.jsonl")) check.problems.push_back("audit_events.jsonl missing");
    check.summary = {{"firm", (*manifest).value("firm", json::object())},
                     {"exported_at", (*manifest).value("exported_at", "")},
                     {"files", (*manifest)["files"].size()},
                     {"rows", rows},
                     {"invoice_pdfs", documents},
                     {"audit_events_checked", chain.checked}};
    return check;
}

}  // namespace cp::server::exit
