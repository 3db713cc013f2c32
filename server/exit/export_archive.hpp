#pragma once
// A firm's complete export as one tar.gz (libarchive): a JSON-lines file per firm table
// (firm_tables.hpp; money as decimal strings like the API, integers as numbers, no password
// or token hashes), firm.json, every issued invoice and credit note as its PDF
// (invoices/<number>.pdf, as the API serves it), manifest.json (format, schema version, export
// time, firm, and per file its rows (tables), bytes and SHA-256) and manifest.sha256. Tables are read in keyset
// batches and staged in temporary files, so memory stays flat whatever the row count.
#include <cstdint>
#include <functional>
#include <string>

#include "server/storage/database.hpp"

namespace cp::server::exit {

struct ExportResult {
    std::int64_t rows = 0;
    std::int64_t bytes = 0;       // the archive's size
    std::string sha256;           // of the archive
    std::string manifest_sha256;  // of manifest.json (also inside, as manifest.sha256)
};

// Writes the archive of `firm_id` to `path` (replacing it). `progress(rows_done,
// rows_total)` is called after each batch. Throws on a storage or archive failure.
ExportResult write_firm_export(storage::Database& db, const std::string& firm_id, const std::string& path,
                               std::int64_t now,
                               const std::function<void(std::int64_t, std::int64_t)>& progress = {});

// SHA-256 of a file, streamed (hex).
std::string file_sha256(const std::string& path);

}  // namespace cp::server::exit
